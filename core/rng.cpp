// Models randomness: stream seeding, hashing, and the in-house distributions behind Rng.
#include "core/rng.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace shardsim::core {
namespace {

constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kFnvOffsetBasis = 0xCBF29CE484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x00000100000001B3ULL;
// Separate the two id domains, so a numeric id and a string id never share a stream by design.
constexpr std::uint64_t kStringIdDomain = 0xA0761D6478BD642FULL;
constexpr std::uint64_t kIntegerIdDomain = 0xE7037ED1A0B428DBULL;
constexpr double kPoissonPtrsMeanMin = 10.0;
constexpr double kPoissonMeanMax = 0x1.0p52;  // counts stay exact integers in a double

__extension__ using Uint128 = unsigned __int128;

[[noreturn]] void fail(const char* message) { throw std::invalid_argument(message); }

std::uint64_t entity_seed(std::uint64_t root_seed, std::uint64_t entity_key) {
  return mix64(root_seed ^ mix64(entity_key));
}

// log(k!) by the Stirling series with upward recurrence for small k (as in numpy's loggam).
// In-house because std::lgamma writes the global `signgam` and is not thread-safe.
double log_factorial(double k) {
  static constexpr double kStirling[10] = {
      8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
      -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
      6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
      -1.39243221690590e+00};
  const double x = k + 1.0;  // log(k!) = log Gamma(k + 1)
  if (x == 1.0 || x == 2.0) return 0.0;
  const int shift = x < 7.0 ? static_cast<int>(7.0 - x) : 0;
  double x0 = x + shift;
  const double inv_x0_sq = 1.0 / (x0 * x0);
  double series = kStirling[9];
  for (int i = 8; i >= 0; --i) series = series * inv_x0_sq + kStirling[i];
  const double half_log_two_pi = 0.5 * std::log(2.0 * std::numbers::pi);
  double log_gamma = series / x0 + half_log_two_pi + (x0 - 0.5) * std::log(x0) - x0;
  for (int i = 0; i < shift; ++i) {
    x0 -= 1.0;
    log_gamma -= std::log(x0);
  }
  return log_gamma;
}

}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
  state += kGoldenGamma;
  return mix64(state);
}

std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint64_t h = kFnvOffsetBasis ^ mix64(seed);  // mix64(0) == 0: seed 0 is plain FNV-1a
  for (std::size_t i = 0; i < n; ++i) {
    h ^= bytes[i];
    h *= kFnvPrime;
  }
  return mix64(h);
}

std::uint64_t hash_string(std::string_view s) { return hash_bytes(s.data(), s.size()); }

// Four consecutive splitmix64 outputs come from four distinct inputs through a bijection, so at
// most one word is zero and the xoshiro state is never all zero.
Rng::Rng(std::uint64_t seed) {
  std::uint64_t splitmix_state = seed;
  for (auto& word : state_) word = splitmix64(splitmix_state);
}

Rng Rng::for_entity(std::uint64_t root_seed, std::string_view entity_id) {
  return Rng(entity_seed(root_seed, hash_string(entity_id) + kStringIdDomain));
}

Rng Rng::for_entity(std::uint64_t root_seed, std::uint64_t entity_id) {
  return Rng(entity_seed(root_seed, entity_id + kIntegerIdDomain));
}

double Rng::uniform(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) fail("Rng::uniform: bounds must be finite");
  if (lo > hi) fail("Rng::uniform: lo must be <= hi");
  if (lo == hi) return lo;
  const double x = lo + (hi - lo) * uniform01();
  return x < hi ? x : std::nextafter(hi, lo);  // rounding can land on hi; keep [lo, hi)
}

// Lemire, "Fast random integer generation in an interval" (2019): multiply-high with rejection
// of the 2^64 mod n low values that would bias the result. Expected draws < 2.
std::uint64_t Rng::uniform_index(std::uint64_t n) {
  if (n == 0) fail("Rng::uniform_index: n must be > 0");
  Uint128 product = static_cast<Uint128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      product = static_cast<Uint128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  if (lo > hi) fail("Rng::uniform_int: lo must be <= hi");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  const std::uint64_t offset =
      span == std::numeric_limits<std::uint64_t>::max() ? next_u64() : uniform_index(span + 1);
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);  // modular, C++20
}

double Rng::exponential(double mean) {
  if (!(mean >= 0) || !std::isfinite(mean)) fail("Rng::exponential: mean must be finite, >= 0");
  return mean * -std::log1p(-uniform01());  // 1 - u is in (0, 1], so the log is finite
}

double Rng::standard_normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u = 0;
  double v = 0;
  double s = 0;
  do {  // accepts with probability pi/4
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double factor = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * factor;
  has_spare_normal_ = true;
  return u * factor;
}

double Rng::normal(double mean, double stddev) {
  if (!std::isfinite(mean)) fail("Rng::normal: mean must be finite");
  if (!(stddev >= 0) || !std::isfinite(stddev)) fail("Rng::normal: stddev must be finite, >= 0");
  return mean + stddev * standard_normal();
}

double Rng::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

std::uint64_t Rng::poisson(double mean) {
  if (!(mean >= 0.0 && mean <= kPoissonMeanMax)) fail("Rng::poisson: mean must be in [0, 2^52]");
  return mean < kPoissonPtrsMeanMin ? poisson_knuth(mean) : poisson_ptrs(mean);
}

// Multiplies uniforms until the product drops below e^-mean; about mean + 1 draws.
std::uint64_t Rng::poisson_knuth(double mean) {
  const double limit = std::exp(-mean);
  std::uint64_t count = 0;
  double product = uniform01();
  while (product > limit) {
    ++count;
    product *= uniform01();
  }
  return count;
}

// Hormann, "The transformed rejection method for generating Poisson random variables" (1993),
// algorithm PTRS. Acceptance rate is above 0.89 for mean >= 10.
std::uint64_t Rng::poisson_ptrs(double mean) {
  const double sqrt_mean = std::sqrt(mean);
  const double log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * sqrt_mean;
  const double a = -0.059 + 0.02483 * b;
  const double log_inv_alpha = std::log(1.1239 + 1.1328 / (b - 3.4));
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = uniform01() - 0.5;
    const double v = uniform01();
    const double u_s = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / u_s + b) * u + mean + 0.43);
    if (k < 0.0) continue;
    if (u_s >= 0.07 && v <= v_r) return static_cast<std::uint64_t>(k);
    if (u_s < 0.013 && v > u_s) continue;
    const double log_hat = std::log(v) + log_inv_alpha - std::log(a / (u_s * u_s) + b);
    if (log_hat <= -mean + k * log_mean - log_factorial(k)) return static_cast<std::uint64_t>(k);
  }
}

bool Rng::bernoulli(double p) {
  if (!(p >= 0.0 && p <= 1.0)) fail("Rng::bernoulli: p must be in [0, 1]");
  return uniform01() < p;
}

}  // namespace shardsim::core
