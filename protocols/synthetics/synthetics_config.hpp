// Models the parameters of a Synthetix v2 style debt pool: collateral, synths with the oracle
// asset each tracks and its exchange fee rate, issuance and liquidation ratios, penalty, delay.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::synthetics {

// One synth: a real ledger token minted and burned by the protocol.
struct SynthSpec {
  AssetId asset = 0;              // the synth token itself (sUSD, sBTC, ...)
  std::optional<AssetId> tracks;  // oracle asset whose price it follows; none: exactly 1 USD
  i128 fee_rate_wad = 0;          // this synth's exchange fee rate; an exchange pays from + to
};

inline constexpr i128 kPercentWad = kWadUnit / 100;

struct Config {
  AssetId collateral = 0;          // staked token (SNX)
  std::vector<SynthSpec> synths;   // non-empty, distinct assets
  std::size_t susd = 0;            // index in synths of sUSD (issued, burned, fees)
  i128 issuance_ratio_wad = kWadUnit / 3;              // max debt / collateral value when issuing
  i128 liquidation_ratio_wad = kWadUnit * 2 / 3;       // debt / collateral above this: flaggable
  i128 liquidation_penalty_wad = 30 * kPercentWad;     // liquidator's bonus on burned sUSD
  core::Duration liquidation_delay = core::Duration::h(12);  // flag -> liquidation allowed
  // The asset of the backstop reserve (`reserve: USDC`): anyone may add to it (`fund_reserve`),
  // nobody takes it out, and it backs the debt pool beside the staked collateral. None: no reserve.
  std::optional<AssetId> reserve;

  // Why the parameters cannot work, or nothing: ratios in (0, 1), issuance ratio below the
  // liquidation ratio, (1 + penalty) * issuance ratio < 1 (the fix formula's denominator),
  // distinct synths, collateral not a synth, fee rates in [0, 1/2], a reserve that is neither
  // the collateral nor a synth.
  std::optional<std::string> validate() const;
};

// The spec's default rate for a synth: 0 for an untracked synth (sUSD), 0.3% for one that
// tracks a forex currency (EUR, JPY, GBP, CHF, AUD, KRW, CAD, CNY, INR), otherwise 1% (crypto).
i128 default_fee_rate_wad(std::optional<std::string_view> tracked_symbol);

}  // namespace shardsim::protocols::synthetics
