// Tests options cleared by a broker on topologies/options.yaml: the hedger pledges ten 30-day
// calls (moved to the broker's account on the options shard) and with 500 USDC of cash shorts
// the calls' delta in ETH-PERP; the broker marks the calls by Black-Scholes and its scan
// revalues them at every scanned price, so the delta-hedged book passes, while the same short
// perp on cash alone is rejected. Conservation and the broker's audit (every pledged option held
// on chain) hold. Over 20 seeds the pledge lowers the orders rejected.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/topology_loader.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

app::Topology options_world(bool pledge) {
  app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/options.yaml");
  if (!pledge) {  // the calls stay with the hedger: neither moved to the broker nor pledged
    std::erase_if(t.script, [](const app::ScriptEntry& e) {
      return (e.broker && e.broker->op == app::BrokerOp::pledge) ||
             (e.tx && e.tx->op == "transfer" && e.tx->from == "hedger");
    });
  }
  return t;
}

ordered_json run_broker(const app::Topology& t, std::uint64_t seed) {
  app::Simulation sim(t, seed);
  sim.run();
  const app::ConservationReport c = sim.check_conservation();
  EXPECT_TRUE(c.ok) << "seed " << seed << ": " << c.breach;
  return sim.results().at("brokers").at(0);
}

TEST(OptionsClearing, PledgedCallsMarginADeltaHedgingShortPerpThatCashAloneCannot) {
  const app::Topology with = options_world(true);
  const ordered_json b = run_broker(with, with.seed);
  EXPECT_EQ(b.at("orders").at("filled").get<int>(), 1) << b.at("orders").dump();
  EXPECT_EQ(b.at("orders").at("rejected").get<int>(), 0) << b.at("orders").dump();
  EXPECT_EQ(b.at("liquidations").get<int>(), 0);
  // Gross margin counts the calls' and the perp's scans apart; net sees them hedged.
  EXPECT_GT(b.at("margin").at("efficiency").get<double>(), 2.0) << b.at("margin").dump();

  const app::Topology without = options_world(false);
  const ordered_json c = run_broker(without, without.seed);
  EXPECT_EQ(c.at("orders").at("filled").get<int>(), 0);
  EXPECT_EQ(c.at("orders").at("reject_reasons").value("insufficient margin", 0), 1) << c.at("orders").dump();
}

TEST(OptionsClearing, PledgedCallsLowerRejectedOrdersOverSeeds) {
  std::vector<std::optional<double>> cash, pledged;
  const app::Topology with = options_world(true);
  const app::Topology without = options_world(false);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    cash.push_back(run_broker(without, seed).at("orders").at("rejected").get<double>());
    pledged.push_back(run_broker(with, seed).at("orders").at("rejected").get<double>());
  }
  const app::Interval d = testing::paired_over_seeds(cash, pledged, kSeeds, "orders rejected, pledged calls - cash only");
  EXPECT_LT(d.ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
