// Models the statistics of a broker's solvency over seeds (spec/clearing.md §8): the probability
// of an event with a Wilson score 95% interval (sound at 0 of n, unlike the normal
// approximation), and the tail of a P&L sample: quantiles, value at risk and expected shortfall.
#pragma once

#include <cstdint>
#include <vector>

namespace shardsim::app {

struct Proportion {
  std::uint64_t events = 0, n = 0;
  double p = 0, ci_low = 0, ci_high = 0;  // Wilson score interval, z = 1.96
};
Proportion wilson95(std::uint64_t events, std::uint64_t n);

// Seeds needed before a Wilson interval of an event never seen can fall below `p_upper` (about
// 3.84 / p_upper: the bound with 0 of n is z^2 / (n + z^2)).
std::uint64_t seeds_to_bound(double p_upper);

// The empirical q-quantile (0 <= q <= 1) of `values` by the nearest-rank rule on sorted values.
double quantile(std::vector<double> values, double q);

// Loss side of a P&L sample at `level` (e.g. 0.99): value at risk is the loss (-P&L) not
// exceeded with that probability, the nearest-rank (1 - level) quantile of P&L negated;
// expected shortfall is the mean loss over the worst ceil((1 - level) n) outcomes (at least one).
struct TailRisk {
  double var = 0, es = 0;
};
TailRisk tail_risk(std::vector<double> pnl, double level);

// A loss over seeds (one value a seed, >= 0): how often it happened (value > 0, Wilson 95%), its
// mean and its nearest-rank 99th percentile.
struct LossStats {
  Proportion p_any;
  double mean = 0, p99 = 0;
};
LossStats loss_stats(const std::vector<double>& values);

}  // namespace shardsim::app
