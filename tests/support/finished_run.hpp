// Test support: a topology written inline, run to its end with its observers, conservation
// asserted, and the final `--dump-state` kept for reading protocols, balances and agent stats.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "app/observe/simulation.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::testing {

struct FinishedRun {
  std::unique_ptr<app::Topology> topology;
  std::unique_ptr<app::Simulation> world;
  nlohmann::ordered_json state;

  FinishedRun(const std::string& yaml, const std::string& file)
      : topology(std::make_unique<app::Topology>(app::load_topology_string(yaml, file))),
        world(std::make_unique<app::Simulation>(*topology, topology->seed)) {
    world->run();
    state = world->dump_state();
    const app::ConservationReport c = world->check_conservation();
    EXPECT_TRUE(c.ok) << c.breach;
  }
  const nlohmann::ordered_json& protocol(const char* shard, const char* name) const {
    return state.at("shards").at(shard).at("protocols").at(name);
  }
  const nlohmann::ordered_json& balances(const char* shard, const std::string& who) const {
    return state.at("shards").at(shard).at("balances").at(who);
  }
  // Whole units of `asset` held by `who` on `shard` (0 when none).
  double balance(const char* shard, const std::string& who, const char* asset) const {
    const nlohmann::ordered_json& b = balances(shard, who);
    return b.contains(asset) ? std::stod(b.at(asset).get<std::string>()) : 0.0;
  }
  // The stats of every protocol-side agent of `kind`, merged.
  agents::AgentStats stats(agents::AgentKind kind) const {
    agents::AgentStats total;
    for (const auto& a : world->protocol_agents()) {
      if (a->kind() == kind) total.merge(a->stats());
    }
    return total;
  }
};

}  // namespace shardsim::testing
