// Tests protocols/perps: the spec's worked example (exact), the initial-margin rule, reducing
// trades under IMR, liquidation below MMR, the insurance fund and socialised loss, funding sign,
// spread and limit price, withdrawals, reverts, state output and instruments.
#include "protocols/perps/perps.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::perps {
namespace {

using core::Amount;
using core::Duration;
using testing::ProtocolRig;

struct Perp {
  ProtocolRig rig;
  std::unique_ptr<Perps> p;

  // `tweak` adjusts the default config (BTC-PERP and ETH-PERP on USDC) before the build.
  explicit Perp(const std::function<void(PerpsConfig&, ProtocolRig&)>& tweak = {},
                const std::vector<std::pair<std::string, int>>& assets = {{"USDC", 6}, {"BTC", 8}, {"ETH", 18}})
      : rig(assets) {
    PerpsConfig c;
    c.collateral = rig.asset("USDC");
    c.markets = {MarketConfig{"BTC-PERP", rig.asset("BTC")}, MarketConfig{"ETH-PERP", rig.asset("ETH")}};
    if (tweak) tweak(c, rig);
    p = std::make_unique<Perps>("dydx", rig.account("dydx"), c, rig.registry);
    rig.set_price("BTC", 50'000);
    rig.set_price("ETH", 2'000);
  }
  OpResult op(const std::string& who, const std::string& name, std::vector<TxArg> args) {
    return rig.apply(*p, who, name, args);
  }
  OpResult deposit(const std::string& who, const std::string& amount) {
    rig.fund(who, "USDC", amount);
    return op(who, "deposit", {{"amount", amount}});
  }
  OpResult trade(const std::string& who, const std::string& market, const std::string& size) {
    return op(who, "trade", {{"market", market}, {"size", size}});
  }
  MarginTotals margin(const std::string& who) {
    const MarginResult r = p->margin(*rig.host, rig.account(who));
    EXPECT_FALSE(r.missing_price);
    return r.totals;
  }
  i128 usdc(const std::string& text) const { return rig.amount("USDC", text).raw(); }
  Amount q(const std::string& who) { return p->find_account(rig.account(who))->q; }
  i128 size(const std::string& who, std::size_t m) { return p->find_account(rig.account(who))->size_wad[m]; }
  // Internal claims (traders' Q, the house book, the fund) equal the tokens held.
  void expect_backed() {
    i128 claims = p->house_q().raw() + p->insurance_fund().raw();
    for (const auto& [id, a] : p->accounts()) claims += a.q.raw();
    EXPECT_EQ(claims, rig.ledger->balance(p->account(), rig.asset("USDC")).raw());
    rig.expect_conserved();
  }
};

TEST(Perps, WorkedExampleIsExact) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  EXPECT_EQ(t.q("alice").raw(), t.usdc("-90000"));
  const MarginTotals m = t.margin("alice");
  EXPECT_EQ(m.equity, t.usdc("10000"));
  EXPECT_EQ(m.imr, t.usdc("5000"));
  EXPECT_EQ(m.mmr, t.usdc("3000"));
  EXPECT_EQ(m.free_collateral(), t.usdc("5000"));
  EXPECT_EQ(t.size("alice", 0), 2 * kWadUnit);
  EXPECT_EQ(t.p->house_size_wad(0), -2 * kWadUnit);
  EXPECT_EQ(t.p->house_q().raw(), t.usdc("100000"));

  const auto s = t.p->state(*t.rig.host);
  const auto& a = s["accounts"]["alice"];
  EXPECT_EQ(a["q"], "-90000");
  EXPECT_EQ(a["equity"], "10000");
  EXPECT_EQ(a["imr"], "5000");
  EXPECT_EQ(a["mmr"], "3000");
  EXPECT_EQ(a["free_collateral"], "5000");
  EXPECT_EQ(a["positions"]["BTC-PERP"], "2");
  EXPECT_EQ(s["open_interest"]["BTC-PERP"]["long"], "2");
  EXPECT_EQ(s["open_interest"]["BTC-PERP"]["short"], "0");
  EXPECT_EQ(s["markets"]["BTC-PERP"]["mark"], "50000");
  EXPECT_EQ(s["markets"]["BTC-PERP"]["imf"], "0.05");
  EXPECT_EQ(s["insurance_fund"], "0");
  t.expect_backed();
}

TEST(Perps, IncreasingTradeNeedsInitialMargin) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  // 4 BTC at 50,000: IMR 10,000 == TAV, allowed at the boundary.
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "4").ok);
  const auto r = t.trade("alice", "BTC-PERP", "0.00000001");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "insufficient margin");
  // Cross margin: another market's increase is checked against the whole account.
  EXPECT_EQ(t.trade("alice", "ETH-PERP", "-1").reason, "insufficient margin");
  EXPECT_EQ(t.size("alice", 0), 4 * kWadUnit);
  t.expect_backed();
}

TEST(Perps, ShortsNeedMarginToo) {
  Perp t;
  ASSERT_TRUE(t.deposit("bob", "1000").ok);
  EXPECT_TRUE(t.trade("bob", "ETH-PERP", "-10").ok);  // notional 20,000, IMR 1,000
  EXPECT_EQ(t.trade("bob", "ETH-PERP", "-0.001").reason, "insufficient margin");
  EXPECT_EQ(t.q("bob").raw(), t.usdc("21000"));
  t.expect_backed();
}

TEST(Perps, ReducingTradeAllowedUnderImr) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 46'000);  // equity 2,000 < IMR 4,600
  const MarginTotals m = t.margin("alice");
  EXPECT_EQ(m.equity, t.usdc("2000"));
  EXPECT_EQ(m.imr, t.usdc("4600"));
  EXPECT_EQ(t.trade("alice", "BTC-PERP", "0.1").reason, "insufficient margin");
  EXPECT_TRUE(t.trade("alice", "BTC-PERP", "-1").ok);   // reduce: allowed
  EXPECT_EQ(t.size("alice", 0), kWadUnit);
  EXPECT_EQ(t.trade("alice", "BTC-PERP", "-2").reason, "insufficient margin");  // a flip opens
  EXPECT_TRUE(t.trade("alice", "BTC-PERP", "-1").ok);   // close: allowed
  EXPECT_EQ(t.q("alice").raw(), t.usdc("2000"));        // realised loss of 8,000
  t.expect_backed();
}

TEST(Perps, LiquidationOnlyBelowMaintenanceMargin) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 46'500);  // equity 3,000 >= MMR 2,790
  EXPECT_EQ(t.op("keeper", "liquidate", {{"account", "alice"}}).reason, "account not liquidatable");
  t.rig.set_price("BTC", 46'000);  // equity 2,000 < MMR 2,760
  EXPECT_TRUE(t.margin("alice").liquidatable());
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.size("alice", 0), 0);
  EXPECT_EQ(t.q("alice").raw(), t.usdc("2000"));  // the remaining equity stays with the trader
  EXPECT_EQ(t.p->house_size_wad(0), 0);
  EXPECT_EQ(t.p->liquidations(), 1u);
  EXPECT_EQ(t.p->socialised_loss().raw(), 0);
  EXPECT_EQ(t.op("keeper", "liquidate", {{"account", "alice"}}).reason, "account not liquidatable");
  t.expect_backed();
}

TEST(Perps, LiquidationPenaltyFeedsTheFund) {
  Perp t([](PerpsConfig& c, ProtocolRig&) { c.liquidation_penalty_wad = kWadUnit / 100; });  // 1%
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 46'000);  // equity 2,000; penalty 1% of 92,000 = 920
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), t.usdc("1080"));
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("920"));
  t.expect_backed();
}

TEST(Perps, LiquidatorShareOfThePenaltyIsPaidToTheSender) {
  Perp t([](PerpsConfig& c, ProtocolRig&) {
    c.liquidation_penalty_wad = kWadUnit / 100;  // 1%
    c.liquidator_share_wad = kWadUnit / 4;       // 25% of it
  });
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 46'000);  // penalty 920: 230 to the keeper, 690 to the fund
  const i128 keeper_before = t.rig.balance("keeper", "USDC").raw();
  const protocols::OpResult r = t.op("keeper", "liquidate", {{"account", "alice"}});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(t.rig.balance("keeper", "USDC").raw() - keeper_before, t.usdc("230"));
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].key, "reward");
  EXPECT_EQ(r.outputs[0].raw, t.usdc("230"));
  EXPECT_EQ(r.outputs[0].text(), "230");
  EXPECT_EQ(t.q("alice").raw(), t.usdc("1080"));
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("690"));
  t.expect_backed();
}

TEST(Perps, InsuranceFundAbsorbsLossBeyondEquity) {
  Perp t([](PerpsConfig& c, ProtocolRig& rig) { c.insurance_fund = rig.amount("USDC", "5000"); });
  ASSERT_TRUE(t.deposit("alice", "10000").ok);  // also mints the initial fund
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("5000"));
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 44'000);  // equity -2,000
  EXPECT_EQ(t.margin("alice").equity, t.usdc("-2000"));
  const i128 house_before = t.p->house_q().raw();
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), 0);
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("3000"));
  EXPECT_EQ(t.p->socialised_loss().raw(), 0);
  EXPECT_EQ(t.p->house_q().raw(), house_before - t.usdc("88000"));  // paid the mark value
  t.expect_backed();
}

TEST(Perps, ShortfallBeyondTheFundIsSocialised) {
  Perp t([](PerpsConfig& c, ProtocolRig& rig) { c.insurance_fund = rig.amount("USDC", "1000"); });
  t.rig.advance(Duration::s(1), *t.p);  // on_block mints the fund
  EXPECT_EQ(t.rig.balance("dydx", "USDC").raw(), t.usdc("1000"));
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 44'000);  // deficit 2,000: 1,000 from the fund, 1,000 socialised
  const i128 house_before = t.p->house_q().raw();
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), 0);
  EXPECT_EQ(t.p->insurance_fund().raw(), 0);
  EXPECT_EQ(t.p->socialised_loss().raw(), t.usdc("1000"));
  EXPECT_EQ(t.p->house_q().raw(), house_before - t.usdc("88000") - t.usdc("1000"));
  EXPECT_EQ(t.p->state(*t.rig.host)["socialised_loss"], "1000");
  t.expect_backed();
}

TEST(Perps, AccountWithoutPositionsButNegativeQIsLiquidatable) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  t.rig.set_price("BTC", 44'000);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "-2").ok);  // closing is always allowed
  EXPECT_EQ(t.q("alice").raw(), t.usdc("-2000"));
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), 0);
  EXPECT_EQ(t.p->socialised_loss().raw(), t.usdc("2000"));
  t.expect_backed();
}

TEST(Perps, FundingLongsPayWhenRateIsPositive) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "1").ok);
  ASSERT_TRUE(t.trade("bob", "BTC-PERP", "-1").ok);
  const Amount qa = t.q("alice"), qb = t.q("bob"), qh = t.p->house_q();
  t.rig.advance(Duration::min(59), *t.p);
  EXPECT_EQ(t.q("alice"), qa);  // not yet an hour
  t.rig.advance(Duration::min(1), *t.p);
  // R = 0.00125%: 50,000 * 0.0000125 = 0.625 USDC.
  EXPECT_EQ((qa - t.q("alice")).raw(), t.usdc("0.625"));
  EXPECT_EQ((t.q("bob") - qb).raw(), t.usdc("0.625"));
  EXPECT_EQ(t.p->house_q(), qh);  // balanced book: the house pays nothing
  EXPECT_EQ(t.p->funding_settlements(), 1u);
  t.expect_backed();
}

TEST(Perps, FundingSignFlipsWithTheRateAndHouseTakesTheImbalance) {
  Perp t([](PerpsConfig& c, ProtocolRig&) { c.funding_interest_wad = -kWadUnit / 1000; });  // shorts pay
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "ETH-PERP", "-3").ok);  // only a short: the house is long 3
  const Amount qa = t.q("alice"), qh = t.p->house_q();
  t.rig.advance(Duration::h(1), *t.p);
  EXPECT_EQ((qa - t.q("alice")).raw(), t.usdc("6"));  // 3 * 2,000 * 0.1%
  EXPECT_EQ((t.p->house_q() - qh).raw(), t.usdc("6"));
  t.expect_backed();
}

TEST(Perps, MissedIntervalsSettleTogether) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "1").ok);
  const Amount qa = t.q("alice");
  t.rig.advance(Duration::h(3) + Duration::min(30), *t.p);  // a halted shard: 3 intervals due
  EXPECT_EQ((qa - t.q("alice")).raw(), 3 * t.usdc("0.625"));
  EXPECT_EQ(t.p->next_funding(), core::SimTime::zero() + Duration::h(4));
  t.expect_backed();
}

TEST(Perps, FundingRoundsInTheProtocolsFavour) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "100").ok);
  ASSERT_TRUE(t.deposit("bob", "100").ok);
  ASSERT_TRUE(t.trade("alice", "ETH-PERP", "0.001").ok);   // notional 2 USDC: 0.000025 due
  ASSERT_TRUE(t.trade("bob", "ETH-PERP", "-0.0011").ok);  // notional 2.2: 0.0000275 received
  const Amount qa = t.q("alice"), qb = t.q("bob");
  t.rig.advance(Duration::h(1), *t.p);
  EXPECT_EQ((qa - t.q("alice")).raw(), 25);  // 0.000025 exactly
  EXPECT_EQ((t.q("bob") - qb).raw(), 27);    // 0.0000275 rounded down
  t.expect_backed();
}

TEST(Perps, SpreadAndLimitPrice) {
  Perp t([](PerpsConfig& c, ProtocolRig&) { c.spread_wad = kWadUnit / 1000; });  // 0.1%
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  const auto r = t.op("alice", "trade", {{"market", "BTC-PERP"}, {"size", "1"}, {"limit_price", "50000"}});
  EXPECT_EQ(r.reason, "price beyond limit");  // buys at 50,050
  ASSERT_TRUE(t.op("alice", "trade", {{"market", "BTC-PERP"}, {"size", "1"}, {"limit_price", "50050"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), t.usdc("-40050"));
  EXPECT_EQ(t.op("alice", "trade", {{"market", "BTC-PERP"}, {"size", "-1"}, {"limit_price", "49951"}}).reason,
            "price beyond limit");  // sells at 49,950
  ASSERT_TRUE(t.op("alice", "trade", {{"market", "BTC-PERP"}, {"size", "-1"}, {"limit_price", "49950"}}).ok);
  EXPECT_EQ(t.q("alice").raw(), t.usdc("9900"));  // paid the spread twice
  EXPECT_EQ(t.p->house_q().raw(), t.usdc("100"));
  t.expect_backed();
}

TEST(Perps, WithdrawKeepsFreeCollateralNonNegative) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "2").ok);
  EXPECT_EQ(t.op("alice", "withdraw", {{"amount", "5000.000001"}}).reason, "insufficient free collateral");
  ASSERT_TRUE(t.op("alice", "withdraw", {{"amount", "5000"}}).ok);
  EXPECT_EQ(t.rig.balance("alice", "USDC").raw(), t.usdc("5000"));
  EXPECT_EQ(t.margin("alice").free_collateral(), 0);
  EXPECT_EQ(t.op("bob", "withdraw", {{"amount", "1"}}).reason, "insufficient free collateral");
  t.expect_backed();
}

TEST(Perps, WithdrawingUnrealisedProfitNeedsProtocolLiquidity) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "1").ok);
  t.rig.set_price("BTC", 70'000);  // +20,000 unrealised, paid by the house
  EXPECT_EQ(t.op("alice", "withdraw", {{"amount", "12000"}}).reason, "insufficient protocol liquidity");
  ASSERT_TRUE(t.op("alice", "withdraw", {{"amount", "10000"}}).ok);
  t.expect_backed();
}

TEST(Perps, RevertsOnBadInput) {
  Perp t;
  EXPECT_EQ(t.op("alice", "swap", {}).reason, "unknown op swap");
  EXPECT_EQ(t.op("alice", "deposit", {}).reason, "missing arg amount");
  EXPECT_EQ(t.op("alice", "deposit", {{"amount", "1x"}}).reason, "malformed arg amount");
  EXPECT_EQ(t.op("alice", "deposit", {{"amount", "0.0000001"}}).reason, "malformed arg amount");
  EXPECT_EQ(t.op("alice", "deposit", {{"amount", "0"}}).reason, "amount must be positive");
  EXPECT_EQ(t.op("alice", "deposit", {{"amount", "-5"}}).reason, "amount must be positive");
  EXPECT_EQ(t.op("alice", "deposit", {{"amount", "5"}}).reason, "insufficient balance");
  EXPECT_EQ(t.op("alice", "fund_insurance", {{"amount", "5"}}).reason, "insufficient balance");
  EXPECT_EQ(t.op("alice", "trade", {{"size", "1"}}).reason, "missing arg market");
  EXPECT_EQ(t.trade("alice", "SOL-PERP", "1").reason, "unknown market SOL-PERP");
  EXPECT_EQ(t.op("alice", "trade", {{"market", "BTC-PERP"}}).reason, "missing arg size");
  EXPECT_EQ(t.trade("alice", "BTC-PERP", "one").reason, "malformed arg size");
  EXPECT_EQ(t.trade("alice", "BTC-PERP", "0").reason, "size must not be zero");
  EXPECT_EQ(t.op("alice", "trade", {{"market", "BTC-PERP"}, {"size", "1"}, {"limit_price", "?"}}).reason,
            "malformed arg limit_price");
  EXPECT_EQ(t.op("k", "liquidate", {}).reason, "missing arg account");
  EXPECT_EQ(t.op("k", "liquidate", {{"account", "nobody"}}).reason, "unknown account nobody");
  EXPECT_EQ(t.op("k", "liquidate", {{"account", "alice"}}).reason, "account not liquidatable");
  EXPECT_TRUE(t.p->accounts().empty());  // no revert created an account
  t.expect_backed();
}

TEST(Perps, NoOraclePriceReverts) {
  Perp t([](PerpsConfig& c, ProtocolRig& rig) { c.markets[1] = MarketConfig{"SOL-PERP", rig.asset("SOL")}; },
         {{"USDC", 6}, {"BTC", 8}, {"ETH", 18}, {"SOL", 9}});
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  EXPECT_EQ(t.trade("alice", "SOL-PERP", "1").reason, "no oracle price for SOL");
  t.rig.set_price("SOL", 100);
  ASSERT_TRUE(t.trade("alice", "SOL-PERP", "1").ok);
  ASSERT_TRUE(t.trade("alice", "BTC-PERP", "0.01").ok);
  t.rig.oracles[t.rig.asset("SOL")] = {};  // the feed disappears
  EXPECT_EQ(t.trade("alice", "BTC-PERP", "0.01").reason, "no oracle price for SOL");
  EXPECT_EQ(t.op("alice", "withdraw", {{"amount", "1"}}).reason, "no oracle price for SOL");
  EXPECT_TRUE(t.trade("alice", "BTC-PERP", "-0.01").ok);  // reducing needs no margin check
  EXPECT_TRUE(t.p->state(*t.rig.host)["accounts"]["alice"]["equity"].is_null());
  t.expect_backed();
}

TEST(Perps, InitialFundSeedingSurvivesARevertedFirstOp) {
  Perp t([](PerpsConfig& c, ProtocolRig& rig) { c.insurance_fund = rig.amount("USDC", "250"); });
  EXPECT_FALSE(t.op("alice", "deposit", {{"amount", "5"}}).ok);  // rolled back, mint included
  EXPECT_EQ(t.p->insurance_fund().raw(), 0);
  EXPECT_EQ(t.rig.balance("dydx", "USDC").raw(), 0);
  t.expect_backed();
  ASSERT_TRUE(t.deposit("alice", "5").ok);
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("250"));
  t.rig.advance(Duration::s(1), *t.p);  // no second mint
  EXPECT_EQ(t.rig.balance("dydx", "USDC").raw(), t.usdc("255"));
  t.expect_backed();
}

TEST(Perps, FundInsuranceAddsToTheFund) {
  Perp t;
  t.rig.fund("lp", "USDC", "700");
  ASSERT_TRUE(t.op("lp", "fund_insurance", {{"amount", "700"}}).ok);
  EXPECT_EQ(t.p->insurance_fund().raw(), t.usdc("700"));
  EXPECT_EQ(t.p->state(*t.rig.host)["insurance_fund"], "700");
  t.expect_backed();
}

TEST(Perps, InstrumentsRevalueAgainstTheSnapshotMark) {
  Perp t;
  const auto inst = t.p->instruments(*t.rig.host);
  ASSERT_EQ(inst.size(), 2u);
  EXPECT_EQ(inst[0].id, "dydx.BTC-PERP");
  EXPECT_EQ(inst[0].protocol, "dydx");
  ASSERT_EQ(inst[0].underlyings.size(), 1u);
  EXPECT_EQ(inst[0].underlyings[0], t.rig.asset("BTC"));
  EXPECT_EQ(inst[0].deltas_per_unit, std::vector<double>{1.0});
  EXPECT_EQ(inst[1].id, "dydx.ETH-PERP");
  const ProtocolSnapshot snap = t.p->snapshot(*t.rig.host);
  EXPECT_DOUBLE_EQ(*snap.get("mark.BTC-PERP"), 50'000.0);
  PriceVector prices(3, 0.0);
  prices[t.rig.asset("BTC")] = 52'000;
  EXPECT_NEAR(inst[0].revalue(2.0, snap, prices), 4'000.0, 1e-9 * 4'000);
  EXPECT_NEAR(inst[0].revalue(-0.5, snap, prices), -1'000.0, 1e-9 * 1'000);
  // A later snapshot moves the reference price; the descriptor holds no protocol state.
  t.rig.set_price("BTC", 51'000);
  EXPECT_NEAR(inst[0].revalue(2.0, t.p->snapshot(*t.rig.host), prices), 2'000.0, 1e-9 * 2'000);
  EXPECT_NEAR(inst[0].revalue(2.0, ProtocolSnapshot{}, prices), 4'000.0, 1e-9 * 4'000);  // captured mark
}

TEST(Perps, OperationsListTheirArgs) {
  Perp t;
  const auto ops = t.p->operations();
  ASSERT_EQ(ops.size(), 7u);
  EXPECT_EQ(ops[5].first, "place_order");
  EXPECT_EQ(ops[5].second, (std::vector<std::string>{"market", "size", "price"}));
  EXPECT_EQ(ops[6].first, "cancel_order");
  EXPECT_EQ(ops[6].second, (std::vector<std::string>{"id"}));
  EXPECT_EQ(ops[2].first, "trade");
  EXPECT_EQ(ops[2].second, (std::vector<std::string>{"market", "size", "limit_price"}));
  EXPECT_EQ(t.p->kind(), "perps");
}

}  // namespace
}  // namespace shardsim::protocols::perps
