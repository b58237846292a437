// Tests a whole chain built from YAML: oracle updates follow the deviation and heartbeat rules
// (and the oracle faults), the script and --dump-state round-trip exactly, and the chain example
// keeps conservation and delivers every receipt once.
#include <gtest/gtest.h>

#include "agents/submitter.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

// One shard with an ETH feed whose true price is flat at 2000 (vol 0), so only the heartbeat,
// scripted moves and faults can cause updates.
std::string oracle_topology(const std::string& extra_script, const std::string& faults) {
  return "name: oracle\nseed: 1\nduration: 1h\n"
         "assets: {ETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 0%}}}\n"
         "shards:\n"
         "  - {id: a, slot: 12s, gas_per_block: 30M,\n"
         "     oracles: {assets: [ETH], deviation: 1%, heartbeat: 10m, check_every: 1s}}\n"
         "links: {default: {latency: {model: constant, value: 1s}}, access_latency: {model: constant, value: 100ms}}\n"
         "faults: [" + faults + "]\n"
         "script: [" + extra_script + "]\n";
}

struct OracleRun {
  std::uint64_t updates;
  __int128 last_price_wad;
  std::int64_t last_update_us;
};

OracleRun run_oracle(const std::string& yaml) {
  const app::Topology t = app::load_topology_string(yaml, "oracle.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const shards::OracleValue v = w.shard(0).oracles()[0];
  return {w.shard(0).stats().oracle_updates, v.price_wad, v.updated_at_us};
}

TEST(Oracle, HeartbeatAloneUpdatesEveryHeartbeat) {
  const OracleRun r = run_oracle(oracle_topology("", ""));
  // Submitted at 0, 10m, ..., 50m; each is included by the next 12s block.
  EXPECT_EQ(r.updates, 6u);
  EXPECT_EQ(r.last_price_wad, agents::price_to_wad(2000.0));
  EXPECT_EQ(r.last_update_us, core::Duration::min(50).count_us() + core::Duration::s(12).count_us());
}

TEST(Oracle, DeviationTriggersAnUpdateAndRestartsTheHeartbeat) {
  // A 5% drop at 25m: updates at 0, 10m, 20m, 25m (deviation), then 35m, 45m, 55m.
  const OracleRun r = run_oracle(oracle_topology("{at: 25m, price: {asset: ETH, shock: -5%}}", ""));
  EXPECT_EQ(r.updates, 7u);
  EXPECT_EQ(r.last_price_wad, agents::price_to_wad(1900.0));
}

TEST(Oracle, MovesBelowTheDeviationThresholdDoNotUpdate) {
  const OracleRun r = run_oracle(oracle_topology("{at: 25m, price: {asset: ETH, shock: -0.5%}}", ""));
  EXPECT_EQ(r.updates, 6u);  // heartbeat only: 0.5% < 1%
}

TEST(Oracle, StaleFaultStopsUpdates) {
  const OracleRun r = run_oracle(oracle_topology("{at: 25m, price: {asset: ETH, shock: -5%}}",
                                                 "{at: 24m, oracle: {shard: a, asset: ETH, mode: stale, duration: 36m}}"));
  // 0, 10m, 20m, then nothing: the crash at 25m never reaches the chain.
  EXPECT_EQ(r.updates, 3u);
  EXPECT_EQ(r.last_price_wad, agents::price_to_wad(2000.0));
}

TEST(Oracle, ManipulatedFaultPublishesTheChosenValue) {
  const OracleRun r = run_oracle(
      oracle_topology("", "{at: 30m, oracle: {shard: a, asset: ETH, mode: manipulated, value: 1234, duration: 30m}}"));
  EXPECT_EQ(r.last_price_wad, agents::price_to_wad(1234.0));
}

TEST(Oracle, DelayedFaultMakesUpdatesLate) {
  const OracleRun normal = run_oracle(oracle_topology("", ""));
  const OracleRun delayed =
      run_oracle(oracle_topology("", "{at: 45m, oracle: {shard: a, asset: ETH, mode: delayed, duration: 15m}}"));
  EXPECT_EQ(delayed.updates, normal.updates);
  EXPECT_GT(delayed.last_update_us, normal.last_update_us + core::Duration::min(1).count_us());
}

TEST(Script, TransfersBridgesAndDumpStateRoundTrip) {
  const std::string yaml =
      "name: script\nseed: 1\nduration: 10m\n"
      "assets: {USDC: {decimals: 6}, ETH: {}}\n"
      "shards: [{id: dex, slot: 12s, gas_per_block: 30M}, {id: lend, slot: 12s, gas_per_block: 30M}]\n"
      "links: {default: {latency: {model: constant, value: 24s}}}\n"
      "accounts: {alice: {shard: dex, balances: {ETH: 100, USDC: 2500}}}\n"
      "script:\n"
      "  - {at: 1s, tx: {from: alice, shard: dex, op: transfer, args: {to: bob, asset: ETH, amount: 1.5}}}\n"
      "  - {at: 2s, tx: {from: alice, shard: dex, op: bridge, args: {to_shard: lend, asset: USDC, amount: 100.25}}}\n"
      "  - {at: 3s, tx: {from: alice, shard: dex, op: transfer, args: {to: bob, asset: ETH, amount: 1000}}}\n";
  const app::Topology t = app::load_topology_string(yaml, "script.yaml");
  app::Simulation w(t, 1);
  w.run();
  const nlohmann::ordered_json state = w.dump_state();
  const auto& dex = state.at("shards").at("dex").at("balances");
  EXPECT_EQ(dex.at("alice").at("ETH"), "98.5");
  EXPECT_EQ(dex.at("alice").at("USDC"), "2399.75");
  EXPECT_EQ(dex.at("bob").at("ETH"), "1.5");
  EXPECT_EQ(state.at("shards").at("lend").at("balances").at("alice").at("USDC"), "100.25");
  EXPECT_EQ(w.shard(0).stats().txs_reverted, 1u);  // the 1000 ETH transfer
  EXPECT_EQ(state.at("time_us"), core::Duration::min(10).count_us());
  EXPECT_TRUE(w.check_conservation().ok);
}

TEST(Chain, ExampleConservesValueAndDeliversEveryReceiptOnce) {
  const app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/chain.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << c.breach;
  const auto results = w.results();
  EXPECT_EQ(results.at("cross_shard").at("in_flight"), 0u);
  EXPECT_GT(results.at("cross_shard").at("messages").get<std::uint64_t>(), 0u);
  EXPECT_EQ(results.at("faults").size(), 10u);  // five faults, each started and ended
  for (const auto& s : results.at("shards")) {
    EXPECT_GT(s.at("blocks").get<std::uint64_t>(), 0u);
    EXPECT_EQ(s.at("txs_refused"), 0u) << s.at("id");
  }
  // The perps halt (20m-25m) skipped blocks: 5 minutes of 2s slots.
  EXPECT_EQ(results.at("shards").at(1).at("blocks_skipped_halted"), 150u);
}

}  // namespace
}  // namespace shardsim
