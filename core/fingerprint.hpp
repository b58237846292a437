// Models the run fingerprint: a 64-bit hash folded over every processed event (time, order,
// destination, kind, payload digest) and every outcome a handler witnesses (a transaction's
// status, reason, outputs), kept per LP and combined in LP order so that it does not depend on
// how LPs are spread over threads or processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/event.hpp"

namespace shardsim::core {

inline constexpr std::uint64_t fingerprint_mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline constexpr std::uint64_t fingerprint_seed(LpId lp) { return fingerprint_mix(0x5EED0000ULL + lp); }

inline constexpr std::uint64_t rotl64(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t fingerprint_fold(std::uint64_t h, const Event& e, std::uint64_t payload_digest) {
  std::uint64_t x = static_cast<std::uint64_t>(e.time_us) * 0x9E3779B97F4A7C15ULL;
  x ^= rotl64(e.order, 21);
  x ^= (static_cast<std::uint64_t>(e.dst) << 16 | e.kind) * 0xC2B2AE3D27D4EB4FULL;
  x ^= rotl64(payload_digest, 43);
  return rotl64(h ^ x, 29) * 0xFF51AFD7ED558CCDULL + e.size;
}

// Digest of a payload for the fingerprint: 8 bytes per step (FNV-1a byte by byte was the single
// largest cost of a shard transfer run).
inline std::uint64_t payload_digest(const std::byte* data, std::size_t n) {
  std::uint64_t h = 0x243F6A8885A308D3ULL ^ (n * 0x9E3779B97F4A7C15ULL);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = rotl64(h ^ (w * 0xC2B2AE3D27D4EB4FULL), 31) * 0x9E3779B97F4A7C15ULL;
  }
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, data + i, n - i);
    h = rotl64(h ^ (w * 0xC2B2AE3D27D4EB4FULL), 31) * 0x9E3779B97F4A7C15ULL;
  }
  return fingerprint_mix(h);
}

// Folds a model outcome's digest into its LP's hash (a step distinct from an event's fold).
inline constexpr std::uint64_t fingerprint_fold_outcome(std::uint64_t h, std::uint64_t outcome_digest) {
  return rotl64(h ^ fingerprint_mix(outcome_digest ^ 0xD1B54A32D192ED03ULL), 23) * 0xFF51AFD7ED558CCDULL + 0x0C7C;
}

inline constexpr std::uint64_t fingerprint_combine(std::uint64_t h, std::uint64_t part) {
  return fingerprint_mix(h ^ fingerprint_mix(part + 0x9E3779B97F4A7C15ULL));
}

}  // namespace shardsim::core
