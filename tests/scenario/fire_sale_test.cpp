// Tests the fire-sale channel between brokers on topologies/fire-sale.yaml: two brokers hedge on
// one ETH-PERP market of finite depth. Over 20 seeds (common random numbers), the same world with
// `giant` margining aggressively (a 4% scan range: its clients run 10x) against conservatively
// (30%: their 10x orders are refused). Aggressive, giant becomes insolvent from its positions in
// the crash (no broker_default fault exists in the file), and its forced selling leaves the
// vAMM below the index until the next oracle update: `small`, which never trades with giant,
// pays more slippage on the hedges it sells afterwards, measured from its fills on the chain.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

ordered_json fire_sale_run(const std::string& giant_scan_range, std::uint64_t seed) {
  const app::Topology t = app::load_topology_with_params(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/fire-sale.yaml",
                                                         {{"brokers.0.margin.scan_range.ETH", giant_scan_range}});
  EXPECT_TRUE(t.faults.empty()) << "the insolvency must come from positions, not a decree";
  app::Simulation world(t, seed);
  world.run();
  EXPECT_TRUE(world.check_conservation().ok) << giant_scan_range << " seed " << seed;
  return world.results();
}

TEST(FireSale, AnAggressiveBrokersForcedSalesCostTheOtherBrokerSlippage) {
  std::vector<std::optional<double>> slip_calm, slip_fire, pnl_calm, pnl_fire;
  int giant_insolvent = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json calm = fire_sale_run("30%", seed);
    const ordered_json fire = fire_sale_run("4%", seed);
    const ordered_json& giant_calm = calm.at("brokers").at(0);
    const ordered_json& giant_fire = fire.at("brokers").at(0);
    ASSERT_EQ(giant_fire.at("name"), "giant");
    EXPECT_FALSE(giant_calm.at("insolvent").get<bool>());
    EXPECT_EQ(giant_calm.at("hedges").at("sent"), 0);  // its clients' 10x orders were refused
    giant_insolvent += giant_fire.at("insolvent").get<bool>() ? 1 : 0;
    const ordered_json& small_calm = calm.at("brokers").at(1);
    const ordered_json& small_fire = fire.at("brokers").at(1);
    EXPECT_FALSE(small_fire.at("insolvent").get<bool>());
    EXPECT_EQ(small_fire.at("hedges").at("committed"), small_calm.at("hedges").at("committed"));
    slip_calm.push_back(small_calm.at("slippage_paid").get<double>());
    slip_fire.push_back(small_fire.at("slippage_paid").get<double>());
    pnl_calm.push_back(small_calm.at("pnl").get<double>());
    pnl_fire.push_back(small_fire.at("pnl").get<double>());
  }
  EXPECT_EQ(giant_insolvent, kSeeds);
  const app::Interval slip = testing::paired_over_seeds(slip_calm, slip_fire, kSeeds, "small's slippage, giant 4% - 30% (USD)");
  EXPECT_GT(slip.ci_low, 0.0);
  const app::Interval pnl = testing::paired_over_seeds(pnl_calm, pnl_fire, kSeeds, "small's P&L, giant 4% - 30% (USD)");
  EXPECT_LT(pnl.ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
