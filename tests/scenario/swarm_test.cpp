// Tests swarm testing in process: a swarm over prime-broker.yaml holds every invariant, its
// outcome per seed does not depend on the number of jobs, and a run that ends with a hedge saga
// still pending (a halt that outlasts the run) is reported, not passed.
#include <gtest/gtest.h>

#include <map>

#include "app/cli/swarm_command.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim {
namespace {

// The swarm `make test` runs, in Release and again under ASan+UBSan (about 3 s and 20 s on the
// 2-core machine).
constexpr std::uint64_t kSwarmSeeds = 50;

std::string prime_broker_path() { return std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml"; }

std::string failures_text(const std::vector<app::SeedOutcome>& outcomes) {
  std::string out;
  for (const app::SeedOutcome& o : outcomes) {
    for (const app::InvariantFailure& f : o.failures) {
      out += "seed " + std::to_string(o.seed) + " [" + o.fault_mix + "]: " + f.invariant + ": " + f.detail + "\n";
    }
  }
  return out;
}

TEST(Swarm, PrimeBrokerHoldsEveryInvariantUnderDerivedFaults) {
  const app::Topology t = app::load_topology_file(prime_broker_path());
  std::map<std::uint64_t, std::uint64_t> fingerprints;
  std::vector<std::uint64_t> order;
  app::SwarmHooks hooks;
  hooks.after = [&](const app::SeedOutcome& o) {
    order.push_back(o.seed);
    fingerprints[o.seed] = o.fingerprint;
  };
  const app::SwarmSummary s = app::run_swarm(t, 1, kSwarmSeeds, 2, hooks);
  EXPECT_EQ(s.seeds, kSwarmSeeds);
  EXPECT_EQ(s.failed, 0u) << failures_text(s.failures);
  // Reported in seed order, each once.
  ASSERT_EQ(order.size(), kSwarmSeeds);
  for (std::uint64_t i = 0; i < kSwarmSeeds; ++i) EXPECT_EQ(order[i], 1 + i);
  // The same seed gives the same run on one thread as on two.
  for (const std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{2}, kSwarmSeeds}) {
    const app::SeedOutcome alone = app::run_swarm_seed(t, seed);
    EXPECT_EQ(alone.fingerprint, fingerprints[seed]) << "seed " << seed;
    EXPECT_TRUE(alone.ok()) << failures_text({alone});
  }
}

TEST(Swarm, OutcomesDoNotDependOnJobs) {
  const app::Topology t = app::load_topology_file(prime_broker_path());
  auto collect = [&](unsigned jobs) {
    std::vector<std::string> lines;
    app::SwarmHooks hooks;
    hooks.before = [&](std::uint64_t seed, const std::string& mix) {
      lines.push_back("before " + std::to_string(seed) + " " + mix);
    };
    hooks.after = [&](const app::SeedOutcome& o) {
      lines.push_back("after " + std::to_string(o.seed) + " " + o.fault_mix + " " + std::to_string(o.fingerprint) + " " +
                      std::to_string(o.events) + " " + std::to_string(o.failures.size()));
    };
    app::run_swarm(t, 101, 6, jobs, hooks);
    return lines;
  };
  const auto one = collect(1);
  ASSERT_EQ(one.size(), 12u);
  EXPECT_EQ(one, collect(2));
  EXPECT_EQ(one, collect(3));
}

// prime-broker.yaml with one more order just before the end and a halt of the home shard that
// outlasts the run: the hedge saga the order starts can neither settle nor time out in time.
app::Topology stuck_saga_topology() {
  app::Topology t = app::load_topology_file(prime_broker_path());
  app::ScriptBrokerAction order;
  order.client = "carol";
  order.broker = 0;
  order.op = app::BrokerOp::order;
  order.instrument = "snx.sETH";
  order.qty_wad = static_cast<__int128>(-50) * 1'000'000'000'000'000'000;
  app::ScriptEntry e;
  e.at = core::SimTime::zero() + t.duration - core::Duration::s(10);
  e.broker = order;
  t.script.push_back(e);
  app::FaultSpec halt;
  halt.kind = app::FaultKind::shard_halt;
  halt.shard = *t.shard_index("l2");
  halt.at = core::SimTime::zero() + t.duration - core::Duration::s(20);
  halt.duration = core::Duration::min(30);
  t.faults.push_back(halt);
  return t;
}

TEST(Swarm, ASagaPendingAtTheEndIsReported) {
  const app::Topology t = stuck_saga_topology();
  const app::SeedOutcome o = app::run_swarm_seed(t, 5);
  ASSERT_FALSE(o.ok());
  bool pending = false;
  for (const app::InvariantFailure& f : o.failures) {
    if (f.invariant == "saga_pending") {
      pending = true;
      EXPECT_NE(f.detail.find("broker prime: "), std::string::npos) << f.detail;
    }
  }
  EXPECT_TRUE(pending) << failures_text({o});
  const app::SwarmSummary s = app::run_swarm(t, 5, 2, 2);
  EXPECT_EQ(s.failed, 2u);
  ASSERT_EQ(s.failures.size(), 2u);
  EXPECT_EQ(s.failures[0].seed, 5u);
  EXPECT_EQ(s.failures[1].seed, 6u);
}

}  // namespace
}  // namespace shardsim
