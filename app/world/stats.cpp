// Histogram summaries for reports.
#include "app/world/stats.hpp"

namespace shardsim::app {

nlohmann::ordered_json percentiles_json(const core::Histogram& h) {
  nlohmann::ordered_json j;
  j["count"] = h.count();
  j["p50"] = h.percentile(50);
  j["p90"] = h.percentile(90);
  j["p99"] = h.percentile(99);
  j["max"] = h.max();
  return j;
}

}  // namespace shardsim::app
