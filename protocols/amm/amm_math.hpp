// Models Uniswap v2's integer pool arithmetic: swap output and required input with the fee as an
// exact fraction, LP mint and burn amounts, and the 256-bit reserve product k.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "protocols/api/fixed_point.hpp"

namespace shardsim::protocols::amm {

// The swap fee as an exact fraction num / den with 0 <= num < den (0.3% is 3/1000, so the share
// of the input that counts is keep() / den = 997/1000, Uniswap's integers).
struct FeeFraction {
  i128 num = 3;
  i128 den = 1000;
  i128 keep() const { return den - num; }
};

inline constexpr std::int64_t kPartsPerBillion = 1'000'000'000;
// A fee given in parts per billion (in [0, 1e9)), reduced: 3'000'000 -> 3/1000.
FeeFraction fee_from_ppb(std::int64_t fee_ppb);

// Uniswap's MINIMUM_LIQUIDITY: LP units locked forever by the first deposit.
inline constexpr i128 kMinimumLiquidityUnits = 1000;

// getAmountOut: floor(in*keep*r_out / (r_in*den + in*keep)); in >= 0, reserves > 0.
i128 amount_out(i128 amount_in_units, i128 reserve_in_units, i128 reserve_out_units, FeeFraction fee);
// getAmountIn: floor(r_in*out*den / ((r_out-out)*keep)) + 1, the least input giving `out`;
// 0 < out < r_out.
i128 amount_in(i128 amount_out_units, i128 reserve_in_units, i128 reserve_out_units, FeeFraction fee);

// floor(sqrt(a*b)) for a, b >= 0, with the product held in 256 bits.
i128 sqrt_product(i128 a, i128 b);
// First deposit: sqrt(a*b) - 1000 LP units (<= 0 means too small: the caller reverts).
i128 first_mint_units(i128 amount_a_units, i128 amount_b_units);
// Later deposit: min(a*T/Ra, b*T/Rb), each rounded down.
i128 proportional_mint_units(i128 amount_a_units, i128 amount_b_units, i128 reserve_a_units,
                             i128 reserve_b_units, i128 lp_supply_units);
// The router's quote: the amount of B matching `amount_a` at the pool ratio, floor(a*Rb/Ra).
i128 quote(i128 amount_a_units, i128 reserve_a_units, i128 reserve_b_units);
// A burn's share of one reserve: floor(lp*R/T).
i128 pro_rata(i128 lp_units, i128 reserve_units, i128 lp_supply_units);

// An unsigned 256-bit value (k = Ra*Rb can exceed 128 bits).
struct U256 {
  u128 hi = 0;
  u128 lo = 0;
  friend constexpr std::strong_ordering operator<=>(const U256& x, const U256& y) {
    if (x.hi != y.hi) return x.hi < y.hi ? std::strong_ordering::less : std::strong_ordering::greater;
    if (x.lo != y.lo) return x.lo < y.lo ? std::strong_ordering::less : std::strong_ordering::greater;
    return std::strong_ordering::equal;
  }
  friend constexpr bool operator==(const U256&, const U256&) = default;
};
// a*b for a, b >= 0.
U256 mul_wide(i128 a, i128 b);
std::string to_decimal(U256 v);

}  // namespace shardsim::protocols::amm
