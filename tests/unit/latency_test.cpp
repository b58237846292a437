// Tests the latency model: every kind's draws, floors and means, and the link table lookahead.
#include "core/latency.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardsim::core {
namespace {

constexpr int kDrawCount = 100'000;

LatencySpec constant_spec(Duration value) {
  LatencySpec spec;
  spec.kind = LatencyKind::constant;
  spec.value = value;
  return spec;
}

LatencySpec uniform_spec(Duration low, Duration high) {
  LatencySpec spec;
  spec.kind = LatencyKind::uniform;
  spec.low = low;
  spec.high = high;
  return spec;
}

LatencySpec lognormal_spec(Duration median, double sigma) {
  LatencySpec spec;
  spec.kind = LatencyKind::lognormal;
  spec.median = median;
  spec.sigma = sigma;
  return spec;
}

LatencySpec normal_spec(Duration mean, Duration stddev) {
  LatencySpec spec;
  spec.kind = LatencyKind::normal;
  spec.mean = mean;
  spec.stddev = stddev;
  return spec;
}

LatencySpec empirical_spec(std::vector<EmpiricalPoint> table) {
  LatencySpec spec;
  spec.kind = LatencyKind::empirical;
  spec.table = std::move(table);
  return spec;
}

LatencySpec with_min(LatencySpec spec, Duration min) {
  spec.min = min;
  return spec;
}

std::vector<std::int64_t> draws_us(const LatencyModel& model, std::uint64_t seed) {
  Rng rng = Rng::for_entity(seed, "latency_test");
  std::vector<std::int64_t> out(kDrawCount);
  for (auto& x : out) x = model.sample(rng).count_us();
  return out;
}

double mean_of(const std::vector<std::int64_t>& xs) {
  double sum = 0;
  for (auto x : xs) sum += static_cast<double>(x);
  return sum / static_cast<double>(xs.size());
}

double stddev_of(const std::vector<std::int64_t>& xs) {
  const double mean = mean_of(xs);
  double sum_sq = 0;
  for (auto x : xs) sum_sq += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  return std::sqrt(sum_sq / static_cast<double>(xs.size() - 1));
}

double fraction_equal(const std::vector<std::int64_t>& xs, std::int64_t value) {
  return static_cast<double>(std::count(xs.begin(), xs.end(), value)) /
         static_cast<double>(xs.size());
}

// ---- constant ----

TEST(LatencyConstant, ExactAndDrawsNothing) {
  const auto model = LatencyModel::from_spec(constant_spec(Duration::s(24)));
  Rng rng(1);
  const Rng untouched = rng;
  for (int i = 0; i < 100; ++i) ASSERT_EQ(model.sample(rng), Duration::s(24));
  EXPECT_EQ(rng.next_u64(), Rng(untouched).next_u64());
  EXPECT_EQ(model.floor(), Duration::s(24));
  EXPECT_EQ(model.mean_estimate(), Duration::s(24));
  EXPECT_EQ(model.spec().value, Duration::s(24));
}

TEST(LatencyConstant, MinRaisesTheValue) {
  const auto model =
      LatencyModel::from_spec(with_min(constant_spec(Duration::ms(1)), Duration::ms(5)));
  Rng rng(1);
  EXPECT_EQ(model.sample(rng), Duration::ms(5));
  EXPECT_EQ(model.floor(), Duration::ms(5));
  EXPECT_EQ(model.mean_estimate(), Duration::ms(5));
}

TEST(LatencyConstant, FloorIsAtLeastOneMicrosecond) {
  const auto model = LatencyModel::from_spec(constant_spec(Duration::us(0)));
  Rng rng(1);
  EXPECT_EQ(model.floor(), Duration::us(1));
  EXPECT_EQ(model.sample(rng), Duration::us(1));
}

// ---- uniform ----

TEST(LatencyUniform, InclusiveBoundsAndMean) {
  const auto model = LatencyModel::from_spec(uniform_spec(Duration::us(100), Duration::us(200)));
  const auto xs = draws_us(model, 2);
  EXPECT_EQ(*std::min_element(xs.begin(), xs.end()), 100);
  EXPECT_EQ(*std::max_element(xs.begin(), xs.end()), 200);
  const double sd = std::sqrt((101.0 * 101.0 - 1) / 12);  // discrete uniform on 101 values
  EXPECT_NEAR(mean_of(xs), 150.0, 5 * sd / std::sqrt(kDrawCount));
  EXPECT_NEAR(stddev_of(xs), sd, 0.02 * sd);
  EXPECT_EQ(model.floor(), Duration::us(100));
  EXPECT_EQ(model.mean_estimate(), Duration::us(150));
}

TEST(LatencyUniform, MinInsideTheRangeClampsDraws) {
  const auto model = LatencyModel::from_spec(
      with_min(uniform_spec(Duration::us(100), Duration::us(200)), Duration::us(150)));
  const auto xs = draws_us(model, 3);
  EXPECT_EQ(*std::min_element(xs.begin(), xs.end()), 150);
  EXPECT_NEAR(fraction_equal(xs, 150), 51.0 / 101, 0.008);  // 100..150 all become 150
  const double exact_mean = (50.0 * 150 + (150.0 + 200) * 51 / 2) / 101;  // 162.62
  EXPECT_NEAR(mean_of(xs), exact_mean, 0.5);
  EXPECT_EQ(model.floor(), Duration::us(150));
  EXPECT_EQ(model.mean_estimate(), Duration::us(163));
}

// ---- lognormal ----

TEST(LatencyLognormal, MedianMatchesAndMinRespected) {
  const auto spec = with_min(lognormal_spec(Duration::s(4), 0.5), Duration::s(2));
  const auto model = LatencyModel::from_spec(spec);
  auto xs = draws_us(model, 4);
  EXPECT_EQ(*std::min_element(xs.begin(), xs.end()), 2'000'000);
  // P(draw < 2s) = Phi(ln(0.5) / 0.5) = 0.08289; those draws sit exactly on the floor.
  EXPECT_NEAR(fraction_equal(xs, 2'000'000), 0.08289, 0.0044);
  std::nth_element(xs.begin(), xs.begin() + kDrawCount / 2, xs.end());
  EXPECT_NEAR(static_cast<double>(xs[kDrawCount / 2]), 4e6, 0.01 * 4e6);
  EXPECT_EQ(model.floor(), Duration::s(2));
  EXPECT_EQ(model.mean_estimate(), Duration::us(std::llround(4e6 * std::exp(0.125))));
}

TEST(LatencyLognormal, SigmaScalesTheLogSpread) {
  const auto model = LatencyModel::from_spec(lognormal_spec(Duration::ms(100), 0.3));
  const auto xs = draws_us(model, 5);
  double sum = 0;
  double sum_sq = 0;
  for (auto x : xs) {
    const double l = std::log(static_cast<double>(x));
    sum += l;
    sum_sq += l * l;
  }
  const double mean_log = sum / kDrawCount;
  const double sd_log = std::sqrt(sum_sq / kDrawCount - mean_log * mean_log);
  EXPECT_NEAR(mean_log, std::log(1e5), 0.005);
  EXPECT_NEAR(sd_log, 0.3, 0.006);
  EXPECT_EQ(model.floor(), Duration::us(1));
}

// ---- normal ----

TEST(LatencyNormal, FarMinLeavesMeanAndSpread) {
  const auto model = LatencyModel::from_spec(
      with_min(normal_spec(Duration::ms(100), Duration::ms(10)), Duration::ms(1)));
  const auto xs = draws_us(model, 6);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 1'000);
  EXPECT_NEAR(mean_of(xs), 100'000.0, 5 * 10'000.0 / std::sqrt(kDrawCount));
  EXPECT_NEAR(stddev_of(xs), 10'000.0, 120.0);
  EXPECT_EQ(model.floor(), Duration::ms(1));
  EXPECT_EQ(model.mean_estimate(), Duration::ms(100));
}

TEST(LatencyNormal, TruncatesByRejectionNotByClamping) {
  // min at the mean: rejection gives a half-normal, mean + sd * sqrt(2 / pi) = 107.98ms;
  // clamping would put half the draws on the floor and give 103.99ms.
  const auto model = LatencyModel::from_spec(
      with_min(normal_spec(Duration::ms(100), Duration::ms(10)), Duration::ms(100)));
  const auto xs = draws_us(model, 7);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 100'000);
  EXPECT_LT(fraction_equal(xs, 100'000), 0.001);
  const double half_normal_mean = 100'000.0 + 10'000.0 * std::sqrt(2.0 / std::numbers::pi);
  EXPECT_NEAR(mean_of(xs), half_normal_mean, 5 * 6'028.0 / std::sqrt(kDrawCount));
}

TEST(LatencyNormal, UnreachableMinReturnsTheFloor) {
  const auto model = LatencyModel::from_spec(
      with_min(normal_spec(Duration::ms(1), Duration::us(1)), Duration::s(1)));
  Rng rng(8);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(model.sample(rng), Duration::s(1));
}

TEST(LatencyNormal, NoMinMeansOneMicrosecondFloor) {
  const auto model = LatencyModel::from_spec(normal_spec(Duration::us(2), Duration::us(50)));
  EXPECT_EQ(model.floor(), Duration::us(1));
  const auto xs = draws_us(model, 9);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 1);
}

// ---- empirical ----

TEST(LatencyEmpirical, FrequenciesMatchWeights) {
  const auto model = LatencyModel::from_spec(empirical_spec(
      {{Duration::ms(40), 7.0}, {Duration::ms(10), 1.0}, {Duration::ms(20), 2.0}}));
  const auto xs = draws_us(model, 10);
  EXPECT_NEAR(fraction_equal(xs, 10'000), 0.1, 0.0075);
  EXPECT_NEAR(fraction_equal(xs, 20'000), 0.2, 0.0075);
  EXPECT_NEAR(fraction_equal(xs, 40'000), 0.7, 0.0075);
  EXPECT_EQ(model.floor(), Duration::ms(10));  // smallest value, not the first entry
  EXPECT_EQ(model.mean_estimate(), Duration::ms(33));
}

TEST(LatencyEmpirical, MinRaisesSmallEntries) {
  const auto model = LatencyModel::from_spec(with_min(
      empirical_spec({{Duration::ms(10), 1.0}, {Duration::ms(20), 1.0}}), Duration::ms(15)));
  const auto xs = draws_us(model, 11);
  EXPECT_NEAR(fraction_equal(xs, 15'000), 0.5, 0.008);
  EXPECT_NEAR(fraction_equal(xs, 20'000), 0.5, 0.008);
  EXPECT_EQ(model.floor(), Duration::ms(15));
  EXPECT_EQ(model.mean_estimate(), Duration::us(17'500));
}

// ---- validation ----

void expect_rejected(const LatencySpec& spec, const std::string& field) {
  try {
    LatencyModel::from_spec(spec);
    ADD_FAILURE() << "accepted a spec with a bad " << field;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(LatencySpecValidation, RejectsInsaneValues) {
  expect_rejected(constant_spec(Duration::us(-1)), "value");
  expect_rejected(uniform_spec(Duration::ms(5), Duration::ms(2)), "low must be <= high");
  expect_rejected(lognormal_spec(Duration::us(0), 0.5), "median");
  expect_rejected(lognormal_spec(Duration::ms(1), -0.5), "sigma");
  expect_rejected(lognormal_spec(Duration::ms(1), std::nan("")), "sigma");
  expect_rejected(normal_spec(Duration::ms(1), Duration::us(-1)), "stddev");
  expect_rejected(empirical_spec({}), "table");
  expect_rejected(empirical_spec({{Duration::ms(1), 0.0}}), "weight");
  expect_rejected(with_min(constant_spec(Duration::ms(1)), Duration::us(-5)), "min");
}

// ---- determinism ----

TEST(LatencyDeterminism, SameSeedSameSamples) {
  const std::vector<LatencySpec> specs = {
      constant_spec(Duration::ms(3)),
      uniform_spec(Duration::ms(1), Duration::ms(9)),
      with_min(lognormal_spec(Duration::s(4), 0.5), Duration::s(2)),
      with_min(normal_spec(Duration::ms(50), Duration::ms(20)), Duration::ms(10)),
      empirical_spec({{Duration::ms(1), 1.0}, {Duration::ms(2), 3.0}}),
  };
  for (const auto& spec : specs) {
    const auto model = LatencyModel::from_spec(spec);
    Rng a = Rng::for_entity(99, "link:0-1");
    Rng b = Rng::for_entity(99, "link:0-1");
    Rng other = Rng::for_entity(99, "link:1-0");
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
      const Duration x = model.sample(a);
      ASSERT_EQ(x, model.sample(b));
      differs = differs || x != model.sample(other);
    }
    EXPECT_EQ(differs, spec.kind != LatencyKind::constant);
  }
}

// ---- link table ----

TEST(LinkTable, DefaultOverrideAndLookahead) {
  LinkTable links(3, constant_spec(Duration::s(24)));
  EXPECT_EQ(links.get(0, 1).floor(), Duration::s(24));
  EXPECT_EQ(links.lookahead(), Duration::s(24));

  links.set_pair(0, 2, with_min(lognormal_spec(Duration::s(4), 0.5), Duration::s(2)));
  EXPECT_EQ(links.get(0, 2).spec().kind, LatencyKind::lognormal);
  EXPECT_EQ(links.get(0, 2).floor(), Duration::s(2));
  EXPECT_EQ(links.get(2, 0).spec().kind, LatencyKind::constant);  // directed
  EXPECT_EQ(links.lookahead(), Duration::s(2));

  links.set_pair(1, 1, constant_spec(Duration::us(5)));  // a self pair is not a link
  EXPECT_EQ(links.get(1, 1).floor(), Duration::us(5));
  EXPECT_EQ(links.lookahead(), Duration::s(2));

  links.set_pair(0, 2, constant_spec(Duration::s(30)));  // replacing can raise the lookahead
  EXPECT_EQ(links.lookahead(), Duration::s(24));
}

TEST(LinkTable, UnusedDefaultDoesNotCount) {
  LinkTable links(2, constant_spec(Duration::us(1)));
  links.set_pair(0, 1, uniform_spec(Duration::ms(7), Duration::ms(9)));
  EXPECT_EQ(links.lookahead(), Duration::us(1));  // (1, 0) still uses the default
  links.set_pair(1, 0, constant_spec(Duration::ms(5)));
  EXPECT_EQ(links.lookahead(), Duration::ms(5));
}

TEST(LinkTable, SingleEndpointUsesDefaultFloor) {
  LinkTable links(1, uniform_spec(Duration::ms(3), Duration::ms(4)));
  EXPECT_EQ(links.lookahead(), Duration::ms(3));
  links.set_pair(0, 0, constant_spec(Duration::us(10)));
  EXPECT_EQ(links.lookahead(), Duration::ms(3));
}

TEST(LinkTable, BadEndpointsThrow) {
  EXPECT_THROW(LinkTable(0, constant_spec(Duration::ms(1))), std::invalid_argument);
  EXPECT_THROW(LinkTable(2, uniform_spec(Duration::ms(2), Duration::ms(1))), std::invalid_argument);
  LinkTable links(2, constant_spec(Duration::ms(1)));
  EXPECT_THROW(links.get(0, 2), std::out_of_range);
  EXPECT_THROW(links.set_pair(2, 0, constant_spec(Duration::ms(1))), std::out_of_range);
}

}  // namespace
}  // namespace shardsim::core
