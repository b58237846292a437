// Uniswap v2 integer arithmetic: swaps, mints, burns, and the 256-bit reserve product.
#include "protocols/amm/amm_math.hpp"

#include <algorithm>
#include <array>

namespace shardsim::protocols::amm {
namespace {

constexpr i128 kI128Max = static_cast<i128>(~static_cast<u128>(0) >> 1);

i128 checked_mul(i128 a, i128 b) {
  i128 r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw ArithmeticError("amm: product overflows 128 bits");
  return r;
}

i128 checked_add(i128 a, i128 b) {
  i128 r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw ArithmeticError("amm: sum overflows 128 bits");
  return r;
}

int bit_length(u128 v) {
  int n = 0;
  while (v != 0) {
    v >>= 1;
    ++n;
  }
  return n;
}

i128 gcd(i128 a, i128 b) {
  while (b != 0) {
    const i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

FeeFraction fee_from_ppb(std::int64_t fee_ppb) {
  if (fee_ppb < 0 || fee_ppb >= kPartsPerBillion) throw std::invalid_argument("amm: fee outside [0, 1)");
  if (fee_ppb == 0) return FeeFraction{0, 1};
  const i128 g = gcd(fee_ppb, kPartsPerBillion);
  return FeeFraction{fee_ppb / g, kPartsPerBillion / g};
}

i128 amount_out(i128 amount_in_units, i128 reserve_in_units, i128 reserve_out_units, FeeFraction fee) {
  const i128 in_with_fee = checked_mul(amount_in_units, fee.keep());
  const i128 denominator = checked_add(checked_mul(reserve_in_units, fee.den), in_with_fee);
  return mul_div(in_with_fee, reserve_out_units, denominator, Round::down);
}

i128 amount_in(i128 amount_out_units, i128 reserve_in_units, i128 reserve_out_units, FeeFraction fee) {
  const i128 numerator_factor = checked_mul(reserve_in_units, fee.den);
  const i128 denominator = checked_mul(reserve_out_units - amount_out_units, fee.keep());
  return checked_add(mul_div(numerator_factor, amount_out_units, denominator, Round::down), 1);
}

i128 sqrt_product(i128 a, i128 b) {
  if (a <= 0 || b <= 0) return 0;
  // Start above the root (a*b < 2^bits, so sqrt < 2^ceil(bits/2)) and let integer Newton descend.
  const int half = (bit_length(static_cast<u128>(a)) + bit_length(static_cast<u128>(b)) + 1) / 2;
  u128 x = half >= 127 ? static_cast<u128>(kI128Max) : (static_cast<u128>(1) << half);
  for (;;) {
    const u128 q = static_cast<u128>(mul_div(a, b, static_cast<i128>(x), Round::down));
    const u128 y = (x + q) / 2;
    if (y >= x) return static_cast<i128>(x);
    x = y;
  }
}

i128 first_mint_units(i128 amount_a_units, i128 amount_b_units) {
  return sqrt_product(amount_a_units, amount_b_units) - kMinimumLiquidityUnits;
}

i128 proportional_mint_units(i128 amount_a_units, i128 amount_b_units, i128 reserve_a_units,
                             i128 reserve_b_units, i128 lp_supply_units) {
  return std::min(mul_div(amount_a_units, lp_supply_units, reserve_a_units, Round::down),
                  mul_div(amount_b_units, lp_supply_units, reserve_b_units, Round::down));
}

i128 quote(i128 amount_a_units, i128 reserve_a_units, i128 reserve_b_units) {
  return mul_div(amount_a_units, reserve_b_units, reserve_a_units, Round::down);
}

i128 pro_rata(i128 lp_units, i128 reserve_units, i128 lp_supply_units) {
  return mul_div(lp_units, reserve_units, lp_supply_units, Round::down);
}

U256 mul_wide(i128 a, i128 b) {
  const u128 mask = ~static_cast<std::uint64_t>(0);
  const u128 ua = static_cast<u128>(a);
  const u128 ub = static_cast<u128>(b);
  const u128 a0 = ua & mask, a1 = ua >> 64, b0 = ub & mask, b1 = ub >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);  // < 3 * 2^64: no overflow
  U256 r;
  r.lo = (mid << 64) | (p00 & mask);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return r;
}

std::string to_decimal(U256 v) {
  // Four 64-bit limbs, most significant first; divide by 10^19 until zero.
  std::array<std::uint64_t, 4> limbs = {static_cast<std::uint64_t>(v.hi >> 64), static_cast<std::uint64_t>(v.hi),
                                        static_cast<std::uint64_t>(v.lo >> 64), static_cast<std::uint64_t>(v.lo)};
  constexpr std::uint64_t kChunk = 10'000'000'000'000'000'000ULL;
  std::string out;
  const auto is_zero = [&] { return limbs[0] == 0 && limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0; };
  if (is_zero()) return "0";
  while (!is_zero()) {
    u128 rem = 0;
    for (std::uint64_t& limb : limbs) {
      const u128 cur = (rem << 64) | limb;
      limb = static_cast<std::uint64_t>(cur / kChunk);
      rem = cur % kChunk;
    }
    std::uint64_t chunk = static_cast<std::uint64_t>(rem);
    for (int i = 0; i < 19; ++i) {
      out.push_back(static_cast<char>('0' + chunk % 10));
      chunk /= 10;
    }
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  return std::string(out.rbegin(), out.rend());
}

}  // namespace shardsim::protocols::amm
