// Parsing of plain topology numbers: suffixed counts, decimals and ratios.
#include "app/topology/units.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace shardsim::app {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Multiplier for a count suffix, or 0 when `suffix` is not one.
std::uint64_t suffix_multiplier(std::string_view suffix) {
  if (suffix.empty()) return 1;
  if (suffix == "k") return 1'000;
  if (suffix == "M") return 1'000'000;
  if (suffix == "B") return 1'000'000'000;
  return 0;
}

std::size_t count_digits(std::string_view text, std::size_t from) {
  std::size_t i = from;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i - from;
}

// value = value * 10 + digit, or false on overflow.
bool push_digit(std::uint64_t& value, char digit) {
  return !__builtin_mul_overflow(value, 10u, &value) &&
         !__builtin_add_overflow(value, static_cast<std::uint64_t>(digit - '0'), &value);
}

// Fraction digits times `multiplier` (a power of ten), which must come out whole:
// `.5` with M -> 500000, `.5` alone -> inexact.
CountParse scale_fraction(std::string_view frac_digits, std::uint64_t multiplier) {
  while (!frac_digits.empty() && frac_digits.back() == '0') frac_digits.remove_suffix(1);
  std::uint64_t frac = 0;
  for (char digit : frac_digits) {
    if (multiplier % 10 != 0) return {0, CountError::inexact};
    multiplier /= 10;
    push_digit(frac, digit);  // at most 9 digits get here: no overflow
  }
  return {frac * multiplier, CountError::none};
}

// `[+-]digits[.digits][(e|E)[+-]digits]` with at least one mantissa digit.
bool is_plain_decimal(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t whole = count_digits(text, i);
  i += whole;
  std::size_t frac = 0;
  if (i < text.size() && text[i] == '.') {
    frac = count_digits(text, i + 1);
    i += 1 + frac;
  }
  if (whole + frac == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exp = count_digits(text, i);
    if (exp == 0) return false;
    i += exp;
  }
  return i == text.size();
}

// Digits after the point (ignoring trailing zeros) beyond what a suffix absorbs, or nothing
// when the text is not shaped like an amount. Mirrors the grammar of core::Amount::parse.
std::optional<int> amount_fraction_digits(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  int scale = 0;
  if (!text.empty()) {
    scale = text.back() == 'k' ? 3 : text.back() == 'M' ? 6 : text.back() == 'B' ? 9 : 0;
    if (scale != 0) text.remove_suffix(1);
  }
  bool digits = false;
  bool point = false;
  int frac = 0;           // significant digits after the point
  int frac_pending = 0;   // zeros after the point not yet followed by a non-zero digit
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
    } else if (c == '_') {
      continue;
    } else if (is_digit(c)) {
      digits = true;
      if (!point) continue;
      if (c == '0') {
        ++frac_pending;
      } else {
        frac += frac_pending + 1;
        frac_pending = 0;
      }
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return frac - scale;
}

}  // namespace

AmountParse parse_amount_checked(std::string_view text, int decimals) {
  if (const auto amount = core::Amount::parse(text, decimals)) return {*amount, AmountError::none};
  const std::optional<int> fraction = amount_fraction_digits(text);
  if (!fraction) return {{}, AmountError::malformed};
  if (*fraction > decimals) return {{}, AmountError::too_precise};
  return {{}, AmountError::overflow};
}

CountParse parse_count_checked(std::string_view text) {
  if (!text.empty() && text.front() == '-') {
    const bool looks_numeric = text.size() > 1 && is_digit(text[1]);
    return {0, looks_numeric ? CountError::negative : CountError::malformed};
  }
  const std::size_t whole_len = count_digits(text, 0);
  if (whole_len == 0) return {0, CountError::malformed};
  std::size_t i = whole_len;
  std::string_view frac_digits;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_len = count_digits(text, i + 1);
    if (frac_len == 0) return {0, CountError::malformed};
    frac_digits = text.substr(i + 1, frac_len);
    i += 1 + frac_len;
  }
  const std::uint64_t multiplier = suffix_multiplier(text.substr(i));
  if (multiplier == 0) return {0, CountError::malformed};

  std::uint64_t whole = 0;
  for (char digit : text.substr(0, whole_len)) {
    if (!push_digit(whole, digit)) return {0, CountError::overflow};
  }
  const CountParse frac = scale_fraction(frac_digits, multiplier);
  if (frac.error != CountError::none) return frac;
  std::uint64_t value = 0;
  if (__builtin_mul_overflow(whole, multiplier, &value) ||
      __builtin_add_overflow(value, frac.value, &value)) {
    return {0, CountError::overflow};
  }
  return {value, CountError::none};
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  const CountParse parsed = parse_count_checked(text);
  if (parsed.error != CountError::none) return std::nullopt;
  return parsed.value;
}

std::optional<double> parse_decimal(std::string_view text) {
  if (!is_plain_decimal(text)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> parse_ratio(std::string_view text) {
  if (!text.empty() && text.back() == '%') {
    const auto percent = parse_decimal(text.substr(0, text.size() - 1));
    if (!percent) return std::nullopt;
    return *percent / 100.0;
  }
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return parse_decimal(text);
  const auto numerator = parse_decimal(text.substr(0, slash));
  const auto denominator = parse_decimal(text.substr(slash + 1));
  if (!numerator || !denominator || *denominator == 0.0) return std::nullopt;
  const double ratio = *numerator / *denominator;
  if (!std::isfinite(ratio)) return std::nullopt;
  return ratio;
}

}  // namespace shardsim::app
