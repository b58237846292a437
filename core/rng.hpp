// Models randomness: per-entity xoshiro256** streams and in-house, library-independent draws.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardsim::core {

// Advances `state` by the golden-ratio increment and returns the mixed output (SplitMix64).
std::uint64_t splitmix64(std::uint64_t& state);
// The stateless SplitMix64 finaliser: a bijection on 64-bit values with full avalanche.
std::uint64_t mix64(std::uint64_t x);
// FNV-1a over the bytes (offset basis xor mix64(seed)), finished with mix64 for avalanche.
// Stable across platforms and builds; never uses std::hash.
std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed = 0);
std::uint64_t hash_string(std::string_view s);

// One random stream. Owned by exactly one logical process or actor; never shared across
// threads. Copying an Rng forks the stream (both copies give the same draws).
// Invalid parameters (n == 0, lo > hi, negative means, p outside [0,1], NaN) throw
// std::invalid_argument: they are programmer errors and must not pass silently in Release.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);
  // Stream for (root seed, entity id). Nearby roots or ids give unrelated streams. String and
  // integer ids live in separate domains: for_entity(r, "7") and for_entity(r, 7) differ.
  static Rng for_entity(std::uint64_t root_seed, std::string_view entity_id);
  static Rng for_entity(std::uint64_t root_seed, std::uint64_t entity_id);

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // [0, 1) on a grid of 2^-53.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi);                        // [lo, hi); lo == hi gives lo
  std::uint64_t uniform_index(std::uint64_t n);                // [0, n), unbiased; n > 0
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);  // [lo, hi] inclusive, unbiased
  double exponential(double mean);                             // mean >= 0
  // Marsaglia polar method. Draws come in pairs; the cached second one is part of the stream
  // state (copied with it, and returned by the next normal or lognormal call).
  double normal(double mean, double stddev);                   // stddev >= 0
  double lognormal(double mu, double sigma);                   // exp(normal(mu, sigma))
  // Knuth multiplication for mean < 10, PTRS (Hormann 1993) for mean >= 10.
  std::uint64_t poisson(double mean);                          // mean >= 0
  bool bernoulli(double p);                                    // p in [0, 1]

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  double standard_normal();
  std::uint64_t poisson_knuth(double mean);
  std::uint64_t poisson_ptrs(double mean);

  std::array<std::uint64_t, 4> state_{};
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

}  // namespace shardsim::core
