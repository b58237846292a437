// Tests the statistics of `compare` and `sweep`: Student-t 95% intervals against textbook values,
// and the paired difference of two layouts on the same seeds.
#include <gtest/gtest.h>

#include <cmath>

#include "app/batch/confidence.hpp"

namespace shardsim {
namespace {

TEST(Confidence, TQuantilesMatchTheTable) {
  EXPECT_NEAR(app::t95(1), 12.7062, 0.0001);  // Boost.Math quantile against the printed table
  EXPECT_NEAR(app::t95(9), 2.2622, 0.0001);
  EXPECT_NEAR(app::t95(30), 2.0423, 0.0001);
  EXPECT_NEAR(app::t95(60), 2.000, 0.002);   // table value 2.000
  EXPECT_NEAR(app::t95(120), 1.980, 0.002);  // table value 1.980
  EXPECT_GT(app::t95(31), app::t95(1000));
  EXPECT_NEAR(app::t95(1'000'000), 1.96, 0.001);
}

TEST(Confidence, MeanAndIntervalOfKnownSample) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd sqrt(32/7), t(7) = 2.364624 (to 6 decimals).
  const app::Interval iv = app::mean_ci95({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(iv.n, 8u);
  EXPECT_DOUBLE_EQ(iv.mean, 5.0);
  const double half = 2.364624 * std::sqrt(32.0 / 7.0) / std::sqrt(8.0);
  EXPECT_NEAR(iv.ci_low, 5.0 - half, 1e-6);
  EXPECT_NEAR(iv.ci_high, 5.0 + half, 1e-6);
}

TEST(Confidence, OneValueHasNoSpreadAndNoneIsEmpty) {
  const app::Interval one = app::mean_ci95({3.5});
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.ci_low, 3.5);
  EXPECT_EQ(one.ci_high, 3.5);
  EXPECT_EQ(app::mean_ci95({}).n, 0u);
}

TEST(Confidence, PairedDifferenceCancelsSharedNoise) {
  // B is A plus exactly 10 on every seed: the paired difference is 10 with a zero-width interval,
  // although A alone is spread widely.
  const std::vector<std::optional<double>> a = {1, 50, -20, 7, 300};
  std::vector<std::optional<double>> b;
  for (const auto& v : a) b.push_back(*v + 10);
  const auto d = app::paired_diff_ci95(a, b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->n, 5u);
  EXPECT_DOUBLE_EQ(d->mean, 10.0);
  EXPECT_NEAR(d->ci_high - d->ci_low, 0.0, 1e-9);
  EXPECT_GT(app::mean_ci95({1, 50, -20, 7, 300}).ci_high - app::mean_ci95({1, 50, -20, 7, 300}).ci_low, 100.0);
}

TEST(Confidence, PairedDifferenceSkipsSeedsMissingOnEitherSide) {
  const std::vector<std::optional<double>> a = {1, std::nullopt, 3, 4};
  const std::vector<std::optional<double>> b = {2, 5, std::nullopt, 8};
  const auto d = app::paired_diff_ci95(a, b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->n, 2u);  // seeds 0 and 3
  EXPECT_DOUBLE_EQ(d->mean, 2.5);
  EXPECT_FALSE(app::paired_diff_ci95({std::nullopt}, {1.0}).has_value());
}

}  // namespace
}  // namespace shardsim
