// Cross-margin arithmetic of perps accounts: exact, rounded in the protocol's favour.
#include "protocols/perps/margin.hpp"

namespace shardsim::protocols::perps {

i128 notional_scale(int collateral_decimals) { return pow10(36 - collateral_decimals); }

i128 notional_units(i128 size_wad, i128 price_wad, i128 scale_units, Round r) {
  const i128 magnitude = size_wad < 0 ? -size_wad : size_wad;
  return mul_div(magnitude, price_wad, scale_units, r);
}

i128 position_value_floor(i128 size_wad, i128 price_wad, i128 scale_units) {
  if (size_wad >= 0) return mul_div(size_wad, price_wad, scale_units, Round::down);
  return -mul_div(-size_wad, price_wad, scale_units, Round::up);
}

i128 margin_requirement(i128 size_wad, i128 price_wad, i128 fraction_wad, i128 scale_units) {
  const i128 notional = notional_units(size_wad, price_wad, scale_units, Round::up);
  return mul_div(notional, fraction_wad, kWadUnit, Round::up);
}

i128 trade_cash_delta(i128 size_wad, i128 price_wad, i128 scale_units) {
  return position_value_floor(-size_wad, price_wad, scale_units);
}

i128 execution_price(i128 mark_wad, i128 spread_wad, bool buy) {
  if (spread_wad == 0) return mark_wad;
  const i128 markup = mul_div(mark_wad, spread_wad, kWadUnit, Round::up);
  return buy ? mark_wad + markup : mark_wad - markup;
}

}  // namespace shardsim::protocols::perps
