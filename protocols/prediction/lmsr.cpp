// LMSR cost, prices and maker-favoured rounding of trade amounts.
#include "protocols/prediction/lmsr.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::protocols::prediction::lmsr {
namespace {

// Share quantities beyond this are refused (keeps every intermediate far inside i128 and double).
constexpr i128 kMaxUnits = static_cast<i128>(1'000'000'000'000'000'000LL) * 1'000'000'000'000LL;  // 1e30

// The difference C(after) - C(before) as an exact integer part and a bounded double part
// (|double part| <= b*ln(n)).
struct Delta {
  i128 whole_units;
  double frac_units;
};

Delta cost_delta(const Cost& before, const Cost& after, i128 b_units) {
  return Delta{after.shift_units - before.shift_units,
               static_cast<double>(b_units) * (after.log_sum - before.log_sum)};
}

}  // namespace

Cost cost(const std::vector<i128>& q_units, i128 b_units) {
  i128 shift = q_units.front();
  for (const i128 q : q_units) shift = std::max(shift, q);
  const double b = static_cast<double>(b_units);
  double sum = 0;
  for (const i128 q : q_units) sum += std::exp(static_cast<double>(q - shift) / b);
  return Cost{shift, std::log(sum)};
}

i128 safety_margin_units(i128 b_units) { return 1 + (b_units >> 40); }

i128 subsidy_units(i128 b_units, std::size_t outcomes) {
  const double loss = static_cast<double>(b_units) * std::log(static_cast<double>(outcomes));
  return static_cast<i128>(std::ceil(loss)) + safety_margin_units(b_units);
}

std::optional<i128> buy_cost_units(const std::vector<i128>& q_units, i128 b_units, std::size_t outcome,
                                   i128 shares_units) {
  if (shares_units <= 0 || shares_units > kMaxUnits || q_units[outcome] > kMaxUnits - shares_units) {
    return std::nullopt;
  }
  std::vector<i128> after = q_units;
  after[outcome] += shares_units;
  const Delta d = cost_delta(cost(q_units, b_units), cost(after, b_units), b_units);
  if (!std::isfinite(d.frac_units)) return std::nullopt;
  return d.whole_units + static_cast<i128>(std::ceil(d.frac_units)) + safety_margin_units(b_units);
}

std::optional<i128> sell_proceeds_units(const std::vector<i128>& q_units, i128 b_units, std::size_t outcome,
                                        i128 shares_units) {
  if (shares_units <= 0 || shares_units > kMaxUnits || q_units[outcome] < -kMaxUnits + shares_units) {
    return std::nullopt;
  }
  std::vector<i128> after = q_units;
  after[outcome] -= shares_units;
  // What the maker gives back: C(q) - C(q - d) = -(C(after) - C(before)).
  const Delta d = cost_delta(cost(after, b_units), cost(q_units, b_units), b_units);
  if (!std::isfinite(d.frac_units)) return std::nullopt;
  const i128 proceeds = d.whole_units + static_cast<i128>(std::floor(d.frac_units)) - safety_margin_units(b_units);
  return std::max<i128>(proceeds, 0);
}

std::vector<double> prices(const std::vector<i128>& q_units, i128 b_units) {
  const Cost c = cost(q_units, b_units);
  const double b = static_cast<double>(b_units);
  std::vector<double> out;
  out.reserve(q_units.size());
  double sum = 0;
  for (const i128 q : q_units) {
    out.push_back(std::exp(static_cast<double>(q - c.shift_units) / b));
    sum += out.back();
  }
  for (double& p : out) p /= sum;
  return out;
}

}  // namespace shardsim::protocols::prediction::lmsr
