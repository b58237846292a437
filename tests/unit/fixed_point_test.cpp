// Tests protocols/api/fixed_point: exact 256-bit mulDiv against known values and a slow
// reference, rounding direction, overflow detection, and the integer square root.
#include "protocols/api/fixed_point.hpp"

#include <gtest/gtest.h>

#include "core/rng.hpp"

namespace shardsim::protocols {
namespace {

// Reference: schoolbook a*b/c through repeated doubling, for non-negative inputs only.
u128 slow_mul_div(u128 a, u128 b, u128 c, u128& rem, bool& overflow) {
  overflow = false;
  // Long division of a*b by c, one bit of b at a time, keeping (q, r) with r < c.
  u128 q = 0, r = 0;
  const u128 qa = a / c, ra = a % c;  // a = qa*c + ra
  for (int i = 127; i >= 0; --i) {
    // (q, r) <- 2*(q, r)
    if (q >> 127) overflow = true;
    q <<= 1;
    const bool carry = r >= c - r;
    r = carry ? r - (c - r) : r + r;
    if (carry) ++q;
    if ((b >> i) & 1) {
      if (__builtin_add_overflow(q, qa, &q)) overflow = true;
      const bool c2 = r >= c - ra;
      r = c2 ? r - (c - ra) : r + ra;
      if (c2) ++q;
    }
  }
  rem = r;
  return q;
}

TEST(FixedPoint, MulDivSmallAndLarge) {
  EXPECT_EQ(mul_div(6, 7, 3), 14);
  EXPECT_EQ(mul_div(7, 1, 2, Round::down), 3);
  EXPECT_EQ(mul_div(7, 1, 2, Round::up), 4);
  EXPECT_EQ(mul_div(-7, 1, 2, Round::down), -3);
  EXPECT_EQ(mul_div(-7, 1, 2, Round::up), -4);
  // Uniswap v2 worked example: reserves 1,000 ETH (1e21 wei) and 2,000,000 USDC (2e12 units);
  // selling 10 ETH returns floor(in*997*Rout / (Rin*1000 + in*997)) = 19743160687.
  const i128 in = pow10(19);
  const i128 r_in = pow10(21);
  const i128 r_out = 2 * pow10(12);
  EXPECT_EQ(mul_div(in * 997, r_out, r_in * 1000 + in * 997), static_cast<i128>(19743160687LL));
  // A product far beyond 128 bits with a quotient that fits.
  const i128 big = pow10(30);
  EXPECT_EQ(mul_div(big, big, pow10(25)), pow10(35));
  EXPECT_EQ(mul_div(big * 7, big * 3, big * 21), big);
  EXPECT_EQ(wad_mul(3 * kWadUnit / 2, 2 * kWadUnit), 3 * kWadUnit);
  EXPECT_EQ(wad_div(kWadUnit, 3 * kWadUnit), 333'333'333'333'333'333LL);
  EXPECT_EQ(wad_div(kWadUnit, 3 * kWadUnit, Round::up), 333'333'333'333'333'334LL);
}

TEST(FixedPoint, MulDivMatchesAReferenceOnRandomWideInputs) {
  core::Rng rng(5);
  for (int i = 0; i < 20'000; ++i) {
    const u128 a = (static_cast<u128>(rng.next_u64() >> (rng.next_u64() % 64)) << 60) | rng.next_u64();
    const u128 b = (static_cast<u128>(rng.next_u64() >> (rng.next_u64() % 64)) << 50) | rng.next_u64();
    u128 c = (static_cast<u128>(rng.next_u64() >> (rng.next_u64() % 64)) << 64) | rng.next_u64();
    if (c == 0) c = 1;
    u128 rem = 0;
    bool overflow = false;
    const u128 want = slow_mul_div(a & (~u128{0} >> 2), b & (~u128{0} >> 2), c & (~u128{0} >> 1), rem, overflow);
    const u128 a2 = a & (~u128{0} >> 2), b2 = b & (~u128{0} >> 2), c2 = c & (~u128{0} >> 1);
    if (c2 == 0) continue;
    if (overflow || want > (~u128{0} >> 1)) {
      EXPECT_THROW(mul_div(static_cast<i128>(a2), static_cast<i128>(b2), static_cast<i128>(c2)), ArithmeticError);
      continue;
    }
    ASSERT_EQ(static_cast<u128>(mul_div(static_cast<i128>(a2), static_cast<i128>(b2), static_cast<i128>(c2))), want)
        << i;
    ASSERT_EQ(static_cast<u128>(mul_div(static_cast<i128>(a2), static_cast<i128>(b2), static_cast<i128>(c2), Round::up)),
              want + (rem != 0 ? 1 : 0))
        << i;
  }
}

TEST(FixedPoint, MulDivRejectsOverflowAndZeroDivisor) {
  EXPECT_THROW(mul_div(pow10(30), pow10(30), 1), ArithmeticError);
  EXPECT_THROW(mul_div(1, 1, 0), ArithmeticError);
}

TEST(FixedPoint, IntegerSquareRoot) {
  EXPECT_EQ(isqrt(0), 0u);
  EXPECT_EQ(isqrt(15), 3u);
  EXPECT_EQ(isqrt(16), 4u);
  const u128 x = static_cast<u128>(pow10(21)) * static_cast<u128>(2 * pow10(12));  // Uniswap first mint
  const u128 r = isqrt(x);
  EXPECT_LE(r * r, x);
  EXPECT_GT((r + 1) * (r + 1), x);
  const u128 max = ~u128{0};
  const u128 rm = isqrt(max);
  EXPECT_EQ(rm, (u128{1} << 64) - 1);
  core::Rng rng(9);
  for (int i = 0; i < 10'000; ++i) {
    const u128 v = (static_cast<u128>(rng.next_u64() >> (rng.next_u64() % 64)) << 64) | rng.next_u64();
    const u128 s = isqrt(v);
    ASSERT_LE(s * s, v);
    ASSERT_TRUE(s + 1 > (u128{1} << 64) - 1 || (s + 1) * (s + 1) > v);
  }
}

}  // namespace
}  // namespace shardsim::protocols
