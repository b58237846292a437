// Exact percentiles for summaries.
#include "app/stats.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::app {

std::int64_t percentile_sorted(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

nlohmann::ordered_json percentiles_json(std::vector<std::int64_t> samples) {
  std::sort(samples.begin(), samples.end());
  __int128 sum = 0;
  for (const std::int64_t s : samples) sum += s;
  nlohmann::ordered_json j;
  j["count"] = samples.size();
  j["mean"] = samples.empty() ? 0 : static_cast<std::int64_t>(sum / static_cast<__int128>(samples.size()));
  j["p50"] = percentile_sorted(samples, 50);
  j["p90"] = percentile_sorted(samples, 90);
  j["p99"] = percentile_sorted(samples, 99);
  j["max"] = samples.empty() ? 0 : samples.back();
  return j;
}

}  // namespace shardsim::app
