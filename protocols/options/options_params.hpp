// Models the parameters of an Opyn Gamma style options protocol: the cash (strike) asset, the
// option series it lists (each an asset the protocol mints: underlying, strike, expiry, put or
// call; a put is collateralised in cash, a call in its underlying), cash or physical settlement,
// the expiry-price dispute window, the physical exercise window and the volatility of the marks.
#pragma once

#include <string>
#include <vector>

#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::options {

enum class Settlement : std::uint8_t { cash, physical };

struct Series {
  std::string name;       // the option token's asset symbol, e.g. oETH2000C
  AssetId token = 0;      // minted by vaults, burned at redemption
  AssetId underlying = 0;
  i128 strike_wad = 0;    // cash per whole underlying (the cash asset counts as 1 USD)
  core::SimTime expiry;
  bool put = false;
};

struct Params {
  AssetId cash = 0;  // the strike asset; a put's collateral and payout
  std::vector<Series> series;
  Settlement settlement = Settlement::cash;
  // After expiry a price may be reported once `locking_period` has passed; the disputer may
  // replace it until `dispute_window` after the report; then it is final.
  core::Duration locking_period;
  core::Duration dispute_window = core::Duration::h(2);
  std::string disputer;  // account name; empty: nobody may dispute
  // Physical settlement: holders of in-the-money options exercise within this window after the
  // price is final; what is not exercised expires worthless.
  core::Duration exercise_window = core::Duration::h(1);
  double volatility = 0.8;  // annual, for the Black-Scholes marks only (never money)

  // The asset a vault writing `s` must hold: cash for a put, the underlying for a call.
  AssetId collateral_of(const Series& s) const { return s.put ? cash : s.underlying; }
};

}  // namespace shardsim::protocols::options
