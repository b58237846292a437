// Models a loaded topology as plain data: what one YAML file says about a run (its shards,
// links, workload, limits and outputs), already validated, before anything is built from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/latency_spec.hpp"
#include "core/time.hpp"

namespace shardsim::app {

struct ShardSpec {
  std::string id;                 // unique among shards: letters, digits, `_`, `-`
  core::Duration slot;            // block interval, > 0
  core::Duration slot_offset;     // first block at this offset, 0 <= offset < slot
  std::uint64_t gas_per_block = 0;  // > 0
  std::size_t line = 0;           // 1-based line of the shard's entry, for later messages
};

// The latency of messages sent from shard `from` to shard `to` (directional: the reverse
// direction uses its own pair or the default).
struct LinkPair {
  std::uint32_t from = 0;  // index into Topology::shards
  std::uint32_t to = 0;    // index into Topology::shards, != from
  core::LatencySpec latency;
};

struct LinksSpec {
  core::LatencySpec default_latency;  // every ordered pair of shards not listed in `pairs`
  std::vector<LinkPair> pairs;        // each ordered (from, to) at most once
};

struct WorkloadSpec {
  std::string kind = "none";          // "none" or "ping"
  double per_shard_per_second = 0;    // ping rate per shard, >= 0
  std::uint32_t payload_bytes = 8;
};

struct LimitsSpec {
  std::uint64_t max_pending_events = 50'000'000;  // >= 1
  std::uint64_t max_events = 0;                   // 0 = unlimited
  std::uint32_t max_inflight_calls = 10'000;      // >= 1
};

struct OutputsSpec {
  core::Duration timeseries_every = core::Duration::min(1);  // > 0
  bool trace = false;
};

struct Topology {
  std::string file;  // the file it was loaded from, as given
  std::string name;
  std::uint64_t seed = 1;
  core::Duration duration;  // > 0
  std::vector<ShardSpec> shards;  // non-empty, in file order
  LinksSpec links;
  WorkloadSpec workload;
  LimitsSpec limits;
  OutputsSpec outputs;

  std::optional<std::uint32_t> shard_index(std::string_view id) const {
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (shards[i].id == id) return static_cast<std::uint32_t>(i);
    }
    return std::nullopt;
  }
};

}  // namespace shardsim::app
