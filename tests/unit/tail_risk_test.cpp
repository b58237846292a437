// Tests the solvency statistics against values computed by hand: Wilson score intervals (at 0, n
// and in between), the seeds a never-seen event needs, nearest-rank quantiles, and value at risk
// and expected shortfall of a small P&L sample.
#include <gtest/gtest.h>

#include <vector>

#include "app/batch/tail_risk.hpp"

namespace shardsim::app {
namespace {

TEST(TailRisk, WilsonIntervalsMatchTheScoreFormula) {
  // 0 of 20: [0, z^2 / (n + z^2)] = [0, 0.16113].
  const Proportion none = wilson95(0, 20);
  EXPECT_EQ(none.p, 0.0);
  EXPECT_EQ(none.ci_low, 0.0);
  EXPECT_NEAR(none.ci_high, 0.161125, 1e-6);
  // 20 of 20 mirrors it.
  const Proportion all = wilson95(20, 20);
  EXPECT_NEAR(all.ci_low, 0.838875, 1e-6);
  EXPECT_EQ(all.ci_high, 1.0);
  // 5 of 20: centre (0.25 + 1.9208/20) / (1 + 3.8415/20), half-width from the score formula.
  const Proportion some = wilson95(5, 20);
  EXPECT_DOUBLE_EQ(some.p, 0.25);
  EXPECT_NEAR(some.ci_low, 0.111862, 1e-6);
  EXPECT_NEAR(some.ci_high, 0.468701, 1e-6);
  EXPECT_EQ(wilson95(0, 0).n, 0u);
}

TEST(TailRisk, SeedsToBoundANeverSeenEvent) {
  // 0 of n has upper bound z^2 / (n + z^2): below 1% from n = 381 on.
  EXPECT_EQ(seeds_to_bound(0.01), 381u);
  EXPECT_LT(wilson95(0, 381).ci_high, 0.01);
  EXPECT_GT(wilson95(0, 380).ci_high, 0.01);
  EXPECT_EQ(seeds_to_bound(0.001), 3838u);
}

TEST(TailRisk, NearestRankQuantilesAndTheLossTail) {
  const std::vector<double> pnl{5, -100, 20, -10, 0, 30, -50, 10, 15, 25};  // sorted: -100 -50 -10 0 5 10 15 20 25 30
  EXPECT_EQ(quantile(pnl, 0.5), 5.0);
  EXPECT_EQ(quantile(pnl, 0.1), -100.0);
  EXPECT_EQ(quantile(pnl, 0.2), -50.0);
  EXPECT_EQ(quantile(pnl, 1.0), 30.0);
  EXPECT_EQ(quantile(pnl, 0.0), -100.0);
  // At 80%: the worst 2 of 10 -> VaR 50, ES (100 + 50) / 2.
  const TailRisk t80 = tail_risk(pnl, 0.8);
  EXPECT_EQ(t80.var, 50.0);
  EXPECT_EQ(t80.es, 75.0);
  // At 99% with 10 seeds the tail is the single worst seed.
  const TailRisk t99 = tail_risk(pnl, 0.99);
  EXPECT_EQ(t99.var, 100.0);
  EXPECT_EQ(t99.es, 100.0);
}

// A protocol's loss over seeds (insurance drawn, socialised): how often, the mean and the p99.
TEST(TailRisk, LossStatsCountTheSeedsWithALossAndItsTail) {
  const std::vector<double> drawn{0, 0, 120, 0, 30, 0, 0, 0, 0, 50};
  const LossStats s = loss_stats(drawn);
  EXPECT_EQ(s.p_any.events, 3u);
  EXPECT_EQ(s.p_any.n, 10u);
  EXPECT_DOUBLE_EQ(s.p_any.p, 0.3);
  EXPECT_NEAR(s.p_any.ci_low, wilson95(3, 10).ci_low, 1e-12);
  EXPECT_DOUBLE_EQ(s.mean, 20.0);
  EXPECT_EQ(s.p99, 120.0);
  const LossStats none = loss_stats({0, 0, 0});
  EXPECT_EQ(none.p_any.events, 0u);
  EXPECT_EQ(none.p_any.ci_low, 0.0);
  EXPECT_EQ(none.mean, 0.0);
  EXPECT_EQ(loss_stats({}).p_any.n, 0u);
}

}  // namespace
}  // namespace shardsim::app
