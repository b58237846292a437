// Models the listing parameters of an Aave v2 style lending market: per reserve the kinked rate
// curve, LTV, liquidation threshold and bonus, reserve factor (all WAD), plus the close factor.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::lending {

// One listed asset. Ratios are WAD (1e18 = 100%); rates are annual.
struct ReserveParams {
  AssetId asset = 0;
  i128 u_opt_wad = 0;           // optimal utilisation, in (0, 1)
  i128 base_wad = 0;            // borrow rate at U = 0
  i128 slope1_wad = 0;          // added between U = 0 and U = Uopt
  i128 slope2_wad = 0;          // added between U = Uopt and U = 1
  i128 ltv_wad = 0;             // borrowing power per unit of collateral value
  i128 liq_threshold_wad = 0;   // health-factor weight of collateral
  i128 bonus_wad = 0;           // liquidation bonus, >= 1 (e.g. 1.05)
  i128 reserve_factor_wad = 0;  // share of borrow interest kept by the pool, in [0, 1)
};

struct LendingParams {
  std::vector<ReserveParams> reserves;   // the listed assets, in listing order
  i128 close_factor_wad = kWadUnit / 2;  // share of one debt a liquidation may repay, in (0, 1]
};

// The spec's default parameters for ETH, USDC, DAI and BTC (asset left at 0); nothing otherwise.
std::optional<ReserveParams> spec_default_reserve(std::string_view symbol);

// Why a set of reserve parameters is unusable, or nothing when it is fine.
std::optional<std::string_view> reserve_params_error(const ReserveParams& p);

}  // namespace shardsim::protocols::lending
