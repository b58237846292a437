// Models a canonical digest of exact model state for the run fingerprint: a 64-bit hash folded
// over integers and strings written in a fixed order and a fixed byte order (little-endian words
// built arithmetically, so the host's endianness never shows), never over floating point.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/amount.hpp"
#include "core/fingerprint.hpp"

namespace shardsim::core {

class StateDigest {
 public:
  void u64(std::uint64_t v) {
    h_ = rotl64(h_ ^ (v * 0xC2B2AE3D27D4EB4FULL), 31) * 0x9E3779B97F4A7C15ULL;
    ++words_;
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void int128(__int128 v) {
    const auto u = static_cast<unsigned __int128>(v);
    u64(static_cast<std::uint64_t>(u));
    u64(static_cast<std::uint64_t>(u >> 64));
  }
  void amount(Amount a) { int128(a.raw()); }
  void boolean(bool b) { u64(b ? 1 : 0); }
  // Length first, then the bytes 8 to a word, little-endian.
  void str(std::string_view s) {
    u64(s.size());
    std::uint64_t w = 0;
    int shift = 0;
    for (const char c : s) {
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(c)) << shift;
      shift += 8;
      if (shift == 64) {
        u64(w);
        w = 0;
        shift = 0;
      }
    }
    if (shift != 0) u64(w);
  }
  std::uint64_t value() const { return fingerprint_mix(h_ ^ (words_ * 0x9E3779B97F4A7C15ULL)); }

 private:
  std::uint64_t h_ = 0x6A09E667F3BCC908ULL;
  std::uint64_t words_ = 0;
};

}  // namespace shardsim::core
