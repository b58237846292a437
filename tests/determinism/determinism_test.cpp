// Tests determinism: the same topology and seed give the same fingerprint in-process and across
// separate processes; another seed gives another fingerprint; and the fingerprint witnesses
// outcomes: worlds whose event streams match but whose transactions end differently (a transfer
// or a protocol op that reverts in one and succeeds in the other) print different fingerprints.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

std::uint64_t fingerprint_of(const std::string& file, std::uint64_t seed) {
  const app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/" + file);
  app::Simulation world(t, seed);
  world.run();
  return world.fingerprint();
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

TEST(Determinism, SameSeedSameFingerprint) {
  EXPECT_EQ(fingerprint_of("topologies/default.yaml", 1), fingerprint_of("topologies/default.yaml", 1));
  EXPECT_EQ(fingerprint_of("topologies/latency-models.yaml", 9), fingerprint_of("topologies/latency-models.yaml", 9));
}

TEST(Determinism, OtherSeedOtherFingerprint) {
  EXPECT_NE(fingerprint_of("topologies/default.yaml", 1), fingerprint_of("topologies/default.yaml", 2));
}

// One shard; alice (holding `alice_usdc`) sends bob 100 USDC at 1s; `extra_script` adds entries.
std::string outcome_topology(const std::string& alice_usdc, const std::string& extra_accounts = "",
                             const std::string& extra_script = "") {
  return "name: outcome\nseed: 1\nduration: 10m\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "shards: [{id: a, slot: 12s, gas_per_block: 30M,\n"
         "          protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC], fee: 0.3%}}]}]\n"
         "links: {default: {latency: {model: constant, value: 24s}}}\n"
         "accounts:\n"
         "  alice: {shard: a, balances: {USDC: " + alice_usdc + "}}\n"
         "  bob: {shard: a, balances: {USDC: 1}}\n" + extra_accounts +
         "script:\n"
         "  - {at: 1s, tx: {from: alice, shard: a, op: transfer, args: {to: bob, asset: USDC, amount: 100}}}\n" +
         extra_script;
}

struct OutcomeRun {
  std::uint64_t engine_fingerprint = 0;  // events and witnessed outcomes only
  std::uint64_t fingerprint = 0;         // with the final state
  std::uint64_t events = 0;
  std::uint64_t reverted = 0;
  std::string bob_usdc;
};

OutcomeRun run_outcome(const std::string& yaml) {
  const app::Topology t = app::load_topology_string(yaml, "outcome.yaml");
  app::Simulation world(t, 1);
  const core::RunStats stats = world.run();
  const auto balances = world.dump_state().at("shards").at("a").at("balances");
  return OutcomeRun{world.engine().fingerprint(), world.fingerprint(), stats.events,
                    world.shard(0).stats().txs_reverted, balances.at("bob").at("USDC").get<std::string>()};
}

// The case: with 500 the transfer goes through (bob ends with 101), with 50 it reverts
// (bob keeps 1). Nothing in the event stream differs (a script tx has nobody to notify), so only
// the witnessed outcome and the final state can tell the two apart, and each does on its own.
TEST(Determinism, ATransferThatRevertsChangesTheFingerprint) {
  const OutcomeRun ok = run_outcome(outcome_topology("500"));
  const OutcomeRun reverted = run_outcome(outcome_topology("50"));
  ASSERT_EQ(ok.bob_usdc, "101");
  ASSERT_EQ(reverted.bob_usdc, "1");
  EXPECT_EQ(ok.reverted, 0u);
  EXPECT_EQ(reverted.reverted, 1u);
  EXPECT_EQ(ok.events, reverted.events);
  EXPECT_NE(ok.engine_fingerprint, reverted.engine_fingerprint);
  EXPECT_NE(ok.fingerprint, reverted.fingerprint);
}

// A protocol op (an AMM swap of carol's USDC) that succeeds in one world and reverts for want of
// funds in the other: the same transactions, the same events, different outcomes.
TEST(Determinism, AProtocolRevertChangesTheFingerprint) {
  const std::string script =
      "  - {at: 2s, tx: {from: lp, shard: a, protocol: uni, op: add_liquidity, args: {amount_a: 100, amount_b: 200k}}}\n"
      "  - {at: 30s, tx: {from: carol, shard: a, protocol: uni, op: swap, args: {sell: USDC, amount: 1000, min_out: 0}}}\n";
  const auto accounts = [](const std::string& carol_usdc) {
    return "  lp: {shard: a, balances: {ETH: 100, USDC: 200k}}\n"
           "  carol: {shard: a, balances: {USDC: " + carol_usdc + "}}\n";
  };
  const OutcomeRun swapped = run_outcome(outcome_topology("500", accounts("5000"), script));
  const OutcomeRun reverted = run_outcome(outcome_topology("500", accounts("10"), script));
  EXPECT_EQ(swapped.reverted, 0u);
  EXPECT_EQ(reverted.reverted, 1u);
  EXPECT_EQ(swapped.events, reverted.events);
  EXPECT_NE(swapped.engine_fingerprint, reverted.engine_fingerprint);
  EXPECT_NE(swapped.fingerprint, reverted.fingerprint);
}

// An account that never transacts holds 5 USDC in one world and 6 in the other: the same events
// and outcomes, so only the final-state digest in World::fingerprint() tells them apart.
TEST(Determinism, TheFinalStateAloneChangesTheFingerprint) {
  const OutcomeRun five = run_outcome(outcome_topology("500", "  dave: {shard: a, balances: {USDC: 5}}\n"));
  const OutcomeRun six = run_outcome(outcome_topology("500", "  dave: {shard: a, balances: {USDC: 6}}\n"));
  EXPECT_EQ(five.engine_fingerprint, six.engine_fingerprint);
  EXPECT_NE(five.fingerprint, six.fingerprint);
}

// Separate processes have different address layouts, so anything address-dependent that reaches
// the fingerprint (uninitialised padding copied into a payload, pointer-keyed maps) shows here.
class SeparateProcesses : public ::testing::TestWithParam<const char*> {};

TEST_P(SeparateProcesses, AgreeWithEachOtherAndInProcess) {
  const std::string file = GetParam();
  const auto a = testing::run_shardsim("run " + file + " --seed 5 --quiet --out " +
                                           testing::scratch_dir("det-a").string(), "det-a");
  const auto b = testing::run_shardsim("run " + file + " --seed 5 --quiet --out " +
                                           testing::scratch_dir("det-b").string(), "det-b");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto la = a.out_lines();
  const auto lb = b.out_lines();
  ASSERT_EQ(la.size(), 2u) << a.out;  // --quiet keeps exactly the seed= and fingerprint= lines
  EXPECT_EQ(la.front(), "seed=5");
  EXPECT_EQ(la.back(), lb.back());
  EXPECT_EQ(la.back(), "fingerprint=" + hex16(fingerprint_of(file, 5)));
}

INSTANTIATE_TEST_SUITE_P(Topologies, SeparateProcesses,
                         ::testing::Values("topologies/default.yaml", "topologies/chain.yaml",
                                           "topologies/replay.yaml", "topologies/netting.yaml"));

}  // namespace
}  // namespace shardsim
