// Student-t intervals, computed in a fixed order so the numbers are identical on every run.
#include "app/confidence.hpp"

#include <array>
#include <cmath>

namespace shardsim::app {

double t95(std::size_t df) {
  static constexpr std::array<double, 31> kTable = {
      0,      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
      2.074,  2.069,  2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  if (df < kTable.size()) return kTable[df];
  // Between the table's end and infinity, t is close to linear in 1/df.
  const double at30 = kTable[30];
  const double z = 1.959964;
  return z + (at30 - z) * (30.0 / static_cast<double>(df));
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

}  // namespace shardsim::app
