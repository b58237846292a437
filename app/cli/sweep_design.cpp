// Ranges, Latin-hypercube and random designs, and numeric axes for `shardsim sweep`.
#include "app/cli/sweep_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "app/topology/param_path.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"

namespace shardsim::app {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Quantity> parse_quantity(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t whole_from = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  const std::size_t whole = i - whole_from;
  int decimals = 0;
  if (i < text.size() && text[i] == '.' && i + 1 < text.size() && is_digit(text[i + 1])) {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++decimals;
  }
  if (whole + static_cast<std::size_t>(decimals) == 0) return std::nullopt;
  const std::string number(text.substr(0, i));
  Quantity q;
  q.value = std::strtod(number.c_str(), nullptr);
  q.unit = std::string(text.substr(i));
  q.decimals = decimals;
  if (!q.unit.empty() && (q.unit.front() == '.' || is_digit(q.unit.front()))) return std::nullopt;
  // Count suffixes scale the number (`10k..1M` is one range of plain numbers).
  for (const auto& [suffix, digits] : {std::pair{"k", 3}, std::pair{"M", 6}, std::pair{"B", 9}}) {
    if (q.unit != suffix) continue;
    q.value *= std::pow(10.0, digits);
    q.decimals = std::max(0, q.decimals - digits);
    q.unit.clear();
  }
  return q;
}

Range parse_range(const std::string& path, const std::string& text) {
  const std::string where = "--param " + path + "=range:" + text + ": ";
  const std::size_t dots = text.find("..");
  const auto lo = dots == std::string::npos ? std::nullopt : parse_quantity(text.substr(0, dots));
  const auto hi = dots == std::string::npos ? std::nullopt : parse_quantity(text.substr(dots + 2));
  if (!lo || !hi) throw ParamError(where + "expected range:LO..HI with numbers, such as range:2s..20s or range:10..40 slots");
  Range r{*lo, *hi};
  if (r.lo.unit.empty()) r.lo.unit = r.hi.unit;
  if (trim(r.lo.unit) != trim(r.hi.unit)) {
    throw ParamError(where + "LO and HI are in different units ('" + std::string(trim(r.lo.unit)) + "', '" +
                     std::string(trim(r.hi.unit)) + "'); write both in one unit");
  }
  if (r.hi.value < r.lo.value) throw ParamError(where + "HI is below LO");
  return r;
}

std::string range_value(const Range& range, double u) {
  const int decimals = std::max(range.lo.decimals, range.hi.decimals);
  double v = range.lo.value + u * (range.hi.value - range.lo.value);
  const double scale = std::pow(10.0, decimals);
  v = std::clamp(std::round(v * scale) / scale, range.lo.value, range.hi.value);
  if (v == 0) v = 0;  // no `-0`
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  // A duration's unit follows its number without a space (`2 s..20 s` gives `11s`), as the loader reads it.
  const std::string_view unit = trim(range.hi.unit);
  const bool duration = unit == "us" || unit == "ms" || unit == "s" || unit == "m" || unit == "h" || unit == "d";
  return buf + (duration ? std::string(unit) : range.hi.unit);
}

SampleSpec parse_sample(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::string method = text.substr(0, colon);
  const std::string count = colon == std::string::npos ? "" : text.substr(colon + 1);
  SampleSpec s;
  const bool digits = !count.empty() && count.size() <= 6 && std::all_of(count.begin(), count.end(), is_digit);
  if ((method != "lhs" && method != "random") || !digits || std::stoul(count) == 0) {
    throw ParamError("--sample " + text + ": expected lhs:N (Latin hypercube) or random:N with N from 1 to 999999");
  }
  s.method = method == "lhs" ? SampleMethod::lhs : SampleMethod::random;
  s.n = std::stoul(count);
  return s;
}

std::vector<std::vector<double>> unit_design(SampleMethod method, std::uint64_t n, std::size_t dims, std::uint64_t seed) {
  core::Rng rng = core::Rng::for_entity(seed, "sweep-sample");
  std::vector<std::vector<double>> design(n, std::vector<double>(dims));
  for (std::size_t k = 0; k < dims; ++k) {
    std::vector<std::uint64_t> stratum(n);
    std::iota(stratum.begin(), stratum.end(), 0);
    for (std::uint64_t i = n; method == SampleMethod::lhs && i > 1; --i) std::swap(stratum[i - 1], stratum[rng.uniform_index(i)]);
    for (std::uint64_t i = 0; i < n; ++i) {
      const double u = rng.uniform01();
      design[i][k] = method == SampleMethod::lhs ? (static_cast<double>(stratum[i]) + u) / static_cast<double>(n) : u;
    }
  }
  if (dims > 0) std::stable_sort(design.begin(), design.end(), [](const auto& a, const auto& b) { return a[0] < b[0]; });
  return design;
}

Axis numeric_axis(const std::vector<std::string>& values) {
  if (values.empty()) return {};
  const auto first = parse_quantity(values.front());
  Axis axis{first.has_value(), first ? std::string(trim(first->unit)) : "", {}};
  for (const std::string& v : values) {
    const auto q = parse_quantity(v);
    if (!q || trim(q->unit) != axis.unit) {
      axis.numeric = false;
      break;
    }
    axis.values.push_back(q->value);
  }
  if (axis.numeric) return axis;
  axis = Axis{true, "s", {}};
  for (const std::string& v : values) {
    const auto d = core::Duration::parse(trim(v));
    if (!d) return {};
    axis.values.push_back(d->seconds());
  }
  return axis;
}

}  // namespace shardsim::app
