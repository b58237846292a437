// Tests the typed queries of every protocol (protocols/api/queries.hpp) against the spec's worked
// examples: a pool's exact view; the lending health factors 0.9729167 (liquidatable) and 1.0416667,
// its bad debt and configured terms; the perps margin ratio 2,000 / 2,760 and a liquidation reward
// equal to what the liquidation then pays, and socialised losses as bad debt; a synthetics c-ratio
// against a configured liquidation ratio and the debt pool above its collateral; a prediction
// market's fully backed shares.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/amm/amm_pool.hpp"
#include "protocols/lending/lending_pool.hpp"
#include "protocols/perps/perps.hpp"
#include "protocols/prediction/prediction_protocol.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols {
namespace {

using testing::ProtocolRig;

i128 wad(const char* text) { return core::Amount::parse(text, 18)->raw(); }

std::vector<AccountHealth> at_risk(const Protocol& p, const ShardContext& ctx, i128 below = 0) {
  std::vector<AccountHealth> out;
  p.queries().risk->accounts_at_risk(ctx, below, out);
  return out;
}

TEST(ProtocolQueries, AmmPoolViewIsTheExactReservesFeeAndLpBalances) {
  ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}}};
  amm::AmmPool pool("uni", rig.account("uni"), amm::AmmConfig{0, 1, amm::FeeFraction{3, 1000}});
  rig.fund("lp", "ETH", "1000");
  rig.fund("lp", "USDC", "2000000");
  ASSERT_TRUE(rig.apply(pool, "lp", "add_liquidity", {{"amount_a", "1000"}, {"amount_b", "2000000"}}).ok);
  const ProtocolQueries q = pool.queries();
  ASSERT_NE(q.pool, nullptr);
  EXPECT_EQ(q.risk, nullptr);
  const PoolView v = q.pool->pool_view();
  EXPECT_EQ(v.asset_a, rig.asset("ETH"));
  EXPECT_EQ(v.asset_b, rig.asset("USDC"));
  EXPECT_EQ(v.reserve_a, rig.amount("ETH", "1000").raw());
  EXPECT_EQ(v.reserve_b, rig.amount("USDC", "2000000").raw());
  EXPECT_EQ(v.fee_num, 3);
  EXPECT_EQ(v.fee_den, 1000);
  // sqrt(1000e18 x 2e12) = 44721359549995793 LP units, 1000 of them locked.
  EXPECT_EQ(v.lp_supply, pool.lp_supply_units());
  EXPECT_EQ(q.pool->lp_balance(rig.account("lp")), v.lp_supply - 1000);
  EXPECT_EQ(q.pool->lp_balance(rig.account("nobody")), 0);
}

// The spec's lending example: 10 ETH (threshold 82.5%) + 5,000 USDC (85%) against 12,000 DAI.
struct Lending {
  ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}, {"DAI", 18}, {"BTC", 8}}};
  std::unique_ptr<lending::LendingPool> pool;
  Lending() {
    lending::LendingParams p;
    for (const char* sym : {"ETH", "USDC", "DAI", "BTC"}) {
      lending::ReserveParams r = *lending::spec_default_reserve(sym);
      r.asset = rig.asset(sym);
      p.reserves.push_back(r);
    }
    pool = std::make_unique<lending::LendingPool>(p, "aave", rig.account("aave"), rig.registry);
    for (const auto& [sym, px] : {std::pair{"ETH", 2000}, {"USDC", 1}, {"DAI", 1}, {"BTC", 50000}}) rig.set_price(sym, px);
    ok("whale", "DAI", "100000", "supply");
    ok("alice", "ETH", "10", "supply");
    ok("alice", "USDC", "5000", "supply");
    EXPECT_TRUE(rig.apply(*pool, "alice", "borrow", {{"asset", "DAI"}, {"amount", "12000"}}).ok);
  }
  void ok(const std::string& who, const std::string& asset, const std::string& amount, const std::string& op) {
    rig.fund(who, asset, amount);
    EXPECT_TRUE(rig.apply(*pool, who, op, {{"asset", asset}, {"amount", amount}}).ok);
  }
};

TEST(ProtocolQueries, LendingHealthFactorsBadDebtAndTerms) {
  Lending t;
  const ShardContext& ctx = *t.rig.host;
  const LendingTerms& terms = t.pool->queries().lending->lending_terms();
  EXPECT_EQ(terms.close_factor_wad, wad("0.5"));
  ASSERT_EQ(terms.reserves.size(), 4u);
  EXPECT_EQ(terms.reserves[0].asset, t.rig.asset("ETH"));
  EXPECT_EQ(terms.reserves[0].bonus_wad, wad("1.05"));
  EXPECT_EQ(terms.reserves[0].liq_threshold_wad, wad("0.825"));
  EXPECT_EQ(terms.reserves[3].bonus_wad, wad("1.1"));  // BTC

  t.rig.set_price("ETH", 1000);  // HF 1.0416667: at risk below 1.1, not liquidatable
  EXPECT_TRUE(at_risk(*t.pool, ctx).empty());
  auto r = at_risk(*t.pool, ctx, wad("1.1"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].account, t.rig.account("alice"));
  EXPECT_EQ(r[0].measure, HealthMeasure::health_factor);
  EXPECT_EQ(r[0].health_wad, wad("1.041666666666666666"));  // 12,500 / 12,000
  EXPECT_FALSE(r[0].liquidatable);

  t.rig.set_price("ETH", 900);  // HF 0.9729167
  r = at_risk(*t.pool, ctx);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].liquidatable);
  EXPECT_EQ(r[0].health_wad, wad("0.972916666666666666"));  // 11,675 / 12,000
  EXPECT_EQ(t.pool->queries().risk->bad_debt_usd_wad(ctx), 0);

  std::vector<LendingBalance> b;
  ASSERT_TRUE(t.pool->queries().lending->balances(ctx, t.rig.account("alice"), b));
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].supplied, t.rig.amount("ETH", "10").raw());
  EXPECT_EQ(b[1].supplied, t.rig.amount("USDC", "5000").raw());
  EXPECT_EQ(b[2].borrowed, t.rig.amount("DAI", "12000").raw());
  EXPECT_FALSE(t.pool->queries().lending->balances(ctx, t.rig.account("nobody"), b));
  EXPECT_TRUE(b.empty());

  t.rig.set_price("ETH", 100);  // collateral 1,000 + 5,000 against 12,000 of debt
  EXPECT_EQ(t.pool->queries().risk->bad_debt_usd_wad(ctx), wad("6000"));
}

struct PerpsRig {
  ProtocolRig rig{{{"USDC", 6}, {"BTC", 8}}};
  std::unique_ptr<perps::Perps> p;
  PerpsRig() {
    perps::PerpsConfig c;
    c.collateral = rig.asset("USDC");
    c.markets = {perps::MarketConfig{"BTC-PERP", rig.asset("BTC")}};
    c.liquidation_penalty_wad = kWadUnit / 100;  // 1%
    c.liquidator_share_wad = kWadUnit / 4;       // 25% of it
    p = std::make_unique<perps::Perps>("dydx", rig.account("dydx"), c, rig.registry);
    rig.set_price("BTC", 50'000);
    rig.fund("alice", "USDC", "10000");  // the spec's example: 10,000 USDC, long 2 BTC at 50,000
    EXPECT_TRUE(rig.apply(*p, "alice", "deposit", {{"amount", "10000"}}).ok);
    EXPECT_TRUE(rig.apply(*p, "alice", "trade", {{"market", "BTC-PERP"}, {"size", "2"}}).ok);
  }
};

TEST(ProtocolQueries, PerpsMarginRatioRewardAndSocialisedLoss) {
  PerpsRig t;
  const ShardContext& ctx = *t.rig.host;
  const PerpsQuery& q = *t.p->queries().perps;
  EXPECT_EQ(q.perps_terms().collateral, t.rig.asset("USDC"));
  EXPECT_EQ(q.perps_terms().liquidation_penalty_wad, kWadUnit / 100);
  EXPECT_EQ(q.perps_terms().liquidator_share_wad, kWadUnit / 4);
  EXPECT_EQ(q.perps_terms().markets.at(0).mmf_wad, wad("0.03"));
  EXPECT_EQ(q.position_wad(t.rig.account("alice"), 0), wad("2"));
  const auto m = q.account_margin(ctx, t.rig.account("alice"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->equity, t.rig.amount("USDC", "10000").raw());
  EXPECT_EQ(m->imr, t.rig.amount("USDC", "5000").raw());
  EXPECT_EQ(m->mmr, t.rig.amount("USDC", "3000").raw());
  EXPECT_FALSE(q.liquidation_reward(ctx, t.rig.account("alice")));

  t.rig.set_price("BTC", 46'000);  // equity 2,000 < MMR 2,760; penalty 920, a quarter to the sender
  const auto r = at_risk(*t.p, ctx);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].measure, HealthMeasure::margin_ratio);
  EXPECT_EQ(r[0].health_wad, wad("0.724637681159420289"));  // 2,000 / 2,760
  EXPECT_TRUE(r[0].liquidatable);
  const auto reward = q.liquidation_reward(ctx, t.rig.account("alice"));
  ASSERT_TRUE(reward);
  EXPECT_EQ(*reward, t.rig.amount("USDC", "230").raw());
  const i128 before = t.rig.balance("keeper", "USDC").raw();
  ASSERT_TRUE(t.rig.apply(*t.p, "keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.rig.balance("keeper", "USDC").raw() - before, *reward);  // what it said it would pay
  EXPECT_EQ(t.p->queries().risk->bad_debt_usd_wad(ctx), 0);

  // bob: long 2 BTC on 10,000 at 50,000, then BTC at 40,000 before anyone acts: equity -10,000;
  // the fund holds alice's penalty less the reward (690), the other 9,310 is socialised.
  t.rig.set_price("BTC", 50'000);
  t.rig.fund("bob", "USDC", "10000");
  ASSERT_TRUE(t.rig.apply(*t.p, "bob", "deposit", {{"amount", "10000"}}).ok);
  ASSERT_TRUE(t.rig.apply(*t.p, "bob", "trade", {{"market", "BTC-PERP"}, {"size", "2"}}).ok);
  t.rig.set_price("BTC", 40'000);
  EXPECT_EQ(*q.liquidation_reward(ctx, t.rig.account("bob")), 0);  // no equity, no penalty
  ASSERT_TRUE(t.rig.apply(*t.p, "keeper", "liquidate", {{"account", "bob"}}).ok);
  EXPECT_EQ(t.p->queries().risk->bad_debt_usd_wad(ctx), wad("9310"));
}

TEST(ProtocolQueries, SyntheticsCRatioAgainstTheConfiguredLineAndBadDebt) {
  ProtocolRig rig{{{"SNX", 18}, {"sUSD", 18}}};
  synthetics::Config c;
  c.collateral = rig.asset("SNX");
  c.synths = {{rig.asset("sUSD"), std::nullopt, 0}};
  c.liquidation_ratio_wad = kWadUnit / 2;  // c-ratio 200%
  c.liquidation_penalty_wad = kWadUnit / 10;
  c.liquidation_delay = core::Duration::h(1);
  synthetics::SyntheticsProtocol p(c, "snx", rig.account("snx"));
  rig.set_price("SNX", 2.0);
  for (const auto& [who, issue] : {std::pair{"carol", "1999"}, {"dave", "1000"}}) {
    rig.fund(who, "SNX", "3000");
    ASSERT_TRUE(rig.apply(p, who, "stake", {{"amount", "3000"}}).ok);
    ASSERT_TRUE(rig.apply(p, who, "issue", {{"amount", issue}}).ok);
  }
  const ShardContext& ctx = *rig.host;
  const SyntheticsQuery& q = *p.queries().synthetics;
  EXPECT_EQ(q.synthetics_terms().susd, rig.asset("sUSD"));
  EXPECT_EQ(q.synthetics_terms().liquidation_ratio_wad, kWadUnit / 2);
  EXPECT_EQ(q.synthetics_terms().liquidation_penalty_wad, kWadUnit / 10);
  EXPECT_EQ(q.synthetics_terms().liquidation_delay, core::Duration::h(1));
  EXPECT_EQ(q.synth_supply(rig.asset("sUSD")), rig.amount("sUSD", "2999"));
  EXPECT_TRUE(at_risk(p, ctx).empty());

  rig.set_price("SNX", 1.25);  // carol 3,750 / 1,999 = 1.876 (below 2), dave 3.75
  const auto r = at_risk(p, ctx);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].account, rig.account("carol"));
  EXPECT_EQ(r[0].measure, HealthMeasure::c_ratio);
  EXPECT_EQ(r[0].health_wad, wad("1.875937968984492246"));
  EXPECT_TRUE(r[0].liquidatable);
  EXPECT_EQ(at_risk(p, ctx, wad("4")).size(), 2u);
  const auto carol = q.staker(ctx, rig.account("carol"));
  ASSERT_TRUE(carol);
  EXPECT_EQ(*carol->debt_wad, wad("1999"));
  EXPECT_EQ(*carol->collateral_value_wad, wad("3750"));
  EXPECT_FALSE(carol->flagged_at);
  EXPECT_EQ(p.queries().risk->bad_debt_usd_wad(ctx), 0);

  rig.set_price("SNX", 0.375);  // 6,000 SNX worth 2,250 against 2,999 of debt
  EXPECT_EQ(p.queries().risk->bad_debt_usd_wad(ctx), wad("749"));
}

TEST(ProtocolQueries, PredictionSharesAreBackedAndNobodyIsAtRisk) {
  ProtocolRig rig{{{"USDC", 6}}};
  prediction::PredictionProtocol p(prediction::Params::defaults(rig.asset("USDC"), 6), "augur", rig.account("augur"));
  for (const char* who : {"creator", "alice"}) rig.fund(who, "USDC", "1000000");
  ASSERT_TRUE(rig.apply(p, "creator", "create_market",
                        {{"id", "M1"}, {"outcomes", "YES,NO"}, {"end", "6h"}, {"designated_reporter", "creator"}})
                  .ok);
  // 20,000 YES shares bought from the LMSR maker: its subsidy and the payments back every share.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(rig.apply(p, "alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "1000"}}).ok);
  }
  const prediction::Market& m = *p.market("M1");
  EXPECT_GE(m.collateral_units, m.worst_case_liability_units());
  EXPECT_EQ(m.worst_case_liability_units(), rig.amount("USDC", "20000").raw());
  ASSERT_NE(p.queries().risk, nullptr);
  EXPECT_EQ(p.queries().risk->bad_debt_usd_wad(*rig.host), 0);
  EXPECT_TRUE(at_risk(p, *rig.host, kHealthMaxWad).empty());
}

}  // namespace
}  // namespace shardsim::protocols
