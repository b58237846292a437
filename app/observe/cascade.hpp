// Models the cascade measures of spec/clearing.md §7: failures (faults, protocols with bad debt,
// insolvent brokers) with their times, each one's cause (the latest earlier failure or fault it
// could have followed from), the longest cause chain (`depth`), liquidations per protocol and per
// broker, bad debt per layer, and the value lost by each class of participant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardsim::app {

struct CascadeEvent {
  std::string who;    // "fault:shard_halt shard=perps", "protocol:aave", "broker:prime"
  std::string what;   // "fault", "bad debt", "insolvent"
  std::int64_t at_us = 0;
  std::optional<std::size_t> cause;  // index of the event it followed from
};

// Orders events by time and links each non-fault event to its cause: the latest earlier event
// (faults included) — a protocol's bad debt follows the latest fault or failure before it, a
// broker's insolvency the latest protocol failure or fault before it. Returns the depth: the
// number of events on the longest chain (0 without events).
std::size_t link_causes(std::vector<CascadeEvent>& events);

nlohmann::ordered_json cascade_events_json(const std::vector<CascadeEvent>& events);

}  // namespace shardsim::app
