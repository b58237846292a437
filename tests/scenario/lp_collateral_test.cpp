// Tests LP shares as broker collateral on topologies/lp-collateral.yaml: the client posts an
// ETH/USDC LP share (moved to the broker's account at the pool, then pledged) and with 20k of
// cash holds a 10x BTC perp that the cash alone cannot margin; without the pledge the same order
// is rejected. The share is valued from the pool's published reserves and survives ETH's 40%
// fall without a liquidation. Conservation and the broker's audit (every pledged unit held on
// chain) hold. Over 20 seeds the pledge lowers the orders rejected.
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

app::Topology lp_world(bool pledge) {
  app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/lp-collateral.yaml");
  if (!pledge) {  // the share stays with its owner: neither moved to the broker nor pledged
    std::erase_if(t.script, [](const app::ScriptEntry& e) {
      return (e.broker && e.broker->op == app::BrokerOp::pledge) || (e.tx && e.tx->op == "transfer_lp");
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

TEST(LpCollateral, PledgedLpShareMarginsATenTimesBtcPerpThatCashAloneCannot) {
  const app::Topology with = lp_world(true);
  const ordered_json b = run_broker(with, with.seed);
  EXPECT_EQ(b.at("orders").at("filled").get<int>(), 1) << b.at("orders").dump();
  EXPECT_EQ(b.at("orders").at("rejected").get<int>(), 0) << b.at("orders").dump();
  EXPECT_EQ(b.at("liquidations").get<int>(), 0);
  // Net margin: the perp's 20k scan + its 4k haircut + the share's own ETH scan, all covered by
  // the share's value.
  EXPECT_GT(b.at("margin").at("net").get<double>(), 24'000.0);

  const app::Topology without = lp_world(false);
  const ordered_json c = run_broker(without, without.seed);
  EXPECT_EQ(c.at("orders").at("filled").get<int>(), 0);
  EXPECT_EQ(c.at("orders").at("reject_reasons").value("insufficient margin", 0), 1) << c.at("orders").dump();
}

TEST(LpCollateral, PledgeLowersRejectedOrdersOverSeeds) {
  std::vector<std::optional<double>> cash, pledged;
  const app::Topology with = lp_world(true);
  const app::Topology without = lp_world(false);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    cash.push_back(run_broker(without, seed).at("orders").at("rejected").get<double>());
    pledged.push_back(run_broker(with, seed).at("orders").at("rejected").get<double>());
  }
  const app::Interval d = testing::paired_over_seeds(cash, pledged, kSeeds, "orders rejected, pledged - cash only");
  EXPECT_LT(d.ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
