// Models cross-margin arithmetic of a perps account in exact integers: position values, initial
// and maintenance margin requirements, and trade cash flows, each rounded in the protocol's favour.
#pragma once

#include "protocols/api/fixed_point.hpp"

namespace shardsim::protocols::perps {

// Sizes are WAD (1e18 = one whole unit of the index asset); prices are WAD USD per whole unit;
// cash amounts are raw collateral units. `scale_units` = 10^(36 - collateral decimals) turns
// size * price into collateral units.
i128 notional_scale(int collateral_decimals);

// |size| * price in collateral units, magnitude rounded as asked.
i128 notional_units(i128 size_wad, i128 price_wad, i128 scale_units, Round r);

// size * price in collateral units, rounded toward minus infinity (a long is worth a bit less,
// a short owes a bit more): the value counted in equity.
i128 position_value_floor(i128 size_wad, i128 price_wad, i128 scale_units);

// ceil(ceil(|size| * price) * fraction): a margin requirement (IMR with IMF, MMR with MMF).
i128 margin_requirement(i128 size_wad, i128 price_wad, i128 fraction_wad, i128 scale_units);

// The change of the trader's quote balance Q when `size_wad` (signed) executes at
// `price_wad`: -size*price, rounded toward minus infinity (buyers pay up, sellers get less).
i128 trade_cash_delta(i128 size_wad, i128 price_wad, i128 scale_units);

// Execution price at mark +/- spread, rounded against the trader: buys (size > 0) pay
// mark + ceil(mark*spread), sells get mark - ceil(mark*spread).
i128 execution_price(i128 mark_wad, i128 spread_wad, bool buy);

// Sums over an account's positions, in collateral units.
struct MarginTotals {
  i128 equity = 0;  // TAV = Q + sum S_i*P_i
  i128 imr = 0;     // sum |S_i*P_i| * IMF_i
  i128 mmr = 0;     // sum |S_i*P_i| * MMF_i
  i128 free_collateral() const { return equity - imr; }
  bool liquidatable() const { return equity < mmr; }
};

}  // namespace shardsim::protocols::perps
