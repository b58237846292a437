// Gamma's margin and payout formulas on exact integers (see margin.hpp).
#include "protocols/options/margin.hpp"

#include <algorithm>

namespace shardsim::protocols::options {

i128 wad_to_units(i128 wad, int decimals, Round r) { return mul_div(wad, 1, pow10(18 - decimals), r); }
i128 units_to_wad(i128 units, int decimals) { return units * pow10(18 - decimals); }

namespace {

// Gamma's _getPutSpreadMarginRequired: max(short*Ks - Kl*min(short, long), 0), cash WAD.
i128 put_margin_wad(const Leg& s, const Leg& l) {
  const i128 owed = wad_mul(s.amount_wad, s.series->strike_wad, Round::up);
  if (l.series == nullptr || l.amount_wad == 0) return owed;
  const i128 covered = wad_mul(std::min(s.amount_wad, l.amount_wad), l.series->strike_wad, Round::down);
  return std::max<i128>(owed - covered, 0);
}

// Gamma's _getCallSpreadMarginRequired: max((Kl - Ks)*short/Kl, max(short - long, 0)), underlying WAD.
i128 call_margin_wad(const Leg& s, const Leg& l) {
  if (l.series == nullptr || l.amount_wad == 0) return s.amount_wad;
  const i128 uncovered = std::max<i128>(s.amount_wad - l.amount_wad, 0);
  const i128 kl = l.series->strike_wad;
  const i128 ks = s.series->strike_wad;
  const i128 spread = kl > ks ? mul_div(kl - ks, s.amount_wad, kl, Round::up) : 0;
  return std::max(spread, uncovered);
}

}  // namespace

i128 margin_required_wad(const Leg& short_leg, const Leg& long_leg) {
  if (short_leg.series == nullptr || short_leg.amount_wad == 0) return 0;
  return short_leg.series->put ? put_margin_wad(short_leg, long_leg) : call_margin_wad(short_leg, long_leg);
}

i128 margin_required_units(const Leg& short_leg, const Leg& long_leg, int decimals) {
  const i128 units = wad_to_units(margin_required_wad(short_leg, long_leg), decimals, Round::up);
  const bool spread = short_leg.amount_wad > 0 && long_leg.series != nullptr && long_leg.amount_wad > 0;
  return units + (spread ? kSpreadCushionUnits : 0);
}

bool in_the_money(const Series& s, i128 price_wad) {
  return s.put ? price_wad < s.strike_wad : price_wad > s.strike_wad;
}

i128 payout_wad(const Series& s, i128 amount_wad, i128 price_wad, Round r) {
  if (!in_the_money(s, price_wad) || amount_wad == 0) return 0;
  if (s.put) return wad_mul(amount_wad, s.strike_wad - price_wad, r);
  return mul_div(amount_wad, price_wad - s.strike_wad, price_wad, r);
}

bool spread_compatible(const Series& short_series, const Series& long_series) {
  return short_series.underlying == long_series.underlying && short_series.put == long_series.put &&
         short_series.expiry == long_series.expiry;
}

}  // namespace shardsim::protocols::options
