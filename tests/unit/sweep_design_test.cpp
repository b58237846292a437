// Tests how a sweep samples ranges: numbers with units, Latin-hypercube strata (each of N strata
// hit once per dimension), determinism from the seed, and which values lie on a numeric axis.
#include <gtest/gtest.h>

#include <set>

#include "app/cli/sweep_design.hpp"
#include "app/topology/param_path.hpp"

namespace shardsim {
namespace {

TEST(SweepDesign, RangesKeepTheirUnitsAndPrecision) {
  const app::Range slots = app::parse_range("p", "10..40 slots");  // the unit on HI only
  EXPECT_EQ(app::range_value(slots, 0.0), "10 slots");
  EXPECT_EQ(app::range_value(slots, 0.5), "25 slots");
  EXPECT_EQ(app::range_value(slots, 0.999), "40 slots");
  const app::Range secs = app::parse_range("p", "2.0s..20.0s");
  EXPECT_EQ(app::range_value(secs, 0.25), "6.5s");
  EXPECT_EQ(app::range_value(app::parse_range("p", "2 s..20 s"), 0.5), "11s");  // as the loader reads a duration
  EXPECT_EQ(app::range_value(app::parse_range("p", "-1..1"), 0.5), "0");
  EXPECT_EQ(app::range_value(app::parse_range("p", "5%..30%"), 0.2), "10%");
  EXPECT_EQ(app::range_value(app::parse_range("p", "10k..1M"), 0.5), "505000");  // counts scale
  EXPECT_THROW(app::parse_range("p", "2s..1m"), app::ParamError);  // two units
  EXPECT_THROW(app::parse_range("p", "20..10"), app::ParamError);
  EXPECT_THROW(app::parse_range("p", "a..b"), app::ParamError);
  EXPECT_THROW(app::parse_sample("lhs"), app::ParamError);
  EXPECT_THROW(app::parse_sample("grid:4"), app::ParamError);
  EXPECT_THROW(app::parse_sample("random:0"), app::ParamError);
  EXPECT_EQ(app::parse_sample("random:7").n, 7u);
}

TEST(SweepDesign, LatinHypercubeHitsEachStratumOncePerDimension) {
  const std::uint64_t n = 16;
  const auto design = app::unit_design(app::SampleMethod::lhs, n, 3, 5);
  ASSERT_EQ(design.size(), n);
  for (std::size_t k = 0; k < 3; ++k) {
    std::set<std::uint64_t> strata;
    for (const auto& sample : design) {
      ASSERT_GE(sample[k], 0.0);
      ASSERT_LT(sample[k], 1.0);
      strata.insert(static_cast<std::uint64_t>(sample[k] * static_cast<double>(n)));
    }
    EXPECT_EQ(strata.size(), n) << "dimension " << k;
  }
  for (std::size_t i = 1; i < n; ++i) EXPECT_LE(design[i - 1][0], design[i][0]);  // sorted by the first
  // Deterministic from the seed; another seed, another design.
  EXPECT_EQ(design, app::unit_design(app::SampleMethod::lhs, n, 3, 5));
  EXPECT_NE(design, app::unit_design(app::SampleMethod::lhs, n, 3, 6));
  // Random sampling: deterministic too, and not stratified in general.
  const auto random = app::unit_design(app::SampleMethod::random, n, 2, 5);
  EXPECT_EQ(random, app::unit_design(app::SampleMethod::random, n, 2, 5));
  EXPECT_NE(random, app::unit_design(app::SampleMethod::lhs, n, 2, 5));
}

TEST(SweepDesign, NumericAxisNeedsOneUnitOrDurations) {
  const app::Axis secs = app::numeric_axis({"2s", "8s", "20s"});
  EXPECT_TRUE(secs.numeric);
  EXPECT_EQ(secs.unit, "s");
  EXPECT_EQ(secs.values, (std::vector<double>{2, 8, 20}));
  const app::Axis mixed = app::numeric_axis({"500ms", "2s", "1m"});
  EXPECT_TRUE(mixed.numeric);
  EXPECT_EQ(mixed.values, (std::vector<double>{0.5, 2, 60}));
  EXPECT_EQ(app::numeric_axis({"10 slots", " 20 slots"}).unit, "slots");
  EXPECT_FALSE(app::numeric_axis({"10 slots", "auto"}).numeric);
  EXPECT_FALSE(app::numeric_axis({"immediate", "batch"}).numeric);
  EXPECT_FALSE(app::numeric_axis({"10%", "2s"}).numeric);
}

}  // namespace
}  // namespace shardsim
