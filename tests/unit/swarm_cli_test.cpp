// Tests the swarm's fault-mix derivation (a pure function of the seed; every fault inside the
// safety phase, on things the topology has) and `shardsim swarm` as a user meets it: argument
// errors are one line and exit 2, a passing swarm prints one fault-mix line per seed and the
// final line, and the output does not depend on --jobs.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "app/cli/swarm_command.hpp"
#include "app/topology/topology_loader.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

using app::FaultKind;
using app::FaultSpec;
using testing::run_shardsim;

app::Topology prime_broker() {
  return app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml");
}

TEST(SwarmFaults, SameSeedSameMixDifferentSeedsDifferentMixes) {
  const app::Topology t = prime_broker();
  std::set<std::string> distinct;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const auto a = app::derive_fault_mix(t, seed);
    const auto b = app::derive_fault_mix(t, seed);
    const std::string text = app::describe_fault_mix(t, a);
    ASSERT_EQ(text, app::describe_fault_mix(t, b)) << "seed " << seed;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].kind, b[i].kind);
      EXPECT_EQ(a[i].at, b[i].at);
      EXPECT_EQ(a[i].duration, b[i].duration);
      EXPECT_EQ(a[i].shard, b[i].shard);
      EXPECT_EQ(a[i].probability, b[i].probability);
      EXPECT_EQ(a[i].groups, b[i].groups);
    }
    distinct.insert(text);
  }
  EXPECT_EQ(distinct.size(), 200u);
  // Not a function of the topology's own seed: the mix follows the swarm seed only.
  app::Topology other = t;
  other.seed = 99;
  EXPECT_EQ(app::describe_fault_mix(t, app::derive_fault_mix(t, 7)),
            app::describe_fault_mix(other, app::derive_fault_mix(other, 7)));
}

TEST(SwarmFaults, EveryFaultEndsByHalfTimeAndActsOnWhatTheTopologyHas) {
  const app::Topology t = prime_broker();
  const core::SimTime half = core::SimTime::zero() + t.duration / 2;
  std::map<FaultKind, int> kinds;
  std::map<std::size_t, int> sizes;
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    const auto mix = app::derive_fault_mix(t, seed);
    // receipt_drop is drawn apart from the one to four faults of the other kinds (its own stream).
    const auto drops = static_cast<std::size_t>(
        std::count_if(mix.begin(), mix.end(), [](const FaultSpec& f) { return f.kind == FaultKind::receipt_drop; }));
    ASSERT_LE(drops, 1u);
    ++sizes[mix.size() - drops];
    ASSERT_GE(mix.size() - drops, 1u);
    ASSERT_LE(mix.size() - drops, 4u);
    for (const FaultSpec& f : mix) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ": " + app::describe_fault_mix(t, mix));
      ++kinds[f.kind];
      EXPECT_GE(f.at, core::SimTime::zero());
      EXPECT_LE(f.at + f.duration, half);
      EXPECT_GT(f.duration, core::Duration{});
      EXPECT_LE(f.duration, t.duration / 10);
      switch (f.kind) {
        case FaultKind::shard_halt:
        case FaultKind::tx_drop:
          EXPECT_LT(f.shard, t.shards.size());
          if (f.kind == FaultKind::tx_drop) {
            EXPECT_GT(f.probability, 0.0);
            EXPECT_LE(f.probability, 1.0);
          }
          break;
        case FaultKind::latency_spike:
          EXPECT_LT(f.from, t.shards.size());
          EXPECT_LT(f.to, t.shards.size());
          EXPECT_NE(f.from, f.to);
          EXPECT_GE(f.factor, 1.0);
          EXPECT_LE(f.factor, 10.0);
          EXPECT_TRUE(f.factor > 1.0 || f.add > core::Duration{});
          break;
        case FaultKind::partition: {
          ASSERT_EQ(f.groups.size(), 2u);
          std::vector<std::uint32_t> all;
          for (const auto& g : f.groups) {
            EXPECT_FALSE(g.empty());
            all.insert(all.end(), g.begin(), g.end());
          }
          std::sort(all.begin(), all.end());
          ASSERT_EQ(all.size(), t.shards.size());
          for (std::uint32_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
          break;
        }
        case FaultKind::oracle: {
          EXPECT_EQ(f.mode, app::OracleFaultMode::stale);
          ASSERT_TRUE(t.shards[f.shard].oracles.has_value());
          const auto& fed = t.shards[f.shard].oracles->assets;
          EXPECT_NE(std::find(fed.begin(), fed.end(), f.asset), fed.end());
          break;
        }
        case FaultKind::price_crash:
          EXPECT_LT(f.move, 0.0);
          EXPECT_GE(f.move, -0.5);
          EXPECT_TRUE(std::any_of(t.prices.assets.begin(), t.prices.assets.end(),
                                  [&](const auto& p) { return p.asset == f.asset; }));
          break;
        case FaultKind::receipt_drop:
          EXPECT_LT(f.from, t.shards.size());
          EXPECT_LT(f.to, t.shards.size());
          EXPECT_NE(f.from, f.to);
          EXPECT_GE(f.probability, 0.05);
          EXPECT_LE(f.probability, 1.0);
          break;
        default:
          ADD_FAILURE() << "unexpected kind " << static_cast<int>(f.kind);
      }
    }
  }
  // Every kind the topology gives something to act on turns up; gas_spike needs a shard with a
  // base fee, which prime-broker.yaml has not.
  for (const FaultKind k : {FaultKind::shard_halt, FaultKind::latency_spike, FaultKind::partition, FaultKind::tx_drop,
                            FaultKind::oracle, FaultKind::price_crash}) {
    EXPECT_GT(kinds[k], 100) << static_cast<int>(k);
  }
  EXPECT_EQ(kinds[FaultKind::gas_spike], 0);
  EXPECT_GT(kinds[FaultKind::receipt_drop], 500);  // about a third of 2000 seeds
  EXPECT_LT(kinds[FaultKind::receipt_drop], 850);
  for (std::size_t n = 1; n <= 4; ++n) EXPECT_GT(sizes[n], 300) << n;
}

TEST(SwarmFaults, KindsFollowTheTopology) {
  // One shard without feeds or fees: only halts and drops.
  const app::Topology lone = app::load_topology_string(
      "name: lone\nduration: 1h\nshards: [{id: a, slot: 12s, gas_per_block: 30M}]\n"
      "links: {default: {latency: {model: constant, value: 1s}}}\n",
      "lone.yaml");
  // A shard that charges a base fee: gas spikes land on it and nowhere else.
  const app::Topology fees = app::load_topology_string(
      "name: fees\nduration: 20m\nassets: {ETH: {}}\n"
      "shards:\n"
      "  - {id: a, slot: 12s, gas_per_block: 30M, fee_asset: ETH, base_fee: 0.00000001}\n"
      "  - {id: b, slot: 12s, gas_per_block: 30M}\n"
      "links: {default: {latency: {model: constant, value: 1s}}}\n",
      "fees.yaml");
  int spikes = 0;
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    for (const FaultSpec& f : app::derive_fault_mix(lone, seed)) {
      EXPECT_TRUE(f.kind == FaultKind::shard_halt || f.kind == FaultKind::tx_drop) << static_cast<int>(f.kind);
    }
    for (const FaultSpec& f : app::derive_fault_mix(fees, seed)) {
      EXPECT_TRUE(f.kind != FaultKind::oracle && f.kind != FaultKind::price_crash) << static_cast<int>(f.kind);
      EXPECT_LE(f.at + f.duration, core::SimTime::zero() + core::Duration::min(10));
      if (f.kind == FaultKind::gas_spike) {
        ++spikes;
        EXPECT_EQ(f.shard, 0u);
        EXPECT_GE(f.factor, 2.0);
      }
    }
  }
  EXPECT_GT(spikes, 50);
}

TEST(SwarmCli, BadArgumentsAreOneLineAndExitTwo) {
  for (const std::string args :
       {"swarm", "swarm topologies/prime-broker.yaml", "swarm topologies/prime-broker.yaml --seeds 0",
        "swarm topologies/prime-broker.yaml --seeds banana", "swarm topologies/prime-broker.yaml --seeds -3",
        "swarm topologies/prime-broker.yaml --seeds 2 --jobs 0", "swarm topologies/prime-broker.yaml --seeds 2 --bogus",
        "swarm topologies/prime-broker.yaml --seeds 3 --first-seed 18446744073709551615"}) {
    SCOPED_TRACE(args);
    const auto r = run_shardsim(args, "swarm-bad");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("shardsim: error: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  const auto seeds = run_shardsim("swarm topologies/prime-broker.yaml --seeds 0", "swarm-bad-seeds");
  EXPECT_NE(seeds.err.find("--seeds"), std::string::npos) << seeds.err;
  const auto missing = run_shardsim("swarm does/not/exist.yaml --seeds 2", "swarm-missing");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("does/not/exist.yaml:"), std::string::npos) << missing.err;
}

std::vector<std::string> without_wall(std::vector<std::string> lines) {
  for (std::string& l : lines) l = std::regex_replace(l, std::regex(", wall [0-9.]+s$"), ", wall Ws");
  return lines;
}

TEST(SwarmCli, PassingSwarmPrintsEachMixAndTheFinalLine) {
  const auto r = run_shardsim("swarm topologies/prime-broker.yaml --seeds 3", "swarm-ok");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 4u) << r.out;
  const app::Topology t = prime_broker();
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    EXPECT_EQ(lines[seed - 1], "seed " + std::to_string(seed) + " faults: " +
                                   app::describe_fault_mix(t, app::derive_fault_mix(t, seed)));
  }
  EXPECT_TRUE(std::regex_match(lines.back(), std::regex("swarm: 3 seeds, 0 failed, wall [0-9]+\\.[0-9]s"))) << lines.back();

  const auto quiet = run_shardsim("swarm topologies/prime-broker.yaml --seeds 2 --first-seed 40 --quiet", "swarm-quiet");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
  ASSERT_EQ(quiet.out_lines().size(), 1u) << quiet.out;
  EXPECT_EQ(quiet.out_lines()[0].rfind("swarm: 2 seeds, 0 failed, wall ", 0), 0u);

  const auto one = run_shardsim("swarm topologies/prime-broker.yaml --seeds 4 --first-seed 20 --jobs 1", "swarm-j1");
  const auto two = run_shardsim("swarm topologies/prime-broker.yaml --seeds 4 --first-seed 20 --jobs 2", "swarm-j2");
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_EQ(without_wall(one.out_lines()), without_wall(two.out_lines()));
  ASSERT_EQ(one.out_lines().size(), 5u);
  EXPECT_EQ(one.out_lines()[0].rfind("seed 20 faults: ", 0), 0u);
}

// A topology in which every seed leaves a hedge saga pending: an order ten seconds before the end
// while the home shard halts past it.
TEST(SwarmCli, AFailingSeedPrintsTheInvariantAndAReplayCommandAndExitsThree) {
  std::string text = testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml");
  const std::string order =
      "  - {at: 1h59m50s, broker: {client: carol, broker: prime, op: order, args: {instrument: snx.sETH, qty: -50}}}\n";
  const std::string halt = "  - {at: 1h59m40s, shard_halt: {shard: l2, duration: 30m}}\n";
  const auto script = text.find("\nscript:\n");
  ASSERT_NE(script, std::string::npos);
  text.insert(script + 9, order);
  const auto faults = text.find("\nfaults:\n");
  if (faults == std::string::npos) {
    text += "faults:\n" + halt;
  } else {
    text.insert(faults + 9, halt);
  }
  const auto path = testing::scratch_dir("swarm-fail") / "stuck.yaml";
  std::ofstream(path) << text;
  const auto r = run_shardsim("swarm " + path.string() + " --seeds 2 --first-seed 8 --quiet", "swarm-fail");
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("seed 8 faults: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("seed 8: saga_pending: broker prime: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  replay: shardsim swarm " + path.string() + " --seeds 1 --first-seed 8\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  replay: shardsim swarm " + path.string() + " --seeds 1 --first-seed 9\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out_lines().back().rfind("swarm: 2 seeds, 2 failed, wall ", 0), 0u) << r.out;
}

}  // namespace
}  // namespace shardsim
