// Parsing and printing of unit-suffixed durations (`12s`, `1.5h`, `6h10m`).
#include "core/time.hpp"

#include <array>
#include <cctype>

namespace shardsim::core {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t us;
};
// Longest suffixes first so `ms` is not read as `m` followed by garbage.
constexpr std::array<Unit, 6> kUnitsParse{{{"us", 1},
                                           {"ms", 1'000},
                                           {"s", 1'000'000},
                                           {"m", 60'000'000},
                                           {"h", 3'600'000'000},
                                           {"d", 86'400'000'000}}};
constexpr std::array<Unit, 6> kUnitsPrint{{{"d", 86'400'000'000},
                                           {"h", 3'600'000'000},
                                           {"m", 60'000'000},
                                           {"s", 1'000'000},
                                           {"ms", 1'000},
                                           {"us", 1}}};
constexpr std::int64_t kMaxUs = std::numeric_limits<std::int64_t>::max() / 4;

// Reads `<digits>[.<digits>]<unit>` from the front of `text`, returning microseconds.
std::optional<std::int64_t> parse_term(std::string_view& text) {
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  std::int64_t frac_scale = 1;
  std::size_t i = 0;
  bool digits = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (whole > (kMaxUs - 9) / 10) return std::nullopt;  // checked before it could overflow
    whole = whole * 10 + (text[i] - '0');
    digits = true;
    ++i;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (frac_scale >= 1'000'000'000'000LL) return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
      frac_scale *= 10;
      digits = true;
      ++i;
    }
  }
  if (!digits) return std::nullopt;
  std::size_t j = i;
  while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
  const std::string_view suffix = text.substr(i, j - i);
  for (const Unit& u : kUnitsParse) {
    if (suffix != u.suffix) continue;
    if (whole > kMaxUs / u.us) return std::nullopt;
    // The fraction must land on a whole microsecond.
    const __int128 frac_us_num = static_cast<__int128>(frac) * u.us;
    if (frac_us_num % frac_scale != 0) return std::nullopt;
    text.remove_prefix(j);
    return whole * u.us + static_cast<std::int64_t>(frac_us_num / frac_scale);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Duration> Duration::parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    const auto term = parse_term(text);
    if (!term) return std::nullopt;
    total += *term;
    if (total > kMaxUs) return std::nullopt;
  }
  return Duration::us(negative ? -total : total);
}

std::string Duration::str() const {
  const bool negative = us_ < 0;
  const std::int64_t v = negative ? -us_ : us_;
  std::string out = negative ? "-" : "";
  if (v == 0) return "0s";
  for (const Unit& u : kUnitsPrint) {
    // Exact to three decimals in this unit: v must be a multiple of u.us / 1000.
    const std::int64_t step = u.us >= 1000 ? u.us / 1000 : 1;
    if (v < u.us || v % step != 0) continue;
    out += std::to_string(v / u.us);
    std::int64_t rem = (v % u.us) / step;  // thousandths
    if (u.us >= 1000 && rem != 0) {
      std::string frac = std::to_string(rem + 1000).substr(1);
      while (!frac.empty() && frac.back() == '0') frac.pop_back();
      out += "." + frac;
    }
    out += u.suffix;
    return out;
  }
  return out + std::to_string(v) + "us";
}

std::optional<SimTime> SimTime::parse(std::string_view text) {
  const auto d = Duration::parse(text);
  if (!d || d->count_us() < 0) return std::nullopt;
  return SimTime::from_us(d->count_us());
}

}  // namespace shardsim::core
