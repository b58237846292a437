// Tests topologies/five-protocols.yaml end to end: each protocol on its own shard, driven by the
// script through mempools and blocks, and the final --dump-state checked against figures
// computed by hand from the spec's formulas.
#include <gtest/gtest.h>

#include <cmath>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

double num(const nlohmann::ordered_json& j) { return std::stod(j.get<std::string>()); }

class FiveProtocols : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    topology_ = new app::Topology(
        app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/five-protocols.yaml"));
    world_ = new app::Simulation(*topology_, topology_->seed);
    world_->run();
    state_ = new nlohmann::ordered_json(world_->dump_state());
  }
  static void TearDownTestSuite() {
    delete state_;
    delete world_;
    delete topology_;
  }
  const nlohmann::ordered_json& shard(const char* id) { return state_->at("shards").at(id); }

  static app::Topology* topology_;
  static app::Simulation* world_;
  static nlohmann::ordered_json* state_;
};
app::Topology* FiveProtocols::topology_ = nullptr;
app::Simulation* FiveProtocols::world_ = nullptr;
nlohmann::ordered_json* FiveProtocols::state_ = nullptr;

TEST_F(FiveProtocols, EveryScriptedOperationSucceedsAndValueIsConserved) {
  const nlohmann::ordered_json results = world_->results();
  for (const auto& s : results.at("shards")) {
    EXPECT_EQ(s.at("txs_reverted"), 0u) << s.at("id") << " " << s.at("revert_reasons").dump();
  }
  EXPECT_TRUE(world_->check_conservation().ok) << world_->check_conservation().breach;
}

TEST_F(FiveProtocols, AmmSwapIsTheSpecExampleExactly) {
  // Reserves 1,000 ETH / 2,000,000 USDC; selling 10 ETH returns 19743160687 raw USDC units.
  EXPECT_EQ(shard("dex").at("balances").at("swapper").at("USDC"), "19743.160687");
  EXPECT_EQ(shard("dex").at("protocols").at("uni").at("reserves").at("ETH"), "1010");
  EXPECT_EQ(shard("dex").at("protocols").at("uni").at("reserves").at("USDC"), "1980256.839313");
}

TEST_F(FiveProtocols, PerpsIsTheSpecExampleExactly) {
  // Deposit 10,000 USDC, buy 2 BTC at 50,000: Q = -90,000, equity 10,000, IMR 5,000, MMR 3,000.
  const auto& t = shard("perps").at("protocols").at("dydx").at("accounts").at("trader");
  EXPECT_EQ(t.at("q"), "-90000");
  EXPECT_EQ(t.at("equity"), "10000");
  EXPECT_EQ(t.at("imr"), "5000");
  EXPECT_EQ(t.at("mmr"), "3000");
  EXPECT_EQ(t.at("free_collateral"), "5000");
  EXPECT_EQ(t.at("positions").at("BTC-PERP"), "2");
}

TEST_F(FiveProtocols, LendingLiquidationIsTheSpecExample) {
  // 10 ETH (threshold 0.825) + 5,000 USDC (0.85) against 12,000 DAI; ETH falls to 900, HF 0.9729;
  // repaying 6,000 DAI with bonus 1.05 seizes 6000/900*1.05 = 7 ETH; HF after 1.0795833 (plus
  // about half an hour of interest on the debt).
  EXPECT_EQ(shard("lend").at("balances").at("liquidator").at("ETH"), "7");
  EXPECT_EQ(shard("lend").at("balances").count("liquidator") == 1 &&
                shard("lend").at("balances").at("liquidator").count("DAI") == 0,
            true);
  const auto& alice = shard("lend").at("protocols").at("aave").at("accounts").at("alice");
  EXPECT_EQ(alice.at("supplied").at("ETH"), "3");
  EXPECT_NEAR(num(alice.at("health_factor")), 1.0795833, 1e-5);
  EXPECT_NEAR(num(alice.at("borrowed").at("DAI")), 6000.0, 0.01);
  EXPECT_GT(num(alice.at("borrowed").at("DAI")), 6000.0);  // interest accrued
}

TEST_F(FiveProtocols, SynthExchangeLeavesTheDebtPoolUnchanged) {
  // 3,000 SNX at $2 backs at most 6,000/3 = 2,000 sUSD (1/3 as WAD floors, so 1,999 is issued);
  // 1,000 sUSD -> sBTC at 50,000 less the 0% + 1% fee, minted as sUSD into the fee pool.
  const auto& snx = shard("synths").at("protocols").at("snx");
  const double fee_pool = num(snx.at("fee_pool"));
  const double fee_rate = fee_pool / 1000.0;
  EXPECT_NEAR(fee_rate, 0.01, 1e-12);
  EXPECT_NEAR(num(snx.at("total_debt")), 1999.0, 1e-9);
  EXPECT_NEAR(num(shard("synths").at("balances").at("staker").at("sBTC")), 0.02 * (1 - fee_rate), 1e-12);
  EXPECT_EQ(shard("synths").at("balances").at("staker").at("sUSD"), "999");
}

TEST_F(FiveProtocols, PredictionMarketResolvesAndPaysWinnersLessFees) {
  const auto& m = shard("augur").at("protocols").at("augur").at("markets").at("M1");
  EXPECT_EQ(m.at("status"), "finalized");
  EXPECT_EQ(m.at("final_outcome"), "YES");
  // 100 complete sets plus 50 YES bought from the LMSR (b = 1,000, three outcomes), all YES
  // redeemed at 1 less the 1% creator and 0.5% reporting fees.
  const double lmsr_cost = 1000.0 * std::log((2.0 + std::exp(50.0 / 1000.0)) / 3.0);
  const double bettor = 1000.0 - 100.0 - lmsr_cost + 150.0 * (1 - 0.01 - 0.005);
  EXPECT_NEAR(num(shard("augur").at("balances").at("bettor").at("USDC")), bettor, 2e-6);
}

}  // namespace
}  // namespace shardsim
