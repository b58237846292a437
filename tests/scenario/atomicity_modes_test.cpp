// Tests the atomicity modes as levers on topologies/atomicity.yaml (two-leg netted settlements
// across two perpetuals exchanges, third parties trading on both, the ETH venue's shard halting
// and the broker's home shard losing transactions), over 20 seeds with paired 95% intervals. Each
// mode leaves its own signature, asserted on values:
// - optimistic takes no lock and compensates: it unwinds filled legs more often than two_phase;
// - two_phase locks the market a prepare voted on: third-party trades there revert (or, with
//   `locks: wait`, stay pending a block at a time), with lock-hold time reported;
// - yank takes the whole venue away: others' operations on markets the broker never trades there
//   fail too, so more of them fail than under two_phase's per-market locks.
// Each run ends with conservation and the broker's books agreeing with its on-chain hedges.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app/batch/confidence.hpp"
#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

ordered_json atomicity_run(const std::string& mode, std::uint64_t seed, const std::string& locks = "revert") {
  const app::Topology t = app::load_topology_with_params(
      std::string(SHARDSIM_SOURCE_DIR) + "/topologies/atomicity.yaml",
      {{"brokers.0.settlement.atomicity", mode}, {"brokers.0.settlement.locks", locks}});
  app::Simulation world(t, seed);
  world.run();
  const app::ConservationReport c = world.check_conservation();
  EXPECT_TRUE(c.ok) << mode << " seed " << seed << ": " << c.breach;
  return world.results();
}

double number(const ordered_json& j, std::initializer_list<const char*> path) {
  const ordered_json* at = &j;
  for (const char* k : path) at = at->is_array() ? &at->at(std::stoul(k)) : &at->at(k);
  return at->get<double>();
}

app::Interval paired(const std::vector<std::optional<double>>& a, const std::vector<std::optional<double>>& b,
                     const char* what) {
  return testing::paired_over_seeds(a, b, kSeeds, what);
}

struct Modes {
  std::vector<std::optional<double>> optimistic, two_phase, yank;
};

TEST(AtomicityModes, EachModeLeavesItsOwnSignature) {
  Modes unwinds, blocked, yank_blocked;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json o = atomicity_run("optimistic", seed);
    const ordered_json t = atomicity_run("two_phase", seed);
    const ordered_json y = atomicity_run("yank", seed);
    // Optimistic takes no lock and moves no venue.
    EXPECT_EQ(number(o, {"locks", "taken"}), 0);
    EXPECT_EQ(number(o, {"yanks", "taken"}), 0);
    EXPECT_EQ(number(o, {"brokers", "0", "hedges", "prepares"}), 0);
    // Two-phase locks markets and holds them while its sagas run; a yank moves whole venues.
    EXPECT_GT(number(t, {"locks", "taken"}), 0);
    EXPECT_GT(number(t, {"locks", "hold_ms_total"}), 0);
    EXPECT_EQ(number(t, {"yanks", "taken"}), 0);
    EXPECT_GT(number(y, {"yanks", "taken"}), 0);
    EXPECT_GT(number(y, {"yanks", "hold_ms_total"}), 0);
    EXPECT_EQ(number(y, {"locks", "taken"}), 0);
    unwinds.optimistic.push_back(number(o, {"brokers", "0", "hedges", "unwinds"}));
    unwinds.two_phase.push_back(number(t, {"brokers", "0", "hedges", "unwinds"}));
    blocked.optimistic.push_back(number(o, {"locks", "blocked_reverted"}) + number(o, {"yanks", "blocked_reverted"}));
    blocked.two_phase.push_back(number(t, {"locks", "blocked_reverted"}));
    yank_blocked.yank.push_back(number(y, {"yanks", "blocked_reverted"}));
  }
  // Optimistic compensates: more filled legs unwound than under two_phase, whose prepares abort
  // before anything fills.
  EXPECT_LT(paired(unwinds.optimistic, unwinds.two_phase, "unwinds, two_phase - optimistic").ci_high, 0.0);
  // Two-phase blocks third parties; optimistic never does.
  EXPECT_GT(paired(blocked.optimistic, blocked.two_phase, "third-party txs reverted, two_phase - optimistic").ci_low, 0.0);
  // A yanked venue is unavailable to every operation on every market, a lock only to its market.
  EXPECT_GT(paired(blocked.two_phase, yank_blocked.yank, "third-party txs failed, yank - two_phase").ci_low, 0.0);
}

TEST(AtomicityModes, WaitingLocksHoldThirdPartiesBackInsteadOfRevertingThem) {
  std::vector<std::optional<double>> reverted_revert, reverted_wait, delay_revert, delay_wait;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json r = atomicity_run("two_phase", seed, "revert");
    const ordered_json w = atomicity_run("two_phase", seed, "wait");
    EXPECT_EQ(number(r, {"locks", "blocked_waits"}), 0);
    EXPECT_GT(number(w, {"locks", "blocked_waits"}), 0);
    reverted_revert.push_back(number(r, {"locks", "blocked_reverted"}));
    reverted_wait.push_back(number(w, {"locks", "blocked_reverted"}));
    // dydx (shards[3]): the slow venue, whose locks are held for a round trip over the slow bridge.
    EXPECT_EQ(r.at("shards").at(3).at("id"), "perps");
    delay_revert.push_back(number(r, {"shards", "3", "inclusion_delay_ms", "p99"}));
    delay_wait.push_back(number(w, {"shards", "3", "inclusion_delay_ms", "p99"}));
  }
  EXPECT_LT(paired(reverted_revert, reverted_wait, "third-party txs reverted, wait - revert").ci_high, 0.0);
  EXPECT_GT(paired(delay_revert, delay_wait, "dydx inclusion delay p99 ms, wait - revert").ci_low, 0.0);
}

}  // namespace
}  // namespace shardsim
