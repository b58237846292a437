// Models the fixed-point arithmetic of a Synthetix v2 debt pool: USD values of token amounts,
// debt shares minted on issue and retired on burn, a staker's floating debt, the exchange quote
// with its fee, and the burn that restores the target c-ratio on liquidation. Pure functions.
#pragma once

#include "protocols/api/fixed_point.hpp"

namespace shardsim::protocols::synthetics {

// 10^decimals for decimals in [0, 38] (table lookup).
i128 unit_scale(int decimals);

// USD value (WAD) of `units` smallest units of an asset with `decimals`, at `price_wad`.
i128 value_wad(i128 units, int decimals, i128 price_wad, Round r);
// Smallest units of an asset worth `value_wad` USD at `price_wad` (> 0).
i128 units_for_value(i128 value_wad, int decimals, i128 price_wad, Round r);

// Debt shares for new debt worth `value_wad`: value / (total debt / total shares), rounded up
// (the issuer owes at least what it took). An empty or worthless pool gives shares 1:1.
i128 shares_for_issue(i128 value_wad, i128 total_debt_wad, i128 total_shares);
// Debt shares retired by burning `value_wad`, rounded down (the burner keeps any dust debt).
i128 shares_for_burn(i128 value_wad, i128 total_debt_wad, i128 total_shares);
// A holder's debt: shares * total debt / total shares, rounded up; 0 when there are no shares.
i128 debt_of_shares(i128 shares, i128 total_debt_wad, i128 total_shares);

// collateral value * ratio - debt: what may still be issued (negative when above the ratio).
i128 issuable_wad(i128 collateral_value_wad, i128 debt_wad, i128 issuance_ratio_wad);
// debt / collateral value > ratio, exactly (true for any debt against zero collateral).
bool ratio_exceeds(i128 debt_wad, i128 collateral_value_wad, i128 ratio_wad);

// The sUSD value whose burn restores the target: (D - C*r) / (1 - (1+P)*r), rounded up; 0 when
// the staker is already at or below the target.
i128 burn_to_fix_wad(i128 debt_wad, i128 collateral_value_wad, i128 issuance_ratio_wad, i128 penalty_wad);

// An exchange of `amount_units` of synth A into synth B.
struct ExchangeQuote {
  i128 gross_value_wad = 0;  // amount * P_A (rounded down)
  i128 fee_value_wad = 0;    // gross * (rate_A + rate_B), rounded up
  i128 out_units = 0;        // (gross - fee) / P_B in B's units, rounded down
  i128 fee_units = 0;        // fee / P_sUSD in sUSD units, rounded down
};
struct ExchangeLeg {
  int decimals = 18;
  i128 price_wad = kWadUnit;
};
ExchangeQuote quote_exchange(i128 amount_units, ExchangeLeg from, ExchangeLeg to, ExchangeLeg susd,
                             i128 fee_rate_wad);

// a + b, throwing ArithmeticError (a revert) instead of overflowing.
i128 checked_add(i128 a, i128 b);

}  // namespace shardsim::protocols::synthetics
