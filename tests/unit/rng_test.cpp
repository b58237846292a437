// Tests the randomness model: pinned streams, independence, unbiased integers, moments.
#include "core/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardsim::core {
namespace {

constexpr int kDrawCount = 100'000;

struct Moments {
  double mean = 0;
  double variance = 0;
};

template <typename Draw>
Moments moments_of(Draw draw, int count = kDrawCount) {
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < count; ++i) {
    const double x = static_cast<double>(draw());
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / count;
  return {mean, (sum_sq - count * mean * mean) / (count - 1)};
}

// Tolerance of 5 standard errors for a sample mean and a sample variance of kDrawCount draws.
double mean_tolerance(double variance) { return 5 * std::sqrt(variance / kDrawCount); }
double variance_tolerance(double variance, double kurtosis) {
  return 5 * variance * std::sqrt((kurtosis - 1) / kDrawCount);
}

void expect_moments(const Moments& got, double mean, double variance, double kurtosis) {
  EXPECT_NEAR(got.mean, mean, mean_tolerance(variance));
  EXPECT_NEAR(got.variance, variance, variance_tolerance(variance, kurtosis));
}

// ---- hashing and seeding ----

TEST(RngHash, Splitmix64MatchesReferenceVector) {
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xE220A8397B1DCDAFULL);  // splitmix64.c, seed 0
  EXPECT_EQ(state, 0x9E3779B97F4A7C15ULL);
  EXPECT_EQ(mix64(0), 0u);
}

TEST(RngHash, HashStringIsFnv1aWithMixFinaliser) {
  EXPECT_EQ(hash_string("a"), mix64(0xAF63DC4C8601EC8CULL));  // published FNV-1a 64 of "a"
  EXPECT_EQ(hash_string(""), mix64(0xCBF29CE484222325ULL));   // offset basis
}

TEST(RngHash, HashStringPinned) {
  EXPECT_EQ(hash_string("shard:a"), 0xCF61E35FC34B68EEULL);
  const std::string_view text = "shard:a";
  EXPECT_EQ(hash_bytes(text.data(), text.size()), hash_string(text));
  EXPECT_NE(hash_bytes(text.data(), text.size(), 1), hash_string(text));
  EXPECT_NE(hash_string("shard:b"), hash_string("shard:a"));
}

// ---- streams ----

TEST(RngStream, PinnedSeed42MatchesReferenceXoshiro) {
  // Same values as the reference xoshiro256** with its state filled by splitmix64(42).
  Rng rng(42);
  EXPECT_EQ(rng.next_u64(), 0x15780B2E0C2EC716ULL);
  EXPECT_EQ(rng.next_u64(), 0x6104D9866D113A7EULL);
  EXPECT_EQ(rng.next_u64(), 0xAE17533239E499A1ULL);
  EXPECT_EQ(rng.next_u64(), 0xECB8AD4703B360A1ULL);
}

TEST(RngStream, PinnedEntityStream) {
  Rng rng = Rng::for_entity(1, "shard:a");
  EXPECT_EQ(rng.next_u64(), 0x6290E93FA3BC0479ULL);
  EXPECT_EQ(rng.next_u64(), 0xF5D29E9618728A69ULL);
  EXPECT_EQ(rng.next_u64(), 0x0E05103116F7EECCULL);
  EXPECT_EQ(rng.next_u64(), 0x07BA6736EF4803A3ULL);
}

TEST(RngStream, SameRootAndEntityGiveSameSequence) {
  Rng a = Rng::for_entity(7, "broker:prime");
  Rng b = Rng::for_entity(7, "broker:prime");
  Rng c = Rng::for_entity(7, 12345u);
  Rng d = Rng::for_entity(7, 12345u);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.next_u64(), b.next_u64());
    ASSERT_EQ(c.next_u64(), d.next_u64());
  }
}

TEST(RngStream, DifferentEntitiesAndRootsGiveDifferentStreams) {
  std::set<std::uint64_t> first_outputs;
  for (std::uint64_t root = 0; root < 4; ++root) {
    for (int id = 0; id < 250; ++id) {
      first_outputs.insert(Rng::for_entity(root, "agent:" + std::to_string(id)).next_u64());
      first_outputs.insert(Rng::for_entity(root, static_cast<std::uint64_t>(id)).next_u64());
    }
  }
  EXPECT_EQ(first_outputs.size(), 2000u);
  EXPECT_NE(Rng::for_entity(1, "7").next_u64(), Rng::for_entity(1, 7u).next_u64());
  EXPECT_NE(Rng(0).next_u64(), Rng(1).next_u64());
}

double correlation_of_uniforms(Rng a, Rng b) {
  double sum_a = 0, sum_b = 0, sum_aa = 0, sum_bb = 0, sum_ab = 0;
  for (int i = 0; i < kDrawCount; ++i) {
    const double x = a.uniform01();
    const double y = b.uniform01();
    sum_a += x;
    sum_b += y;
    sum_aa += x * x;
    sum_bb += y * y;
    sum_ab += x * y;
  }
  const double n = kDrawCount;
  const double covariance = sum_ab / n - (sum_a / n) * (sum_b / n);
  const double var_a = sum_aa / n - (sum_a / n) * (sum_a / n);
  const double var_b = sum_bb / n - (sum_b / n) * (sum_b / n);
  return covariance / std::sqrt(var_a * var_b);
}

TEST(RngStream, NearbyStreamsAreUncorrelated) {
  EXPECT_LT(std::fabs(correlation_of_uniforms(Rng::for_entity(1, "agent:1"),
                                              Rng::for_entity(1, "agent:2"))), 0.01);
  EXPECT_LT(std::fabs(correlation_of_uniforms(Rng::for_entity(1, "agent:1"),
                                              Rng::for_entity(2, "agent:1"))), 0.01);
  EXPECT_LT(std::fabs(correlation_of_uniforms(Rng::for_entity(1, 1u), Rng::for_entity(1, 2u))),
            0.01);
  Rng lagged = Rng::for_entity(1, "agent:1");
  lagged.next_u64();
  EXPECT_LT(std::fabs(correlation_of_uniforms(Rng::for_entity(1, "agent:1"), lagged)), 0.01);
}

TEST(RngStream, CopyForksTheWholeStateIncludingSpareNormal) {
  Rng a(9);
  a.normal(0, 1);  // leaves a cached spare
  Rng b = a;
  for (int i = 0; i < 10; ++i) ASSERT_EQ(a.normal(0, 1), b.normal(0, 1));
  EXPECT_EQ(a.next_u64(), b.next_u64());
}

// ---- integers ----

TEST(RngInteger, UniformIndexOfThreeIsUnbiased) {
  Rng rng(3);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < kDrawCount; ++i) ++counts.at(rng.uniform_index(3));
  const double expected = kDrawCount / 3.0;
  double chi_square = 0;
  for (int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi_square, 13.8);  // 2 degrees of freedom, p = 0.001
}

TEST(RngInteger, UniformIndexRejectsBiasedDrawsForHugeN) {
  // n = 3 * 2^62: plain modulo puts half the mass below n/3, and multiply-high without the
  // rejection step puts half the mass on multiples of 3. Both must be 1/3.
  constexpr std::uint64_t n = 3ULL << 62;
  Rng rng(4);
  int lower_third = 0;
  int multiple_of_three = 0;
  for (int i = 0; i < kDrawCount; ++i) {
    const std::uint64_t x = rng.uniform_index(n);
    ASSERT_LT(x, n);
    lower_third += x < n / 3;
    multiple_of_three += x % 3 == 0;
  }
  const double tolerance = 5 * std::sqrt(kDrawCount * (1 / 3.0) * (2 / 3.0));
  EXPECT_NEAR(lower_third, kDrawCount / 3.0, tolerance);
  EXPECT_NEAR(multiple_of_three, kDrawCount / 3.0, tolerance);
}

TEST(RngInteger, UniformIntBoundsAreInclusive) {
  Rng rng(5);
  std::vector<int> counts(5, 0);
  for (int i = 0; i < kDrawCount; ++i) {
    const std::int64_t x = rng.uniform_int(-2, 2);
    ASSERT_GE(x, -2);
    ASSERT_LE(x, 2);
    ++counts.at(static_cast<std::size_t>(x + 2));
  }
  for (int c : counts) EXPECT_NEAR(c, kDrawCount / 5.0, 5 * std::sqrt(kDrawCount * 0.16));
  EXPECT_EQ(rng.uniform_int(7, 7), 7);
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  EXPECT_NO_THROW(rng.uniform_int(lo, hi));
  EXPECT_GE(rng.uniform_int(hi - 1, hi), hi - 1);
}

TEST(RngInteger, InvalidArgumentsThrow) {
  Rng rng(6);
  EXPECT_THROW(rng.uniform_index(0), std::invalid_argument);
  EXPECT_THROW(rng.uniform_int(2, 1), std::invalid_argument);
  EXPECT_THROW(rng.uniform(2.0, 1.0), std::invalid_argument);
  EXPECT_THROW(rng.exponential(-1.0), std::invalid_argument);
  EXPECT_THROW(rng.normal(0.0, -1.0), std::invalid_argument);
  EXPECT_THROW(rng.poisson(-1.0), std::invalid_argument);
  EXPECT_THROW(rng.poisson(std::nan("")), std::invalid_argument);
  EXPECT_THROW(rng.bernoulli(1.5), std::invalid_argument);
}

// ---- continuous distributions ----

TEST(RngDistribution, Uniform01AndUniform) {
  Rng rng(10);
  expect_moments(moments_of([&] { return rng.uniform01(); }), 0.5, 1.0 / 12, 1.8);
  bool in_range = true;
  const Moments m = moments_of([&] {
    const double x = rng.uniform(2.0, 5.0);
    in_range = in_range && x >= 2.0 && x < 5.0;
    return x;
  });
  EXPECT_TRUE(in_range);
  expect_moments(m, 3.5, 9.0 / 12, 1.8);
  EXPECT_EQ(rng.uniform(1.5, 1.5), 1.5);
}

TEST(RngDistribution, Exponential) {
  Rng rng(11);
  bool non_negative = true;
  const Moments m = moments_of([&] {
    const double x = rng.exponential(3.0);
    non_negative = non_negative && x >= 0;
    return x;
  });
  EXPECT_TRUE(non_negative);
  expect_moments(m, 3.0, 9.0, 9.0);
  EXPECT_EQ(rng.exponential(0.0), 0.0);
}

TEST(RngDistribution, Normal) {
  Rng rng(12);
  int within_one_sd = 0;
  const Moments m = moments_of([&] {
    const double x = rng.normal(10.0, 2.0);
    within_one_sd += std::fabs(x - 10.0) < 2.0;
    return x;
  });
  expect_moments(m, 10.0, 4.0, 3.0);
  // P(|Z| < 1) = 0.682689; checks the shape, not only two moments.
  EXPECT_NEAR(within_one_sd / static_cast<double>(kDrawCount), 0.682689, 0.0074);
  EXPECT_EQ(rng.normal(5.0, 0.0), 5.0);
}

TEST(RngDistribution, Lognormal) {
  Rng rng(13);
  const double mu = 0.5;
  const double sigma = 0.4;
  const double s2 = sigma * sigma;
  const double mean = std::exp(mu + s2 / 2);
  const double variance = (std::exp(s2) - 1) * std::exp(2 * mu + s2);
  const double kurtosis = std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3;
  expect_moments(moments_of([&] { return rng.lognormal(mu, sigma); }), mean, variance, kurtosis);
  expect_moments(moments_of([&] { return std::log(rng.lognormal(mu, sigma)); }), mu, s2, 3.0);
}

// ---- discrete distributions ----

class RngPoisson : public ::testing::TestWithParam<double> {};

TEST_P(RngPoisson, MeanAndVarianceEqualTheRate) {
  const double rate = GetParam();
  Rng rng = Rng::for_entity(14, static_cast<std::uint64_t>(rate * 100));
  expect_moments(moments_of([&] { return rng.poisson(rate); }), rate, rate, 3.0 + 1.0 / rate);
}

INSTANTIATE_TEST_SUITE_P(Rates, RngPoisson, ::testing::Values(0.5, 4.0, 9.99, 10.0, 30.0, 1000.0));

TEST(RngDistribution, PoissonPtrsMatchesExactPmf) {
  const double rate = 30.0;
  Rng rng(15);
  std::vector<int> counts(200, 0);
  for (int i = 0; i < kDrawCount; ++i) ++counts.at(rng.poisson(rate));
  double log_pmf = -rate;  // log P(X = 0)
  for (std::size_t k = 0; k < 60; ++k) {
    if (k > 0) log_pmf += std::log(rate / static_cast<double>(k));
    const double p = std::exp(log_pmf);
    EXPECT_NEAR(counts[k] / static_cast<double>(kDrawCount), p,
                5 * std::sqrt(p * (1 - p) / kDrawCount) + 1e-4)
        << "k=" << k;
  }
  EXPECT_EQ(rng.poisson(0.0), 0u);
}

TEST(RngDistribution, Bernoulli) {
  Rng rng(16);
  expect_moments(moments_of([&] { return rng.bernoulli(0.3) ? 1 : 0; }), 0.3, 0.21,
                 (1 - 3 * 0.21) / 0.21);  // kurtosis of a Bernoulli: (1 - 3pq) / pq
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(rng.bernoulli(0.0));
    ASSERT_TRUE(rng.bernoulli(1.0));
  }
}

}  // namespace
}  // namespace shardsim::core
