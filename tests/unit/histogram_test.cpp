// Tests core/histogram: exact counts, min and max; exact percentiles for small and constant
// values; within 3% of the exact nearest-rank percentile for spread values.
#include "core/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.hpp"

namespace shardsim::core {
namespace {

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int v = 1; v <= 50; ++v) h.add(v);
  EXPECT_EQ(h.count(), 50u);
  EXPECT_EQ(h.percentile(50), 25);
  EXPECT_EQ(h.percentile(100), 50);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 50);
}

TEST(Histogram, ConstantLatencyIsExact) {
  Histogram h;
  for (int i = 0; i < 1000; ++i) h.add(24'000'000);
  EXPECT_EQ(h.percentile(50), 24'000'000);
  EXPECT_EQ(h.percentile(99), 24'000'000);
}

TEST(Histogram, SpreadValuesWithinThreePercent) {
  Rng rng(4);
  Histogram h;
  std::vector<std::int64_t> exact;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<std::int64_t>(rng.lognormal(std::log(2e6), 0.8));
    h.add(v);
    exact.push_back(v);
  }
  std::sort(exact.begin(), exact.end());
  for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(exact.size())));
    const double want = static_cast<double>(exact[rank - 1]);
    EXPECT_NEAR(static_cast<double>(h.percentile(p)), want, 0.03 * want) << p;
  }
  EXPECT_EQ(h.max(), exact.back());
  EXPECT_EQ(h.min(), exact.front());
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  a.add(10);
  b.add(1'000'000);
  b.add(1'000'000);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.percentile(50), 1'000'000);
  EXPECT_EQ(a.min(), 10);
}

}  // namespace
}  // namespace shardsim::core
