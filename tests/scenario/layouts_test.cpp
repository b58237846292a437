// Tests the example layouts for architects in topologies/: colocated.yaml against spread.yaml
// (one world, two layouts), l2-broker.yaml against its one-line flip to an L1 home, and the
// 64-shard eth2-64.yaml. Each run must end complete, with conservation and no saga pending; the
// comparisons assert the directions the model guarantees (more hops, slower settlement and a
// larger latency add-on), over a few seeds rather than numbers tuned to one.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

std::string topology_text(const std::string& name) {
  return testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/" + name);
}

// Replaces the one occurrence of `from` (which must be there exactly once) with `to`.
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "no \"" << from << "\" in the topology";
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "\"" << from << "\" is there twice";
  text.replace(at, from.size(), to);
  return text;
}

// Every broker's sagas ended once (committed or compensated) and nothing is left at a venue.
void expect_settled(const ordered_json& broker) {
  const ordered_json& h = broker.at("hedges");
  EXPECT_EQ(h.at("pending"), 0) << broker.at("name");
  EXPECT_EQ(h.at("sent").get<int>(), h.at("committed").get<int>() + h.at("compensated").get<int>()) << broker.at("name");
  EXPECT_GT(h.at("committed").get<int>(), 0) << broker.at("name");
  for (const ordered_json& p : h.at("positions")) EXPECT_EQ(p.at("in_flight"), "0") << p.at("venue");
}

// Runs `t` with `seed` and checks what every run of these layouts must satisfy.
ordered_json run_checked(const app::Topology& t, std::uint64_t seed) {
  app::Simulation w(t, seed);
  const core::RunStats st = w.run();
  EXPECT_FALSE(st.interrupted);
  EXPECT_EQ(st.end_time, core::SimTime::zero() + t.duration);
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << t.name << " seed " << seed << ": " << c.breach;
  ordered_json r = w.results();
  for (const ordered_json& b : r.at("brokers")) expect_settled(b);
  return r;
}

ordered_json run_text(const std::string& yaml, const std::string& name, std::uint64_t seed) {
  const app::Topology t = app::load_topology_string(yaml, name);
  return run_checked(t, seed);
}

double p50_ms(const ordered_json& broker) { return broker.at("settlement_latency_ms").at("p50").get<double>(); }

// Agents per kind, as the run reports them (protocol-side kinds) plus the broker's client count.
std::map<std::string, int> population(const ordered_json& r) {
  std::map<std::string, int> out;
  for (const auto& [kind, stats] : r.at("agents").items()) out[kind] = stats.at("agents").get<int>();
  out["broker clients"] = r.at("brokers").at(0).at("clients").get<int>();
  return out;
}

TEST(Layouts, ColocatedAndSpreadAreOneWorldAndSpreadSettlesSlowerWithMoreLatencyRisk) {
  const std::string colocated = topology_text("colocated.yaml");
  const std::string spread = topology_text("spread.yaml");
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json c = run_text(colocated, "colocated.yaml", seed);
    const ordered_json s = run_text(spread, "spread.yaml", seed);
    ASSERT_EQ(c.at("brokers").size(), 1u);
    ASSERT_EQ(s.at("brokers").size(), 1u);
    EXPECT_EQ(population(c), population(s));
    EXPECT_EQ(population(c).at("broker clients"), 52);  // 40 retail + 8 basis traders + 4 hedgers
    const ordered_json& bc = c.at("brokers").at(0);
    const ordered_json& bs = s.at("brokers").at(0);
    // Colocated, the broker hedges one short hop from the venues: nearly every hedge commits. A
    // prepare vote locks nothing (it runs on a copy of the pool), so a swap can still revert on
    // slippage when the pool moved between the vote and the commit.
    EXPECT_GT(bc.at("hedges").at("committed").get<int>(), 10);
    EXPECT_GE(bc.at("hedges").at("committed").get<double>(), 0.95 * bc.at("hedges").at("sent").get<double>());
    // Every client's capital reaches the broker in both layouts.
    EXPECT_EQ(bc.at("deposits"), bs.at("deposits"));
    // Two-phase hedges cross four links when spread (a 4s median each); colocated, none.
    EXPECT_GT(p50_ms(bs), 2.0 * p50_ms(bc));
    // The latency add-on prices the expected round trip to the venue.
    EXPECT_GT(bs.at("margin").at("latency_addon_avg").get<double>(), bc.at("margin").at("latency_addon_avg").get<double>());
    // Only the spread layout's prepare votes can miss the 10-slot timeout.
    EXPECT_EQ(bc.at("hedges").at("timed_out"), 0);
  }
}

TEST(Layouts, L2BrokerSettlesFasterOnTheRollupThanFlippedToTheL1Shard) {
  const std::string rollup = topology_text("l2-broker.yaml");
  const std::string l1 = edit(rollup, "\n    home: rollup\n", "\n    home: l1\n");
  for (const std::uint64_t seed : {1u, 2u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json fast = run_text(rollup, "l2-broker.yaml", seed);
    const ordered_json slow = run_text(l1, "l2-broker-l1", seed);
    EXPECT_EQ(population(fast), population(slow));
    EXPECT_EQ(fast.at("brokers").at(0).at("home"), "rollup");
    EXPECT_EQ(slow.at("brokers").at(0).at("home"), "l1");
    // A hedge leaves on a home block and two-phase goes out twice: 250ms blocks against 12s.
    EXPECT_LT(p50_ms(fast.at("brokers").at(0)) + 10'000, p50_ms(slow.at("brokers").at(0)));
  }
}

TEST(Layouts, Eth2With64ShardsHasItsPopulationAndRunsShortened) {
  app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/eth2-64.yaml");
  ASSERT_EQ(t.shards.size(), 64u);
  std::set<std::string> ids;
  std::map<std::string, int> kinds;
  for (const app::ShardSpec& s : t.shards) {
    ids.insert(s.id);
    for (const app::ProtocolSpec& p : s.protocols) ++kinds[p.kind];
    EXPECT_LE(s.protocols.size(), 1u) << s.id;  // each instance on its own shard
  }
  EXPECT_EQ(ids.size(), 64u);
  EXPECT_TRUE(ids.contains("s00"));
  EXPECT_TRUE(ids.contains("s63"));
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"amm", 8}, {"lending", 4}, {"perps", 4}, {"synthetics", 4}}));
  EXPECT_EQ(t.brokers.size(), 2u);
  std::uint32_t agents = 0;
  for (const agents::AgentSpec& a : t.agents) agents += a.count;
  EXPECT_EQ(agents, 443u);

  t.duration = core::Duration::h(1);  // the full 6h run is in topologies_test.cpp
  const ordered_json r = run_checked(t, 4);
  ASSERT_EQ(r.at("brokers").size(), 2u);
  EXPECT_EQ(r.at("brokers").at(0).at("clients"), 240);
  EXPECT_EQ(r.at("brokers").at(1).at("clients"), 170);
  EXPECT_GT(r.at("cross_shard").at("messages").get<int>(), 0);
  // Each broker hedges on the perps exchange it has a fast link to: dydx0 next to alpha's s00,
  // dydx2 next to beta's s32.
  for (const auto& [broker, venue] : {std::pair<int, std::string>{0, "dydx0."}, {1, "dydx2."}}) {
    for (const ordered_json& p : r.at("brokers").at(broker).at("hedges").at("positions")) {
      if (p.at("qty") != "0") {
        EXPECT_TRUE(p.at("venue").get<std::string>().starts_with(venue)) << p.at("venue");
      }
    }
  }
}

}  // namespace
}  // namespace shardsim
