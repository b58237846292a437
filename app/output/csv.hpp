// Models the CSV the output files share (timeseries.csv, events.csv, compare.csv, sweep.csv): one
// quoting rule (RFC 4180) and one number format, the same on every machine for the same bits.
#pragma once

#include <string>
#include <string_view>

#include "app/observe/time_series.hpp"

namespace shardsim::app {

// A CSV field, quoted when it holds a comma, quote or line break (quotes doubled).
std::string csv_field(std::string_view text);
// Shortest fixed-notation text that reads back as the same double; "" for NaN and infinities,
// and never "-0".
std::string csv_number(double v);
// timeseries.csv: header `t_s,<series names>`, one row per sample; an empty cell where a series
// had no value yet.
std::string timeseries_csv(const TimeSeries& series);

}  // namespace shardsim::app
