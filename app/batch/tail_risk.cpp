// Wilson intervals, nearest-rank quantiles and expected shortfall, in a fixed order.
#include "app/batch/tail_risk.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::app {
namespace {
constexpr double kZ = 1.959963984540054;  // two-sided 95%
}

Proportion wilson95(std::uint64_t events, std::uint64_t n) {
  Proportion out{events, n, 0, 0, 0};
  if (n == 0) return out;
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(events) / nn;
  const double z2 = kZ * kZ;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  out.p = p;
  out.ci_low = std::max(0.0, centre - half);
  out.ci_high = std::min(1.0, centre + half);
  if (events == 0) out.ci_low = 0;
  if (events == n) out.ci_high = 1;
  return out;
}

std::uint64_t seeds_to_bound(double p_upper) {
  if (p_upper <= 0 || p_upper >= 1) return 0;
  const double z2 = kZ * kZ;
  return static_cast<std::uint64_t>(std::ceil(z2 * (1 - p_upper) / p_upper));
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size()));
  const std::size_t i = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
  return values[std::min(i, values.size() - 1)];
}

TailRisk tail_risk(std::vector<double> pnl, double level) {
  TailRisk out;
  if (pnl.empty()) return out;
  std::sort(pnl.begin(), pnl.end());
  const double tail = (1 - level) * static_cast<double>(pnl.size());
  const auto worst = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(tail - 1e-9)));
  out.var = 0.0 - pnl[worst - 1];  // never -0
  double sum = 0;
  for (std::size_t i = 0; i < worst; ++i) sum += pnl[i];
  out.es = 0.0 - sum / static_cast<double>(worst);
  return out;
}

LossStats loss_stats(const std::vector<double>& values) {
  LossStats out;
  std::uint64_t hit = 0;
  double sum = 0;
  for (const double v : values) {
    hit += v > 0 ? 1 : 0;
    sum += v;
  }
  out.p_any = wilson95(hit, values.size());
  out.mean = values.empty() ? 0.0 : sum / static_cast<double>(values.size());
  out.p99 = quantile(values, 0.99);
  return out;
}

}  // namespace shardsim::app
