// Models Hanson's logarithmic market scoring rule (LMSR) maker on integer share quantities:
// C(q) = b*ln(sum_i exp(q_i/b)), prices p_i = exp(q_i/b)/sum_j exp(q_j/b), trade cost
// C(q+delta) - C(q), worst-case loss b*ln(n). exp/ln run in double internally; what is charged
// or paid is an integer count of collateral units rounded in the maker's favour.
#pragma once

#include <optional>
#include <vector>

#include "protocols/api/fixed_point.hpp"

namespace shardsim::protocols::prediction::lmsr {

// C(q) = shift_units + b*log_sum, with shift_units = max_i q_i exact and log_sum in [0, ln n].
struct Cost {
  i128 shift_units = 0;
  double log_sum = 0;
};

Cost cost(const std::vector<i128>& q_units, i128 b_units);

// The extra units charged (buys) or withheld (sells) to cover double rounding in exp/ln:
// 1 unit plus b/2^40 units.
i128 safety_margin_units(i128 b_units);

// Collateral the maker needs up front: ceil(b*ln(n)) plus the margin.
i128 subsidy_units(i128 b_units, std::size_t outcomes);

// Collateral a trader pays to buy `shares_units` (> 0) of `outcome`: C(q+d) - C(q) rounded up
// plus the margin. Nothing when the numbers are out of range.
std::optional<i128> buy_cost_units(const std::vector<i128>& q_units, i128 b_units, std::size_t outcome,
                                   i128 shares_units);

// Collateral paid to a trader selling `shares_units` (> 0) of `outcome` to the maker:
// C(q) - C(q-d) rounded down, less the margin, never negative.
std::optional<i128> sell_proceeds_units(const std::vector<i128>& q_units, i128 b_units, std::size_t outcome,
                                        i128 shares_units);

// Instantaneous prices, summing to 1 (up to double rounding).
std::vector<double> prices(const std::vector<i128>& q_units, i128 b_units);

}  // namespace shardsim::protocols::prediction::lmsr
