// Models the plain numbers a topology writes: counts with k/M/B suffixes, decimals, ratios
// written as `10%`, `0.1` or `1/3`, and exact amounts of an asset. Pure text-to-number
// functions; no YAML, no errors thrown.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/amount.hpp"

namespace shardsim::app {

// Why a count did not parse, so an error message can say more than "invalid".
enum class CountError : std::uint8_t {
  none,       // parsed
  malformed,  // not `<digits>[.<digits>][k|M|B]`
  negative,   // a leading `-`
  inexact,    // a fraction that is not a whole number, e.g. `1.5` or `1.0000005M`
  overflow,   // above 2^64 - 1
};

struct CountParse {
  std::uint64_t value = 0;
  CountError error = CountError::none;
};

// Parses a non-negative whole number: `30000000`, `30M`, `10k`, `2B`, `1.5M` (exact only).
// Suffixes are k = 1e3, M = 1e6, B = 1e9 (case-sensitive). Never overflows.
CountParse parse_count_checked(std::string_view text);
std::optional<std::uint64_t> parse_count(std::string_view text);

// Parses a plain finite decimal: `50`, `-1.5`, `0.25`, `+2`, `1e-3`. No suffixes, no inf/nan.
std::optional<double> parse_decimal(std::string_view text);

// Parses a ratio: `10%` (0.1), `0.1`, or `1/3` (numerator and denominator plain decimals,
// denominator not zero). Signs are allowed; callers check the range they need.
std::optional<double> parse_ratio(std::string_view text);

// Why an amount did not parse (core::Amount::parse says only that it did not).
enum class AmountError : std::uint8_t {
  none,         // parsed
  malformed,    // not `[+-]<digits>[.<digits>][k|M|B]`
  too_precise,  // finer than the asset's smallest unit, e.g. `1.0000001` with 6 decimals
  overflow,     // beyond a signed 128-bit count of units
};

struct AmountParse {
  core::Amount value;
  AmountError error = AmountError::none;
};

// core::Amount::parse, saying why it failed. `decimals` is the asset's, in [0, 30].
AmountParse parse_amount_checked(std::string_view text, int decimals);

}  // namespace shardsim::app
