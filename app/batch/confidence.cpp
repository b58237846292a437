// Student-t intervals (quantiles from Boost.Math), computed in a fixed order so the numbers are identical on every run.
#include "app/batch/confidence.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>

namespace shardsim::app {

double t95(std::size_t df) {
  if (df == 0) return 0;
  // The two-sided 95% quantile: t such that P(T <= t) = 0.975 with `df` degrees of freedom.
  return boost::math::quantile(boost::math::students_t_distribution<double>(static_cast<double>(df)), 0.975);
}

Interval mean_ci95(const std::vector<double>& values) {
  Interval out;
  out.n = values.size();
  if (values.empty()) return out;
  double sum = 0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(out.n);
  out.ci_low = out.ci_high = out.mean;
  if (out.n < 2) return out;
  double squares = 0;
  for (double v : values) squares += (v - out.mean) * (v - out.mean);
  const double sd = std::sqrt(squares / static_cast<double>(out.n - 1));
  const double half = t95(out.n - 1) * sd / std::sqrt(static_cast<double>(out.n));
  out.ci_low = out.mean - half;
  out.ci_high = out.mean + half;
  return out;
}

std::optional<Interval> paired_diff_ci95(const std::vector<std::optional<double>>& a,
                                         const std::vector<std::optional<double>>& b) {
  std::vector<double> diffs;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] && b[i]) diffs.push_back(*b[i] - *a[i]);
  }
  if (diffs.empty()) return std::nullopt;
  return mean_ci95(diffs);
}

int significant_sign(const Interval& diff) {
  if (diff.n < 2) return 0;
  if (diff.ci_low > 0) return 1;
  if (diff.ci_high < 0) return -1;
  return 0;
}

}  // namespace shardsim::app
