// Models the statistics an architect reads off replicas: the mean of a metric over seeds with a
// two-sided 95% confidence interval (Student's t, sample standard deviation), and the
// difference of two layouts run on the same seeds as a paired comparison (common random numbers:
// the per-seed differences are averaged, which cancels the variance the layouts share).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace shardsim::app {

struct Interval {
  std::size_t n = 0;
  double mean = 0;
  double ci_low = 0;   // equal to mean when n < 2 (no spread to estimate)
  double ci_high = 0;
};

// t quantile for a two-sided 95% interval with `df` degrees of freedom (df >= 1); a fixed table
// through df = 30, then interpolated in 1/df towards 1.96.
double t95(std::size_t df);

// Mean and 95% CI of `values` (n = 0 gives an empty interval).
Interval mean_ci95(const std::vector<double>& values);

// Paired difference b - a over the indices where both are present; nullopt if none.
std::optional<Interval> paired_diff_ci95(const std::vector<std::optional<double>>& a,
                                         const std::vector<std::optional<double>>& b);

// +1 when `diff`'s 95% CI lies above 0, -1 when below, 0 when it holds 0 or rests on fewer
// than 2 samples (no spread to estimate: no verdict).
int significant_sign(const Interval& diff);

}  // namespace shardsim::app
