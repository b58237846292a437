// Models DeFi fixed-point arithmetic on 128-bit integers: WAD (1e18) and RAY (1e27) scaled
// values, a*b/c with a 256-bit intermediate (as Solidity's mulDiv), explicit rounding direction
// so each protocol can round in its own favour, and an integer square root (Uniswap v2 mint).
#pragma once

#include <cstdint>
#include <stdexcept>

namespace shardsim::protocols {

using i128 = __int128;
using u128 = unsigned __int128;

inline constexpr i128 kWadUnit = 1'000'000'000'000'000'000LL;
inline constexpr i128 kRayUnit = kWadUnit * 1'000'000'000LL;

// Rounding of the magnitude: down truncates toward zero, up rounds away from zero.
enum class Round : std::uint8_t { down, up };

class ArithmeticError : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

// a * b / c, exact, with the product held in 256 bits. Throws ArithmeticError on c == 0 or a
// result outside i128.
i128 mul_div(i128 a, i128 b, i128 c, Round r = Round::down);

inline i128 wad_mul(i128 a, i128 b, Round r = Round::down) { return mul_div(a, b, kWadUnit, r); }
inline i128 wad_div(i128 a, i128 b, Round r = Round::down) { return mul_div(a, kWadUnit, b, r); }
inline i128 ray_mul(i128 a, i128 b, Round r = Round::down) { return mul_div(a, b, kRayUnit, r); }
inline i128 ray_div(i128 a, i128 b, Round r = Round::down) { return mul_div(a, kRayUnit, b, r); }

// floor(sqrt(x)).
u128 isqrt(u128 x);

// 10^n, n in [0, 38].
i128 pow10(int n);

// Conversions for reports and risk models only; never feed a double back into state.
double wad_to_double(i128 wad);
i128 double_to_wad(double x);  // rounds to nearest

// A ratio given as text in the topology (`80%`, `0.8`, `1/3`) is stored as WAD by the loader.

}  // namespace shardsim::protocols
