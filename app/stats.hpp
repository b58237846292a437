// Models summary statistics for reports: exact nearest-rank percentiles of integer samples.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace shardsim::app {

// Nearest-rank percentile (0 < p <= 100) of sorted samples; 0 when empty.
std::int64_t percentile_sorted(const std::vector<std::int64_t>& sorted, double p);
// {count, mean, p50, p90, p99, max} of the samples.
nlohmann::ordered_json percentiles_json(std::vector<std::int64_t> samples);

}  // namespace shardsim::app
