// The one CSV writer of the output files.
#include "app/output/csv.hpp"

#include <charconv>
#include <cmath>

namespace shardsim::app {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) v = 0;  // no "-0"
  char buf[400];  // fixed notation of any double fits
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string timeseries_csv(const TimeSeries& series) {
  std::string out = "t_s";
  for (const TimeSeries::Series& s : series.series()) out.append(",").append(csv_field(s.name));
  out += "\n";
  const std::vector<std::int64_t>& t_us = series.t_us();
  for (std::size_t i = 0; i < t_us.size(); ++i) {
    out += csv_number(static_cast<double>(t_us[i]) / 1e6);
    for (const TimeSeries::Series& s : series.series()) {
      out += ",";
      if (s.values[i]) out += csv_number(*s.values[i]);
    }
    out += "\n";
  }
  return out;
}

}  // namespace shardsim::app
