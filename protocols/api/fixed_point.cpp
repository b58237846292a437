// 256-bit mulDiv (Knuth's algorithm D on 64-bit limbs), integer square root, conversions.
#include "protocols/api/fixed_point.hpp"

#include <bit>
#include <cmath>

namespace shardsim::protocols {
namespace {

using u64 = std::uint64_t;

struct U256 {
  u64 limb[4];  // little endian
};

U256 mul_128(u128 a, u128 b) {
  const u128 a0 = static_cast<u64>(a), a1 = a >> 64, b0 = static_cast<u64>(b), b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + static_cast<u64>(p01) + static_cast<u64>(p10);
  U256 r;
  r.limb[0] = static_cast<u64>(p00);
  r.limb[1] = static_cast<u64>(mid);
  const u128 high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  r.limb[2] = static_cast<u64>(high);
  r.limb[3] = static_cast<u64>(high >> 64);
  return r;
}

// Divides the 256-bit n by the 128-bit d (d != 0). Sets `fits` to false when the quotient needs
// more than 128 bits. Returns the quotient and the remainder.
u128 div_256_by_128(const U256& n, u128 d, u128& rem, bool& fits) {
  fits = true;
  const u64 d_hi = static_cast<u64>(d >> 64);
  if (d_hi == 0) {
    // Short division by one 64-bit limb.
    const u64 dv = static_cast<u64>(d);
    u64 q[4];
    u128 r = 0;
    for (int i = 3; i >= 0; --i) {
      const u128 cur = (r << 64) | n.limb[i];
      q[i] = static_cast<u64>(cur / dv);
      r = cur % dv;
    }
    if (q[2] != 0 || q[3] != 0) fits = false;
    rem = r;
    return (static_cast<u128>(q[1]) << 64) | q[0];
  }
  // Knuth D with a two-limb divisor: normalise so the divisor's top bit is set.
  const int s = std::countl_zero(d_hi);
  const u128 v = d << s;
  const u64 v1 = static_cast<u64>(v >> 64), v0 = static_cast<u64>(v);
  u64 u[5];
  u[4] = s == 0 ? 0 : n.limb[3] >> (64 - s);
  for (int i = 3; i > 0; --i) u[i] = s == 0 ? n.limb[i] : (n.limb[i] << s) | (n.limb[i - 1] >> (64 - s));
  u[0] = n.limb[0] << s;
  u64 q[3] = {0, 0, 0};
  for (int j = 2; j >= 0; --j) {
    const u128 num = (static_cast<u128>(u[j + 2]) << 64) | u[j + 1];
    u128 qhat = num / v1;
    u128 rhat = num % v1;
    while (qhat >> 64 != 0 || qhat * v0 > ((rhat << 64) | u[j])) {
      --qhat;
      rhat += v1;
      if (rhat >> 64 != 0) break;
    }
    // u[j..j+2] -= qhat * (v1, v0)
    const u128 p0 = qhat * v0;
    const u128 p1 = qhat * v1;
    u128 borrow = 0;
    u128 t = static_cast<u128>(u[j]) - static_cast<u64>(p0);
    u[j] = static_cast<u64>(t);
    borrow = (t >> 64) != 0 ? 1 : 0;
    const u128 mid = (p0 >> 64) + static_cast<u64>(p1);
    t = static_cast<u128>(u[j + 1]) - static_cast<u64>(mid) - borrow;
    u[j + 1] = static_cast<u64>(t);
    borrow = (t >> 64) != 0 ? 1 : 0;
    const u128 top = (p1 >> 64) + (mid >> 64);
    t = static_cast<u128>(u[j + 2]) - top - borrow;
    u[j + 2] = static_cast<u64>(t);
    if ((t >> 64) != 0) {  // went negative: add the divisor back once
      --qhat;
      u128 c = static_cast<u128>(u[j]) + v0;
      u[j] = static_cast<u64>(c);
      c = static_cast<u128>(u[j + 1]) + v1 + (c >> 64);
      u[j + 1] = static_cast<u64>(c);
      u[j + 2] += static_cast<u64>(c >> 64);
    }
    q[j] = static_cast<u64>(qhat);
  }
  if (q[2] != 0) fits = false;
  const u128 r_norm = (static_cast<u128>(u[1]) << 64) | u[0];
  rem = s == 0 ? r_norm : (r_norm >> s) | (static_cast<u128>(u[2]) << (128 - s));
  return (static_cast<u128>(q[1]) << 64) | q[0];
}

u128 magnitude(i128 x) { return x < 0 ? u128(0) - static_cast<u128>(x) : static_cast<u128>(x); }

constexpr u128 kI128Max = ~u128{0} >> 1;

}  // namespace

i128 mul_div(i128 a, i128 b, i128 c, Round r) {
  if (c == 0) throw ArithmeticError("mul_div: division by zero");
  const bool negative = (a < 0) != (b < 0) ? (c > 0) : (c < 0);
  const u128 ma = magnitude(a), mb = magnitude(b), mc = magnitude(c);
  u128 q, rem;
  bool fits = true;
  u128 prod;
  if (!__builtin_mul_overflow(ma, mb, &prod)) {
    q = prod / mc;
    rem = prod % mc;
  } else {
    q = div_256_by_128(mul_128(ma, mb), mc, rem, fits);
  }
  if (r == Round::up && rem != 0) ++q;
  if (!fits || q > kI128Max) throw ArithmeticError("mul_div: result beyond 128 bits");
  const i128 out = static_cast<i128>(q);
  if (a == 0 || b == 0) return 0;
  return negative ? -out : out;
}

u128 isqrt(u128 x) {
  if (x < 2) return x;
  // Newton from a power-of-two guess above the root.
  const int bits = 128 - std::countl_zero(static_cast<u64>(x >> 64) != 0 ? static_cast<u64>(x >> 64) : 0);
  u128 guess = static_cast<u64>(x >> 64) != 0 ? (u128{1} << ((bits + 64 + 1) / 2))
                                              : (u128{1} << ((64 - std::countl_zero(static_cast<u64>(x)) + 1) / 2));
  for (;;) {
    const u128 next = (guess + x / guess) / 2;
    if (next >= guess) return guess;
    guess = next;
  }
}

i128 pow10(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

double wad_to_double(i128 wad) {
  const i128 whole = wad / kWadUnit;
  const i128 frac = wad % kWadUnit;
  return static_cast<double>(whole) + static_cast<double>(frac) / 1e18;
}

i128 double_to_wad(double x) {
  const double whole = std::trunc(x);
  return static_cast<i128>(whole) * kWadUnit + static_cast<i128>(std::llround((x - whole) * 1e18));
}

}  // namespace shardsim::protocols
