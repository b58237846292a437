// Models the composition root: builds a runnable world (engine, one LP per shard, links,
// workload) from a validated topology and a seed. The only place that names concrete types.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

#include "app/ping_workload.hpp"
#include "app/topology.hpp"
#include "core/engine.hpp"
#include "core/latency.hpp"

namespace shardsim::app {

class World {
 public:
  World(const Topology& topology, std::uint64_t seed);
  ~World();

  core::Engine& engine() { return *engine_; }
  core::Duration lookahead() const { return links_.lookahead(); }
  core::RunStats run();  // over the topology's duration
  // Model results for the summary (workload statistics, later protocols and brokers).
  nlohmann::ordered_json results() const;

 private:
  const Topology& topology_;
  core::LinkTable links_;
  std::unique_ptr<core::Engine> engine_;
  std::vector<core::LpId> shard_lps_;
  std::unique_ptr<PingWorkload> ping_;
};

core::LinkTable make_link_table(const Topology& topology);

}  // namespace shardsim::app
