// Cause linking and depth of the cascade's failure events.
#include "app/observe/cascade.hpp"

#include <algorithm>

namespace shardsim::app {

std::size_t link_causes(std::vector<CascadeEvent>& events) {
  std::stable_sort(events.begin(), events.end(), [](const CascadeEvent& a, const CascadeEvent& b) { return a.at_us < b.at_us; });
  std::vector<std::size_t> depth(events.size(), 1);
  std::size_t deepest = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].cause.reset();
    if (events[i].what != "fault") {
      for (std::size_t j = i; j-- > 0;) {
        if (events[j].at_us > events[i].at_us || events[j].who == events[i].who) continue;
        events[i].cause = j;
        depth[i] = depth[j] + 1;
        break;
      }
    }
    deepest = std::max(deepest, depth[i]);
  }
  return deepest;
}

nlohmann::ordered_json cascade_events_json(const std::vector<CascadeEvent>& events) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const CascadeEvent& e : events) {
    nlohmann::ordered_json j{{"who", e.who}, {"what", e.what}, {"at_s", static_cast<double>(e.at_us) / 1e6}};
    j["caused_by"] = e.cause ? nlohmann::ordered_json(events[*e.cause].who) : nlohmann::ordered_json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace shardsim::app
