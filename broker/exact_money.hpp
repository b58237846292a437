// Models the broker's exact money arithmetic: USD amounts as WAD integers (1e18 = 1 USD), prices
// quantised once to a WAD (USD per whole unit), products and ratios through protocols::mul_div,
// and the one rounding rule every amount the clearing book posts follows.
//
// The rounding rule: round in favour of the house. Whoever is on the other side of an amount
// (a client; for a hedge, the venue) receives it rounded down and pays it rounded up. On a
// signed amount in the other side's favour (a client's realised P&L: + it receives, - it pays;
// collateral seized from it and credited back in quote) that is `kToClient` = floor (toward
// -infinity); on an amount it owes (a fee: + it pays) `kFromClient` = ceil (toward +infinity).
// An entry price rounds so that the position's later P&L rounds the same way. A money figure
// computed in two steps (a USD WAD, then quote units) rounds both steps the same way, so the
// posted amount is never in the other side's favour, and is within one quote unit (plus
// 1e-18 USD per step) of the exact value.
#pragma once

#include <cstdint>

#include "core/amount.hpp"
#include "protocols/api/fixed_point.hpp"

namespace shardsim::broker {

using protocols::i128;

inline i128 abs_wad(i128 x) { return x < 0 ? -x : x; }
// A WAD quantity in whole units, for risk estimates and display (never for money).
inline double to_units(i128 wad) { return protocols::wad_to_double(wad); }

// Direction of a rounding on a signed value.
enum class Toward : std::uint8_t { floor, ceil };  // toward -infinity, toward +infinity

inline constexpr Toward kToClient = Toward::floor;   // the other side receives (signed)
inline constexpr Toward kFromClient = Toward::ceil;  // the other side pays (signed)

// a * b / c rounded toward `t` (any signs, c != 0), 256-bit intermediate.
i128 mul_div_toward(i128 a, i128 b, i128 c, Toward t);

// A price estimate (USD per whole unit) quantised to a WAD: the one place a double becomes
// money. As protocols::double_to_wad: within a few 1e-18 of the double's value (its fraction is
// scaled in floating point), deterministic; the price must be finite.
i128 quantise_price(double usd_per_unit);

// qty (WAD units) x price (WAD USD per unit) = USD WAD; a rate (WAD) of a USD WAD likewise.
inline i128 usd_wad_of(i128 qty_wad, i128 price_wad, Toward t) { return mul_div_toward(qty_wad, price_wad, protocols::kWadUnit, t); }
inline i128 rate_of(i128 rate_wad, i128 usd_wad, Toward t) { return mul_div_toward(usd_wad, rate_wad, protocols::kWadUnit, t); }

// An asset's smallest units at a price, in USD WAD: units * price_wad / 10^decimals.
i128 units_to_usd_wad(core::Amount units, int decimals, i128 price_wad, Toward t);
// A USD WAD in an asset's smallest units at its price (> 0): usd_wad * 10^decimals / price_wad.
core::Amount usd_wad_to_units(i128 usd_wad, int decimals, i128 price_wad, Toward t);

// Realised P&L of closing `closed_wad` units (signed: + closes a long) entered at `entry_wad`,
// at `price_wad`: closed * (price - entry), in USD WAD.
inline i128 realised_usd_wad(i128 closed_wad, i128 price_wad, i128 entry_wad, Toward t) {
  return usd_wad_of(closed_wad, price_wad - entry_wad, t);
}

// Volume-weighted entry after adding `added_wad` units at `price_wad` to `held_wad` units entered
// at `entry_wad` (both magnitudes, held + added > 0): entry + (price - entry) * added / (held +
// added), one rounding toward `t` (the exact average rounded, since entry is an integer).
i128 average_entry_wad(i128 entry_wad, i128 held_wad, i128 price_wad, i128 added_wad, Toward t);

// The entry rounding that makes a holder's later P&L round toward `pnl`: a long's P&L falls as
// its entry rises, a short's rises.
inline Toward entry_rounding(bool long_position, Toward pnl) {
  return long_position == (pnl == Toward::floor) ? Toward::ceil : Toward::floor;
}

}  // namespace shardsim::broker
