// Models Opyn Gamma's MarginCalculator for fully collateralised vaults (one short series, at most
// one long series of the same underlying, type, expiry and collateral) and the expiry payouts, in
// exact integers: a naked put needs strike x amount of cash, a naked call one underlying per
// option; a spread needs its maximum loss (put: max(Ks*short - Kl*min(short, long), 0) cash; call:
// max((Kl - Ks)*short/Kl, max(short - long, 0)) underlying). A put pays max(K - S, 0) cash, a call
// (S - K)/S underlying (worth max(S - K, 0)). Requirements round up, payouts to holders down.
#pragma once

#include "protocols/api/fixed_point.hpp"
#include "protocols/options/options_params.hpp"

namespace shardsim::protocols::options {

// One side of a vault: a series and an option amount in WAD (whole options).
struct Leg {
  const Series* series = nullptr;
  i128 amount_wad = 0;
};

// A WAD amount of a `decimals`-decimal asset in raw units, rounded as asked.
i128 wad_to_units(i128 wad, int decimals, Round r);
// Raw units of a `decimals`-decimal asset as WAD (exact for decimals <= 18).
i128 units_to_wad(i128 units, int decimals);

// Collateral (WAD of the vault's collateral asset) a vault with this short and long needs.
i128 margin_required_wad(const Leg& short_leg, const Leg& long_leg);

// Raw units a vault holding a long adds to its spread margin: the vault pays its short rounded
// up twice (WAD, then units) and receives its long rounded down twice, so the formula's exact
// maximum loss can be short by up to 3 units; 4 covers it (Gamma has no such cushion).
inline constexpr i128 kSpreadCushionUnits = 4;

// The requirement in raw units of a `decimals`-decimal collateral, cushion included.
i128 margin_required_units(const Leg& short_leg, const Leg& long_leg, int decimals);

// What `amount_wad` options of `s` pay at expiry price `price_wad` (WAD of the series'
// collateral: cash for a put, underlying for a call), rounded as asked.
i128 payout_wad(const Series& s, i128 amount_wad, i128 price_wad, Round r);

// True when `s` pays something at `price_wad`.
bool in_the_money(const Series& s, i128 price_wad);

// Whether `long_series` may sit in a vault shorting `short_series` (Gamma: same underlying,
// strike asset, collateral, type and expiry).
bool spread_compatible(const Series& short_series, const Series& long_series);

}  // namespace shardsim::protocols::options
