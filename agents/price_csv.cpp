// Models the replay input of the true-price process: parsing `time,asset,price` CSV text.
#include "agents/price_csv.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

namespace shardsim::agents {
namespace {

constexpr std::size_t kFieldCount = 3;
constexpr std::array<std::string_view, kFieldCount> kFieldNames{"time", "asset", "price"};

// One field of a line, blanks trimmed; column is 1-based where the trimmed text starts.
struct Field {
  std::string_view text;
  int column = 0;
};

struct Row {
  int line = 0;
  int end_column = 0;  // one past the last character of the line
  std::vector<Field> fields;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits one line (without its end) on commas, keeping each field's column.
std::vector<Field> split_fields(std::string_view line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    std::size_t first = start;
    while (first < end && is_blank(line[first])) ++first;
    fields.push_back({trim_blanks(line.substr(first, end - first)), static_cast<int>(first) + 1});
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

bool is_skipped(std::string_view line) {
  const std::string_view content = trim_blanks(line);
  return content.empty() || content.front() == '#';
}

bool is_header(const std::vector<Field>& fields) {
  if (fields.size() != kFieldCount) return false;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (fields[i].text != kFieldNames[i]) return false;
  }
  return true;
}

// Content lines (not blank, not comments), with 1-based line numbers.
std::vector<Row> content_rows(std::string_view text) {
  std::vector<Row> rows;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_skipped(line)) continue;
    rows.push_back({line_number, static_cast<int>(line.size()) + 1, split_fields(line)});
  }
  return rows;
}

bool is_plain_decimal(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  return true;
}

core::SimTime parse_time(const Field& field, int line) {
  // Plain seconds reuse the Duration grammar (`3600` reads as `3600s`), exact to 1us.
  const std::optional<core::Duration> since_start =
      is_plain_decimal(field.text) ? core::Duration::parse(std::string(field.text) + "s")
                                   : core::Duration::parse(field.text);
  if (!since_start) {
    throw PriceCsvError(line, field.column,
                        "bad time `" + std::string(field.text) +
                            "`: expected a duration such as 90m or seconds such as 3600");
  }
  if (*since_start < core::Duration{}) {
    throw PriceCsvError(line, field.column, "time `" + std::string(field.text) + "` must be >= 0");
  }
  return core::SimTime::from_us(since_start->count_us());
}

std::string parse_asset(const Field& field, int line) {
  if (field.text.empty()) throw PriceCsvError(line, field.column, "asset is empty");
  return std::string(field.text);
}

double parse_price(const Field& field, int line) {
  const std::string quoted = "`" + std::string(field.text) + "`";
  double price = 0;
  const char* const first = field.text.data();
  const char* const last = first + field.text.size();
  const auto [end, error] = std::from_chars(first, last, price);
  if (error == std::errc::result_out_of_range) {
    throw PriceCsvError(line, field.column, "price " + quoted + " is out of range");
  }
  if (error != std::errc{} || end != last || field.text.empty()) {
    throw PriceCsvError(line, field.column, "price " + quoted + " is not a number");
  }
  if (!std::isfinite(price)) throw PriceCsvError(line, field.column, "price " + quoted + " must be finite");
  if (!(price > 0)) throw PriceCsvError(line, field.column, "price " + quoted + " must be > 0");
  return price;
}

void check_field_count(const Row& row) {
  if (row.fields.size() < kFieldCount) {
    throw PriceCsvError(row.line, row.end_column,
                        "missing field `" + std::string(kFieldNames[row.fields.size()]) +
                            "`: expected time,asset,price");
  }
  if (row.fields.size() > kFieldCount) {
    throw PriceCsvError(row.line, row.fields[kFieldCount].column,
                        "unexpected extra field: expected time,asset,price");
  }
}

PricePoint parse_row(const Row& row) {
  check_field_count(row);
  PricePoint point;
  point.at = parse_time(row.fields[0], row.line);
  point.asset = parse_asset(row.fields[1], row.line);
  point.price = parse_price(row.fields[2], row.line);
  return point;
}

}  // namespace

PriceCsvError::PriceCsvError(int line, int column, std::string message)
    : std::runtime_error(std::to_string(line) + ":" + std::to_string(column) + ": " + message),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

std::vector<PricePoint> parse_price_csv(std::string_view text) {
  std::vector<Row> rows = content_rows(text);
  std::size_t first_data = 0;
  if (!rows.empty() && is_header(rows.front().fields)) first_data = 1;

  std::vector<PricePoint> points;
  std::map<std::string, core::SimTime, std::less<>> last_time_by_asset;
  for (std::size_t i = first_data; i < rows.size(); ++i) {
    PricePoint point = parse_row(rows[i]);
    const auto [it, inserted] = last_time_by_asset.try_emplace(point.asset, point.at);
    if (!inserted) {
      if (point.at < it->second) {
        throw PriceCsvError(rows[i].line, rows[i].fields[0].column,
                            "time " + point.at.str() + " goes backwards for " + point.asset +
                                " (previous row at " + it->second.str() + ")");
      }
      it->second = point.at;
    }
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace shardsim::agents
