// Builds the world from a topology: engine, shard LPs, link table and workload.
#include "app/world.hpp"

namespace shardsim::app {

core::LinkTable make_link_table(const Topology& topology) {
  core::LinkTable links(static_cast<std::uint32_t>(topology.shards.size()), topology.links.default_latency);
  for (const LinkPair& p : topology.links.pairs) links.set_pair(p.from, p.to, p.latency);
  return links;
}

World::World(const Topology& topology, std::uint64_t seed)
    : topology_(topology), links_(make_link_table(topology)) {
  core::EngineConfig cfg;
  cfg.seed = seed;
  cfg.lookahead = links_.lookahead();
  cfg.limits.max_pending_events = topology.limits.max_pending_events;
  cfg.limits.max_events = topology.limits.max_events;
  cfg.limits.max_inflight_calls = topology.limits.max_inflight_calls;
  engine_ = core::make_sequential_engine(cfg);
  for (const ShardSpec& s : topology.shards) shard_lps_.push_back(engine_->add_lp("shard:" + s.id));
  if (topology.workload.kind == "ping") {
    ping_ = std::make_unique<PingWorkload>(*engine_, topology, links_, shard_lps_);
  }
}

// The engine goes first: it unwinds fibers that still reference the workload.
World::~World() { engine_.reset(); }

core::RunStats World::run() {
  return engine_->run(core::SimTime::zero() + topology_.duration);
}

nlohmann::ordered_json World::results() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (ping_) j["workload"] = ping_->summary();
  return j;
}

}  // namespace shardsim::app
