// Tests the settlement ordering policies as levers on topologies/settlement-levers.yaml (two
// exposures, BTC on a slow venue and ETH on a fast one, one settlement in flight at a time), over
// 20 seeds with common random numbers and paired 95% intervals:
// - risk_first settles the larger value at risk first, so the exposure left unhedged over time
//   (USD*s) is lower than fifo's;
// - netted_batch nets the settlements that queued behind the one in flight (hedging on every
//   client order), so the gross notional it sends to venues is lower than fifo's.
// - deadline schedules earliest deadline first, each settlement due by its causes (the BTC desk's
//   90s time-in-force, other orders' 10m, the risk budget), so fewer settlements end past their
//   deadline than under fifo, which sends the ETH exposure first;
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

// The first hour of the topology (the levers act on every minute's settlements; the ETH shock at
// 1h is not needed), with `ordering` and hedging `policy`.
ordered_json levers_broker(const std::string& ordering, std::uint64_t seed, const std::string& policy = "batch") {
  const app::Topology t = app::load_topology_with_params(
      std::string(SHARDSIM_SOURCE_DIR) + "/topologies/settlement-levers.yaml",
      {{"duration", "1h"}, {"brokers.0.settlement.ordering", ordering}, {"brokers.0.hedging.policy", policy}});
  app::Simulation world(t, seed);
  world.run();
  const app::ConservationReport c = world.check_conservation();
  EXPECT_TRUE(c.ok) << ordering << " seed " << seed << ": " << c.breach;
  return world.results().at("brokers").at(0);
}

struct Paired {
  std::vector<std::optional<double>> fifo, other;
};

app::Interval paired(const Paired& p, const char* what, const std::string& ordering) {
  return testing::paired_over_seeds(p.fifo, p.other, kSeeds, std::string(what) + ", " + ordering + " - fifo");
}

TEST(SettlementOrdering, RiskFirstCarriesLessUnhedgedExposureThanFifo) {
  Paired exposure;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json f = levers_broker("fifo", seed);
    const ordered_json r = levers_broker("risk_first", seed);
    EXPECT_GT(f.at("hedges").at("committed").get<int>(), 10);
    exposure.fifo.push_back(f.at("settlement").at("unhedged_exposure_usd_s").get<double>());
    exposure.other.push_back(r.at("settlement").at("unhedged_exposure_usd_s").get<double>());
  }
  EXPECT_LT(paired(exposure, "unhedged exposure USD*s", "risk_first").ci_high, 0.0);
}

TEST(SettlementOrdering, NettedBatchSendsLessGrossNotionalThanFifo) {
  Paired sent;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    // Hedging on every client order: small settlements queue behind the one in flight, and
    // orders in opposite directions offset there.
    const ordered_json f = levers_broker("fifo", seed, "immediate");
    const ordered_json n = levers_broker("netted_batch", seed, "immediate");
    sent.fifo.push_back(f.at("netting").at("net_notional").get<double>());
    sent.other.push_back(n.at("netting").at("net_notional").get<double>());
  }
  EXPECT_LT(paired(sent, "notional sent to venues USD", "netted_batch").ci_high, 0.0);
}

TEST(SettlementOrdering, DeadlineMissesFewerDeadlinesThanFifo) {
  Paired misses;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json f = levers_broker("fifo", seed);
    const ordered_json d = levers_broker("deadline", seed);
    // Most misses are the desk's orders (cause `order`), whose hedges fifo sends second.
    EXPECT_GT(f.at("settlement").at("deadline_misses_by_cause").value("order", 0), 0);
    misses.fifo.push_back(f.at("settlement").at("deadline_misses").get<double>());
    misses.other.push_back(d.at("settlement").at("deadline_misses").get<double>());
  }
  EXPECT_LT(paired(misses, "deadline misses", "deadline").ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
