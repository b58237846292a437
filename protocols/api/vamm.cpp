// The virtual AMM's exact integer pricing (see vamm.hpp).
#include "protocols/api/vamm.hpp"

namespace shardsim::protocols {

VammState vamm_pegged(i128 price_wad, i128 depth_wad) {
  VammState s;
  s.quote_wad = depth_wad;
  s.base_wad = mul_div(depth_wad, kWadUnit, price_wad, Round::down);
  if (s.base_wad <= 0) s.base_wad = 1;
  return s;
}

i128 vamm_price_wad(const VammState& s) {
  return s.base_wad <= 0 ? 0 : mul_div(s.quote_wad, kWadUnit, s.base_wad, Round::down);
}

std::optional<VammTrade> vamm_trade(const VammState& s, i128 size_wad) {
  if (size_wad >= s.base_wad) return std::nullopt;
  i128 base_after = 0;
  if (__builtin_sub_overflow(s.base_wad, size_wad, &base_after)) throw ArithmeticError("vamm base overflow");
  VammTrade t;
  t.after.base_wad = base_after;
  t.after.quote_wad = mul_div(s.quote_wad, s.base_wad, base_after, Round::up);  // k never falls
  t.quote_delta_wad = t.after.quote_wad - s.quote_wad;
  return t;
}

i128 vamm_cash_units(i128 quote_delta_wad, i128 spread_wad, int collateral_decimals) {
  const i128 unit = pow10(18 - collateral_decimals);
  const bool buy = quote_delta_wad > 0;
  const i128 gross = buy ? quote_delta_wad : -quote_delta_wad;
  const i128 charge = spread_wad == 0 ? 0 : mul_div(gross, spread_wad, kWadUnit, Round::up);
  if (buy) return -mul_div(gross + charge, 1, unit, Round::up);
  return mul_div(gross - charge, 1, unit, Round::down);
}

i128 vamm_avg_price_wad(i128 cash_units, i128 size_wad, int collateral_decimals) {
  const i128 paid = (cash_units < 0 ? -cash_units : cash_units) * pow10(18 - collateral_decimals);
  return mul_div(paid, kWadUnit, size_wad < 0 ? -size_wad : size_wad, size_wad > 0 ? Round::up : Round::down);
}

}  // namespace shardsim::protocols
