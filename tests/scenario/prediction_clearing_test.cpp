// Tests prediction shares cleared by a broker, end to end: a market created at 30s becomes the
// broker's instruments when its snapshot arrives (an order before is rejected for want of a
// mark), an order for YES is accepted, margined by resolution scan plus the resolution charge,
// and hedged by buying YES on the prediction shard (the broker's audit checks the shares it holds
// there), an order after the market's end is rejected, and conservation holds. Over 20 seeds with
// bettors: hedging on the prediction shard leaves the house less outcome risk than carrying it,
// and a larger resolution charge rejects more of their orders.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/topology_loader.hpp"
#include "tests/support/finished_run.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

std::string world(const std::string& script, const std::string& agents = "", const std::string& duration = "1h") {
  return R"(
name: prediction-clearing
seed: 3
duration: )" + duration + R"(
assets: {USDC: {decimals: 6}, ETH: {}}
prices:
  model: gbm
  step: 1s
  assets: {ETH: {initial: 2000, vol_annual: 50%}, USDC: {initial: 1, vol_annual: 0%}}
shards:
  - {id: l2, slot: 2s, gas_per_block: 100M, oracles: {assets: [ETH, USDC], heartbeat: 10m}}
  - id: augur
    slot: 2s
    gas_per_block: 30M
    protocols: [{kind: prediction, name: augur, params: {b: 5000, dispute_window: 5m, designated_report_window: 5m}}]
  - id: perps
    slot: 2s
    gas_per_block: 30M
    oracles: {assets: [ETH]}
    protocols: [{kind: perps, name: dydx, params: {markets: {ETH-PERP: {imf: 5%, mmf: 3%}}}}]
links:
  default: {latency: {model: constant, value: 4s}}
  access_latency: {model: constant, value: 100ms}
accounts:
  creator: {shard: augur, balances: {USDC: 50k}}
  bettor: {shard: l2, balances: {USDC: 100k}}
brokers:
  - name: prime
    home: l2
    capital: {USDC: 1M}
    margin: {scan_range: {ETH: 10%}, resolution_charge: 2%}
    hedging: {policy: batch, every: 1 slot, venues: {perps: true, prediction: true}}
    settlement: {atomicity: optimistic, ordering: fifo, timeout: 10 slots}
)" + agents + R"(
script:
  - {at: 30s, tx: {from: creator, shard: augur, protocol: augur, op: create_market, args: {id: M1, outcomes: "YES,NO", end: 40m, designated_reporter: creator}}}
  - {at: 2s, broker: {client: bettor, broker: prime, op: deposit, args: {from_shard: l2, asset: USDC, amount: 50k}}}
)" + script;
}

TEST(PredictionClearing, OutcomeOrderIsAcceptedHedgedOnThePredictionShardAndConserved) {
  const testing::FinishedRun run(world(R"(
  - {at: 10s, broker: {client: bettor, broker: prime, op: order, args: {instrument: augur.M1-YES, qty: 100}}}
  - {at: 3m, broker: {client: bettor, broker: prime, op: order, args: {instrument: augur.M1-YES, qty: 1000}}}
  - {at: 45m, broker: {client: bettor, broker: prime, op: order, args: {instrument: augur.M1-NO, qty: 100}}}
)"), "prediction-clearing.yaml");
  const ordered_json results = run.world->results();
  const ordered_json& b = results.at("brokers").at(0);
  EXPECT_EQ(b.at("orders").at("filled").get<int>(), 1) << b.dump();
  const ordered_json& reasons = b.at("orders").at("reject_reasons");
  EXPECT_EQ(reasons.value("no mark for the instrument on the broker's home shard", 0), 1) << reasons.dump();
  EXPECT_EQ(reasons.value("market closed for trading", 0), 1) << reasons.dump();
  // The house hedged what the client bought: 1000 YES held at the prediction shard's venue.
  bool hedged = false;
  for (const ordered_json& p : b.at("hedges").at("positions")) {
    if (p.at("venue") == "augur.M1-YES") {
      EXPECT_DOUBLE_EQ(std::stod(p.at("qty").get<std::string>()), 1000.0) << p.dump();
      hedged = true;
    }
  }
  EXPECT_TRUE(hedged) << b.at("hedges").dump();
  EXPECT_GE(b.at("hedges").at("committed").get<int>(), 1);
  // On chain: the broker's account holds the shares in the market (the audit checked the books).
  const ordered_json& m1 = run.protocol("augur", "augur").at("markets").at("M1");
  EXPECT_DOUBLE_EQ(std::stod(m1.at("shares_outstanding").at("YES").get<std::string>()), 1000.0);
  // FinishedRun asserted conservation, which includes the broker's audit of its claim holdings.
}

// The bettors' world for the levers: 6 of them trading YES and NO through the broker every 5m
// for 30m, with the market open throughout.
app::Topology bettors(std::uint64_t seed) {
  (void)seed;
  return app::load_topology_string(
      world("", R"(
agents:
  - {kind: retail, count: 6, broker: prime, capital: {USDC: {uniform: [1k, 3k]}}, leverage: 2, every: 5m,
     instruments: [augur.M1-YES, augur.M1-NO]}
)",
            "30m"),
      "bettors.yaml");
}

ordered_json broker_after(app::Topology t, std::uint64_t seed) {
  app::Simulation sim(t, seed);
  sim.run();
  const app::ConservationReport c = sim.check_conservation();
  EXPECT_TRUE(c.ok) << "seed " << seed << ": " << c.breach;
  return sim.results().at("brokers").at(0);
}

TEST(PredictionClearing, HedgingOnThePredictionShardLeavesLessOutcomeRisk) {
  std::vector<std::optional<double>> carried, hedged;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    app::Topology off = bettors(seed);
    off.brokers[0].hedging.prediction_venues = false;
    const ordered_json a = broker_after(off, seed);
    const ordered_json b = broker_after(bettors(seed), seed);
    EXPECT_GT(b.at("orders").at("filled").get<int>(), 0);
    carried.push_back(a.at("margin").at("house_net").get<double>());
    hedged.push_back(b.at("margin").at("house_net").get<double>());
  }
  const app::Interval d = testing::paired_over_seeds(carried, hedged, kSeeds, "house margin USD, hedged - carried");
  EXPECT_LT(d.ci_high, 0.0);
}

TEST(PredictionClearing, LargerResolutionChargeRejectsMoreOrders) {
  std::vector<std::optional<double>> low, high;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    app::Topology t = bettors(seed);
    const ordered_json a = broker_after(t, seed);
    t.brokers[0].margin.resolution_charge = 0.5;
    const ordered_json b = broker_after(t, seed);
    low.push_back(a.at("orders").at("rejected").get<double>());
    high.push_back(b.at("orders").at("rejected").get<double>());
  }
  const app::Interval d = testing::paired_over_seeds(low, high, kSeeds, "orders rejected, charge 50% - 2%");
  EXPECT_GT(d.ci_low, 0.0);
}

}  // namespace
}  // namespace shardsim
