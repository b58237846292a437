// Exact decimal parsing and printing of Amounts.
#include "core/amount.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace shardsim::core {
namespace {
constexpr i128 kI128Max = static_cast<i128>(~u128{0} >> 1);
}

std::string i128_to_string(i128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  u128 u = neg ? u128(0) - static_cast<u128>(v) : static_cast<u128>(v);
  std::string s;
  while (u != 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  if (neg) s.push_back('-');
  std::reverse(s.begin(), s.end());
  return s;
}

std::optional<Amount> Amount::parse(std::string_view text, int decimals) {
  if (decimals < 0 || decimals > 30 || text.empty()) return std::nullopt;
  bool neg = false;
  if (text.front() == '-' || text.front() == '+') {
    neg = text.front() == '-';
    text.remove_prefix(1);
  }
  int scale_digits = 0;  // from a k/M/B suffix
  if (!text.empty()) {
    switch (text.back()) {
      case 'k': scale_digits = 3; break;
      case 'M': scale_digits = 6; break;
      case 'B': scale_digits = 9; break;
      default: break;
    }
    if (scale_digits != 0) text.remove_suffix(1);
  }
  // value = digits * 10^(decimals + scale - frac). Digits accumulate into v without allocating;
  // zeros after the last non-zero digit wait in `zeros`, so that trailing fractional zeros finer
  // than one unit can be dropped rather than rejected.
  i128 v = 0;
  int zeros = 0, frac_digits = 0;
  bool seen_point = false, seen_digit = false;
  auto times10 = [&v](int n) {
    for (int i = 0; i < n; ++i) {
      if (v > kI128Max / 10) return false;
      v *= 10;
    }
    return true;
  };
  for (const char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c == '_') {
      continue;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_point) ++frac_digits;
      if (c == '0') {
        if (v != 0) ++zeros;
        continue;
      }
      if (!times10(zeros + 1) || v > kI128Max - (c - '0')) return std::nullopt;
      v += c - '0';
      zeros = 0;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  if (v == 0) return Amount{};
  int shift = decimals + scale_digits - frac_digits;
  const int dropped = shift < 0 ? std::min(zeros, -shift) : 0;  // trailing zeros finer than a unit
  shift += dropped;
  if (shift < 0) return std::nullopt;  // finer than one unit
  if (!times10(zeros - dropped + shift)) return std::nullopt;
  return Amount{neg ? -v : v};
}

std::string Amount::str(int decimals) const {
  const std::string digits = i128_to_string(units_ < 0 ? -units_ : units_);
  const auto d = static_cast<std::size_t>(std::max(decimals, 0));
  const std::string padded = digits.size() <= d ? std::string(d + 1 - digits.size(), '0') + digits : digits;
  std::string whole = padded.substr(0, padded.size() - d);
  std::string frac = padded.substr(padded.size() - d);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = units_ < 0 ? "-" : "";
  out += whole;
  if (!frac.empty()) out += "." + frac;
  return out;
}

double Amount::to_double(int decimals) const {
  return static_cast<double>(units_) / static_cast<double>(pow10_i128(decimals));
}

}  // namespace shardsim::core
