// The spec's default reserve parameters (section 1 table) and their sanity rules.
#include "protocols/lending/params.hpp"

namespace shardsim::protocols::lending {
namespace {

// Percent with up to 2 decimals as WAD: pct(8250) = 82.50% = 0.825.
constexpr i128 pct100(i128 hundredths_of_percent) { return hundredths_of_percent * (kWadUnit / 10'000); }

ReserveParams make(i128 u_opt, i128 base, i128 slope1, i128 slope2, i128 ltv, i128 lt, i128 bonus, i128 rf) {
  ReserveParams p;
  p.u_opt_wad = pct100(u_opt);
  p.base_wad = pct100(base);
  p.slope1_wad = pct100(slope1);
  p.slope2_wad = pct100(slope2);
  p.ltv_wad = pct100(ltv);
  p.liq_threshold_wad = pct100(lt);
  p.bonus_wad = pct100(bonus);
  p.reserve_factor_wad = pct100(rf);
  return p;
}

}  // namespace

std::optional<ReserveParams> spec_default_reserve(std::string_view symbol) {
  //                           Uopt  base slope1 slope2   LTV    LT   bonus    RF
  if (symbol == "ETH") return make(6500, 0, 800, 10000, 8000, 8250, 10500, 1000);
  if (symbol == "USDC") return make(9000, 0, 400, 6000, 8000, 8500, 10500, 1000);
  if (symbol == "DAI") return make(8000, 0, 400, 7500, 7500, 8000, 10500, 1000);
  if (symbol == "BTC") return make(6500, 0, 800, 30000, 7000, 7500, 11000, 2000);
  return std::nullopt;
}

std::optional<std::string_view> reserve_params_error(const ReserveParams& p) {
  if (p.u_opt_wad <= 0 || p.u_opt_wad >= kWadUnit) return "u_opt must lie strictly between 0 and 1";
  if (p.base_wad < 0 || p.slope1_wad < 0 || p.slope2_wad < 0) return "rates must not be negative";
  if (p.ltv_wad < 0 || p.ltv_wad > p.liq_threshold_wad) return "ltv must lie between 0 and liq_threshold";
  if (p.liq_threshold_wad > kWadUnit) return "liq_threshold must be at most 1";
  if (p.bonus_wad < kWadUnit) return "bonus must be at least 1 (e.g. 105%)";
  if (wad_mul(p.liq_threshold_wad, p.bonus_wad, Round::up) > kWadUnit) {
    return "liq_threshold * bonus must be at most 1";
  }
  if (p.reserve_factor_wad < 0 || p.reserve_factor_wad >= kWadUnit) return "reserve_factor must lie in [0, 1)";
  return std::nullopt;
}

}  // namespace shardsim::protocols::lending
