// Correctly rounded raw / 10^decimals: long division to 55+ significant bits plus a sticky bit,
// then one rounding to 53 bits, ties to even.
#include "protocols/api/decimal_double.hpp"

#include <cassert>
#include <cmath>

namespace shardsim::protocols {
namespace {

using u128 = unsigned __int128;

int bit_length(u128 v) {
  int n = 0;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

}  // namespace

double decimal_to_double(i128 raw, int decimals) {
  assert(decimals >= 0);
  assert(decimals <= 38);
  if (raw == 0) return 0.0;
  const bool negative = raw < 0;
  const u128 magnitude = negative ? u128(0) - static_cast<u128>(raw) : static_cast<u128>(raw);
  u128 divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  // value = (m + r / divisor) * 2^exp, r < divisor; shift fraction bits into m until it has 55.
  u128 m = magnitude / divisor;
  u128 r = magnitude % divisor;
  int exp = 0;
  constexpr u128 kEnough = u128(1) << 55;
  while (m < kEnough) {
    r <<= 1;  // r < divisor <= 10^38 < 2^127: no overflow
    m <<= 1;
    if (r >= divisor) {
      r -= divisor;
      m |= 1;
    }
    --exp;
  }
  const bool sticky = r != 0;
  const int shift = bit_length(m) - 53;  // >= 3
  u128 keep = m >> shift;
  const u128 rest = m & ((u128(1) << shift) - 1);
  const u128 half = u128(1) << (shift - 1);
  if (rest > half || (rest == half && (sticky || (keep & 1) != 0))) ++keep;
  const double out = std::ldexp(static_cast<double>(keep), exp + shift);  // keep <= 2^53: exact
  return negative ? -out : out;
}

}  // namespace shardsim::protocols
