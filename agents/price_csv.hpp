// Models the replay input of the true-price process: a `time,asset,price` CSV parsed into rows.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace shardsim::agents {

// One replay row: the true price of `asset` (a topology symbol) from `at` on.
struct PricePoint {
  core::SimTime at;
  std::string asset;
  double price = 0;
};

// A malformed replay CSV. line and column are 1-based; column is the character column where the
// bad field starts (for a missing field: one past the end of the line). what() = "LINE:COL: message".
class PriceCsvError : public std::runtime_error {
 public:
  PriceCsvError(int line, int column, std::string message);
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  int line_;
  int column_;
  std::string message_;
};

// Parses `time,asset,price` rows. An optional header line `time,asset,price` (the first content
// line) is skipped. Blank lines and lines starting with # (after leading blanks) are skipped.
// Spaces and tabs around fields are ignored; CRLF line ends are accepted.
// time: a Duration text (`0s`, `90m`, `1.5h`) or plain non-negative decimal seconds (`3600`,
// `0.25`), exact to the microsecond; asset: a non-empty symbol; price: a finite decimal > 0.
// Rows must be in non-decreasing time order per asset. Anything else throws PriceCsvError.
std::vector<PricePoint> parse_price_csv(std::string_view text);

}  // namespace shardsim::agents
