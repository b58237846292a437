// Models the broker's exact money arithmetic (see exact_money.hpp): directed rounding on signed
// values over protocols::mul_div, which rounds magnitudes.
#include "broker/exact_money.hpp"

#include <cmath>

#include "core/assert.hpp"

namespace shardsim::broker {

i128 mul_div_toward(i128 a, i128 b, i128 c, Toward t) {
  const bool negative = a != 0 && b != 0 && (((a < 0) != (b < 0)) != (c < 0));
  // floor rounds a negative value's magnitude up and a positive one's down; ceil the reverse.
  const bool magnitude_up = negative == (t == Toward::floor);
  return protocols::mul_div(a, b, c, magnitude_up ? protocols::Round::up : protocols::Round::down);
}

i128 quantise_price(double usd_per_unit) {
  SHARDSIM_ASSERT_MSG(std::isfinite(usd_per_unit), "a price that pays money must be finite");
  return protocols::double_to_wad(usd_per_unit);
}

i128 units_to_usd_wad(core::Amount units, int decimals, i128 price_wad, Toward t) {
  return mul_div_toward(units.raw(), price_wad, protocols::pow10(decimals), t);
}

core::Amount usd_wad_to_units(i128 usd_wad, int decimals, i128 price_wad, Toward t) {
  SHARDSIM_ASSERT_MSG(price_wad > 0, "converting USD into an asset needs its price");
  return core::Amount::units(mul_div_toward(usd_wad, protocols::pow10(decimals), price_wad, t));
}

i128 average_entry_wad(i128 entry_wad, i128 held_wad, i128 price_wad, i128 added_wad, Toward t) {
  SHARDSIM_ASSERT_MSG(held_wad >= 0 && added_wad >= 0 && held_wad + added_wad > 0,
                      "an average entry needs non-negative sizes, not both zero");
  return entry_wad + mul_div_toward(price_wad - entry_wad, added_wad, held_wad + added_wad, t);
}

}  // namespace shardsim::broker
