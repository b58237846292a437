// Models summary statistics for reports: a histogram's count, mean, percentiles and max as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "core/histogram.hpp"

namespace shardsim::app {

// {count, p50, p90, p99, max} of a histogram of microseconds.
nlohmann::ordered_json percentiles_json(const core::Histogram& h);

}  // namespace shardsim::app
