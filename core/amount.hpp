// Models money: an Amount is an exact signed 128-bit count of an asset's smallest units
// (1 USDC with 6 decimals = 1'000'000 units). Ledgers and protocol state hold Amounts, never
// doubles; decimal text converts to and from units exactly or not at all.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardsim::core {

using i128 = __int128;
using u128 = unsigned __int128;

class Amount {
 public:
  constexpr Amount() = default;
  static constexpr Amount units(i128 v) { return Amount{v}; }
  constexpr i128 raw() const { return units_; }

  constexpr auto operator<=>(const Amount&) const = default;
  constexpr Amount operator+(Amount o) const { return Amount{units_ + o.units_}; }
  constexpr Amount operator-(Amount o) const { return Amount{units_ - o.units_}; }
  constexpr Amount operator-() const { return Amount{-units_}; }
  constexpr Amount& operator+=(Amount o) { units_ += o.units_; return *this; }
  constexpr Amount& operator-=(Amount o) { units_ -= o.units_; return *this; }
  constexpr bool is_zero() const { return units_ == 0; }
  constexpr bool is_negative() const { return units_ < 0; }

  // `1.5`, `2500`, `10M`, `1.5k`, `-3` in whole units of an asset with `decimals` decimals.
  // Nothing if the text is malformed, finer than one unit, or out of range.
  static std::optional<Amount> parse(std::string_view text, int decimals);
  // Exact decimal text in whole units: 1500000 units at 6 decimals -> "1.5".
  std::string str(int decimals) const;
  // For reports and risk models only: the amount in whole units as a double.
  double to_double(int decimals) const;

 private:
  constexpr explicit Amount(i128 v) : units_(v) {}
  i128 units_ = 0;
};

// 10^n for n in [0, 38].
constexpr i128 pow10_i128(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

std::string i128_to_string(i128 v);

}  // namespace shardsim::core
