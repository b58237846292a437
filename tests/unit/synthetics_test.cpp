// Tests protocols/synthetics: the issue limit at 1/3, debt shares floating with prices across
// issuers, exchange fees with an unchanged total debt, flag and liquidation delay, the burn that
// restores the c-ratio (spec formula), the unstake limit, reverts, state, and instruments.
#include "protocols/synthetics/synthetics_protocol.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "protocols/synthetics/debt_math.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::synthetics {
namespace {

using core::Amount;
using core::Duration;
using testing::ProtocolRig;

std::vector<TxArg> amount_arg(const std::string& amount) { return {{"amount", amount}}; }

void expect_rel(double actual, double expected, double tol = 1e-9) {
  EXPECT_NEAR(actual, expected, std::abs(expected) * tol) << "expected " << expected;
}

double wad(i128 v) { return wad_to_double(v); }

struct World {
  ProtocolRig rig{{{"SNX", 18}, {"sUSD", 18}, {"sBTC", 18}, {"sETH", 18}, {"sEUR", 6},
                   {"BTC", 8}, {"ETH", 18}, {"EUR", 8}}};
  std::unique_ptr<SyntheticsProtocol> p;

  explicit World(i128 issuance_ratio = kWadUnit / 3) {
    Config c;
    c.collateral = rig.asset("SNX");
    c.synths = {{rig.asset("sUSD"), std::nullopt, 0},
                {rig.asset("sBTC"), rig.asset("BTC"), kPercentWad},
                {rig.asset("sETH"), rig.asset("ETH"), kPercentWad},
                {rig.asset("sEUR"), rig.asset("EUR"), default_fee_rate_wad("EUR")}};
    c.issuance_ratio_wad = issuance_ratio;
    p = std::make_unique<SyntheticsProtocol>(c, "snx", rig.account("snx-pool"));
    rig.set_price("SNX", 2.0);
    rig.set_price("BTC", 20'000.0);
    rig.set_price("ETH", 1'000.0);
    rig.set_price("EUR", 1.25);
  }
  OpResult op(const std::string& who, const std::string& name, const std::vector<TxArg>& args) {
    OpResult r = rig.apply(*p, who, name, args);
    rig.expect_conserved();
    return r;
  }
  void ok(const std::string& who, const std::string& name, const std::vector<TxArg>& args) {
    const OpResult r = op(who, name, args);
    ASSERT_TRUE(r.ok) << name << " by " << who << ": " << r.reason;
  }
  void fails(const std::string& who, const std::string& name, const std::vector<TxArg>& args,
             const std::string& reason) {
    EXPECT_EQ(op(who, name, args).reason, reason) << name << " by " << who;
  }
  void stake_and_issue(const std::string& who, const std::string& snx, const std::string& susd) {
    rig.fund(who, "SNX", snx);
    ok(who, "stake", amount_arg(snx));
    if (!susd.empty()) ok(who, "issue", amount_arg(susd));
  }
  i128 debt(const std::string& who) { return *p->debt_wad(*rig.host, rig.account(who)); }
  i128 total_debt() { return *p->total_debt_wad(*rig.host); }
  nlohmann::ordered_json state() { return p->state(*rig.host); }
  static std::vector<TxArg> exchange(std::string from, std::string to, std::string amount) {
    return {{"from", std::move(from)}, {"to", std::move(to)}, {"amount", std::move(amount)}};
  }
  const Staker& staker(const std::string& who) { return p->stakers().at(rig.account(who)); }
};

TEST(Synthetics, IssueLimitIsCollateralValueTimesOneThirdMinusDebt) {
  World w;
  w.stake_and_issue("alice", "1500", "");  // 3,000 USD of SNX
  // 1/3 as WAD is 0.333333333333333333, so the limit is 999.999999999999999 sUSD.
  w.fails("alice", "issue", amount_arg("1000"), "issue exceeds limit");
  w.ok("alice", "issue", amount_arg("600"));
  w.fails("alice", "issue", amount_arg("400"), "issue exceeds limit");
  w.ok("alice", "issue", amount_arg("399.999999999999999"));
  w.fails("alice", "issue", amount_arg("0.000000000000000001"), "issue exceeds limit");
  EXPECT_EQ(w.rig.balance("alice", "sUSD"), w.rig.amount("sUSD", "999.999999999999999"));
  EXPECT_EQ(w.debt("alice"), w.rig.balance("alice", "sUSD").raw());
  // A price rise lifts the limit: SNX at $3 gives 4,500 * 1/3 - 999.99.. = 500.
  w.rig.set_price("SNX", 3.0);
  w.ok("alice", "issue", amount_arg("499.9999999999999995"));
  w.fails("alice", "issue", amount_arg("0.000000000000000001"), "issue exceeds limit");
  w.fails("bob", "issue", amount_arg("1"), "nothing staked");
}

TEST(Synthetics, DebtSharesOfTwoIssuersFloatWithSynthPrices) {
  World w;
  w.stake_and_issue("alice", "3000", "1000");
  w.stake_and_issue("bob", "3000", "1000");
  // First issuer: shares = x; the second at a debt per share of 1 also gets x.
  EXPECT_EQ(w.staker("alice").shares, 1000 * kWadUnit);
  EXPECT_EQ(w.staker("bob").shares, 1000 * kWadUnit);
  EXPECT_EQ(w.p->total_shares(), 2000 * kWadUnit);
  // Alice moves her sUSD into sBTC: 1,000 * 1 / 20,000 * (1 - 1%) = 0.0495 sBTC, 10 sUSD fee.
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "1000"));
  EXPECT_EQ(w.total_debt(), 2000 * kWadUnit);
  // BTC doubles: total debt = 1,000 (bob's sUSD) + 10 (fee pool) + 0.0495 * 40,000 = 2,990.
  w.rig.set_price("BTC", 40'000.0);
  const double total = 1000.0 + 10.0 + 0.0495 * 40'000.0;
  expect_rel(wad(w.total_debt()), total);
  EXPECT_EQ(w.total_debt(), 2990 * kWadUnit);
  // Each staker owns half the pool, whoever holds the sBTC.
  expect_rel(wad(w.debt("alice")), total / 2);
  EXPECT_EQ(w.debt("bob"), 1495 * kWadUnit);
  // A third issuer at debt per share 2,990 / 2,000 gets 598 / 1.495 = 400 shares.
  w.stake_and_issue("carol", "3000", "598");
  EXPECT_EQ(w.staker("carol").shares, 400 * kWadUnit);
  EXPECT_EQ(w.debt("carol"), 598 * kWadUnit);
  // BTC halves back: the pool is 1,598 + 10 + 990 = 2,598 over 2,400 shares.
  w.rig.set_price("BTC", 20'000.0);
  expect_rel(wad(w.debt("alice")), 2598.0 * 1000.0 / 2400.0);
  expect_rel(wad(w.debt("carol")), 2598.0 * 400.0 / 2400.0);
}

TEST(Synthetics, ExchangeChargesSummedFeeRatesAndLeavesTotalDebtUnchanged) {
  World w;
  w.stake_and_issue("alice", "3000", "1900");
  const i128 before = w.total_debt();
  // sUSD (0) + sBTC (1%) = 1%.
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "1000"));
  EXPECT_EQ(w.rig.balance("alice", "sBTC"), w.rig.amount("sBTC", "0.0495"));
  EXPECT_EQ(w.p->fee_pool(), w.rig.amount("sUSD", "10"));
  EXPECT_EQ(w.total_debt(), before);
  // sBTC (1%) + sETH (1%) = 2%: 0.0495 * 20,000 = 990 USD, less 19.8 of fee = 0.9702 sETH.
  w.ok("alice", "exchange", w.exchange("sBTC", "sETH", "0.0495"));
  EXPECT_EQ(w.rig.balance("alice", "sBTC"), Amount{});
  EXPECT_EQ(w.rig.balance("alice", "sETH"), w.rig.amount("sETH", "0.9702"));
  EXPECT_EQ(w.p->fee_pool(), w.rig.amount("sUSD", "29.8"));
  EXPECT_EQ(w.total_debt(), before);
  // Back to sUSD: 0.9702 * 1,000 * 0.99 = 960.498.
  w.ok("alice", "exchange", w.exchange("sETH", "sUSD", "0.9702"));
  EXPECT_EQ(w.rig.balance("alice", "sUSD"), w.rig.amount("sUSD", "1860.498"));
  EXPECT_EQ(w.p->fee_pool(), w.rig.amount("sUSD", "39.502"));
  EXPECT_EQ(w.total_debt(), before);
  // At a non-round price the debt moves by less than one unit of each synth's value.
  w.rig.set_price("BTC", 27'345.678901);
  const i128 at_odd = w.total_debt();
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "123.456789012345678"));
  EXPECT_LE(std::abs(static_cast<double>(w.total_debt() - at_odd)), 27'346.0 + 4.0);

  w.fails("alice", "exchange", w.exchange("sUSD", "sUSD", "1"), "cannot exchange a synth for itself");
  w.fails("alice", "exchange", w.exchange("sUSD", "sXYZ", "1"), "unknown synth sXYZ");
  w.fails("alice", "exchange", {{"from", "sUSD"}, {"amount", "1"}}, "missing arg to");
  w.fails("alice", "exchange", w.exchange("sETH", "sUSD", "1"), "exchange exceeds sETH supply");
  w.fails("alice", "exchange", w.exchange("sUSD", "sETH", "5000"), "exchange exceeds sUSD supply");
  w.fails("bob", "exchange", w.exchange("sUSD", "sETH", "5"), "insufficient sUSD balance");
  w.fails("alice", "exchange", w.exchange("sUSD", "sBTC", "0.000000000000000001"), "exchange amount too small");
}

TEST(Synthetics, ForexSynthsDefaultToLowerFeeRates) {
  EXPECT_EQ(default_fee_rate_wad(std::nullopt), 0);
  EXPECT_EQ(default_fee_rate_wad("BTC"), kPercentWad);
  EXPECT_EQ(default_fee_rate_wad("EUR"), 3 * kPercentWad / 10);
  World w;
  w.stake_and_issue("alice", "3000", "1000");
  // 1,000 sUSD -> sEUR at 0 + 0.3%: 1,000 / 1.25 * 0.997 = 797.6 sEUR (6 decimals).
  w.ok("alice", "exchange", w.exchange("sUSD", "sEUR", "1000"));
  EXPECT_EQ(w.rig.balance("alice", "sEUR"), w.rig.amount("sEUR", "797.6"));
  EXPECT_EQ(w.p->fee_pool(), w.rig.amount("sUSD", "3"));
  EXPECT_EQ(w.total_debt(), 1000 * kWadUnit);
}

TEST(Synthetics, FlagNeedsTheLiquidationRatioAndLiquidationWaitsForTheDelay) {
  World w;
  w.stake_and_issue("alice", "1500", "900");  // 3,000 USD of SNX against 900 sUSD
  w.stake_and_issue("liq", "100000", "10000");
  w.fails("keeper", "flag", {{"staker", "alice"}}, "c-ratio above the liquidation threshold");  // 0.3
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "staker not flagged");
  // SNX at $0.91: 900 / 1,365 = 0.659 is not above the ratio.
  w.rig.set_price("SNX", 0.91);
  w.fails("keeper", "flag", {{"staker", "alice"}}, "c-ratio above the liquidation threshold");
  w.rig.set_price("SNX", 0.8);  // 900 / 1,200 = 0.75 > 2/3
  w.fails("keeper", "flag", {{"staker", "nobody"}}, "unknown account nobody");
  w.fails("keeper", "flag", {{"staker", "keeper"}}, "not a staker");
  w.fails("keeper", "flag", {}, "missing arg staker");
  w.rig.advance(Duration::h(1), *w.p);
  w.ok("keeper", "flag", {{"staker", "alice"}});
  EXPECT_EQ(w.state()["stakers"]["alice"]["flagged_at"], "1h");
  w.fails("keeper", "flag", {{"staker", "alice"}}, "already flagged");
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "liquidation delay not passed");
  w.rig.advance(Duration::h(12) - Duration::us(1), *w.p);
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "liquidation delay not passed");
  w.fails("alice", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "cannot liquidate yourself");
  w.rig.advance(Duration::us(1), *w.p);
  // After the delay, but the price recovered: not liquidatable (the flag stays until restored).
  w.rig.set_price("SNX", 1.0);
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "staker not liquidatable");
  w.rig.set_price("SNX", 0.8);
  w.fails("liq", "liquidate", {{"staker", "alice"}}, "missing arg amount");
  w.ok("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}});
  // A partial burn: 100 sUSD for 100 * 1.3 / 0.8 = 162.5 SNX; still flagged.
  EXPECT_EQ(w.rig.balance("liq", "SNX"), w.rig.amount("SNX", "162.5"));
  EXPECT_EQ(w.staker("alice").collateral, w.rig.amount("SNX", "1337.5"));
  EXPECT_TRUE(w.staker("alice").flagged_at.has_value());
}

TEST(Synthetics, StakingMoreBeforeTheDelayClearsTheFlag) {
  World w;
  w.stake_and_issue("alice", "1500", "900");
  w.rig.set_price("SNX", 0.8);
  w.ok("keeper", "flag", {{"staker", "alice"}});
  w.rig.fund("alice", "SNX", "2000");
  w.ok("alice", "stake", amount_arg("2000"));  // 3,500 * 0.8 = 2,800; 900 / 2,800 < 1/3
  EXPECT_FALSE(w.staker("alice").flagged_at.has_value());
  w.rig.advance(Duration::h(13), *w.p);
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "100"}}, "staker not flagged");
}

TEST(Synthetics, LiquidationBurnsTheSpecAmountThatRestoresTheTarget) {
  World w;
  w.stake_and_issue("alice", "1500", "900");
  w.stake_and_issue("liq", "100000", "10000");
  w.rig.set_price("SNX", 0.8);
  w.ok("keeper", "flag", {{"staker", "alice"}});
  w.rig.advance(Duration::h(12), *w.p);
  // D = 900, C = 1,200, r = 1/3, P = 0.3: x = (D - C r) / (1 - (1 + P) r) = 500 / (1 - 1.3 / 3).
  const double d = 900.0, c = 1200.0, r = 1.0 / 3.0, pen = 0.3;
  const double x = (d - c * r) / (1.0 - (1.0 + pen) * r);
  expect_rel(x, 882.3529411764706);
  EXPECT_NEAR(wad(burn_to_fix_wad(900 * kWadUnit, 1200 * kWadUnit, kWadUnit / 3, 30 * kPercentWad)), x, x * 1e-9);
  const Amount liq_susd = w.rig.balance("liq", "sUSD");
  w.ok("liq", "liquidate", {{"staker", "alice"}, {"amount", "5000"}});  // offers more than needed
  expect_rel((liq_susd - w.rig.balance("liq", "sUSD")).to_double(18), x);
  expect_rel(w.rig.balance("liq", "SNX").to_double(18), x * (1.0 + pen) / 0.8);
  // Afterwards the staker sits at the issuance ratio and is no longer flagged.
  const Staker& alice = w.staker("alice");
  const double debt_after = wad(w.debt("alice")), coll_after = alice.collateral.to_double(18) * 0.8;
  expect_rel(debt_after, d - x);
  expect_rel(coll_after, c - x * (1.0 + pen));
  expect_rel(debt_after / coll_after, r);
  EXPECT_FALSE(alice.flagged_at.has_value());
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "1"}}, "staker not flagged");
}

TEST(Synthetics, LiquidationOfAnInsolventStakerTakesAllCollateralAtTheBonus) {
  World w;
  w.stake_and_issue("alice", "1500", "900");
  w.stake_and_issue("liq", "100000", "10000");
  w.rig.set_price("SNX", 0.5);  // C = 750 < D * 1.3: the fix amount needs more than all collateral
  w.ok("keeper", "flag", {{"staker", "alice"}});
  w.rig.advance(Duration::h(12), *w.p);
  const Amount before = w.rig.balance("liq", "sUSD");
  w.ok("liq", "liquidate", {{"staker", "alice"}, {"amount", "5000"}});
  expect_rel((before - w.rig.balance("liq", "sUSD")).to_double(18), 750.0 / 1.3);
  EXPECT_EQ(w.rig.balance("liq", "SNX"), w.rig.amount("SNX", "1500"));
  const Staker& alice = w.staker("alice");
  EXPECT_TRUE(alice.collateral.is_zero());
  expect_rel(wad(w.debt("alice")), 900.0 - 750.0 / 1.3);  // bad debt stays with the staker
  EXPECT_FALSE(alice.flagged_at.has_value());
  w.ok("keeper", "flag", {{"staker", "alice"}});
  w.rig.advance(Duration::h(12), *w.p);
  w.fails("liq", "liquidate", {{"staker", "alice"}, {"amount", "10"}}, "nothing to liquidate");
}

TEST(Synthetics, UnstakeKeepsCollateralAboveDebtAtTheIssuanceRatio) {
  World quarter(kWadUnit / 4);  // exact boundaries
  quarter.stake_and_issue("alice", "1000", "500");  // 2,000 * 1/4 = 500: at the limit
  const std::string too_little = "collateral would not cover debt at the issuance ratio";
  quarter.fails("alice", "unstake", amount_arg("0.000000000000000001"), too_little);
  quarter.ok("alice", "burn", amount_arg("100"));
  quarter.ok("alice", "unstake", amount_arg("200"));  // 800 SNX = 1,600 USD covers 400
  quarter.fails("alice", "unstake", amount_arg("0.000000000000000001"), too_little);
  EXPECT_EQ(quarter.rig.balance("alice", "SNX"), quarter.rig.amount("SNX", "200"));

  World w;  // default 1/3
  w.stake_and_issue("alice", "1500", "400");  // needs 1,200 USD = 600 SNX
  w.fails("alice", "unstake", amount_arg("1500.1"), "unstake exceeds staked collateral");
  w.fails("alice", "unstake", amount_arg("900"), too_little);
  w.ok("alice", "unstake", amount_arg("899.99"));
  w.fails("alice", "unstake", amount_arg("0.02"), too_little);
  w.rig.set_price("SNX", 4.0);  // collateral now worth twice as much
  w.ok("alice", "unstake", amount_arg("300"));
  // Without debt, everything can leave and the staker disappears.
  w.ok("alice", "burn", amount_arg("400"));
  w.ok("alice", "unstake", amount_arg("300.01"));
  EXPECT_EQ(w.rig.balance("alice", "SNX"), w.rig.amount("SNX", "1500"));
  EXPECT_TRUE(w.p->stakers().empty());
  EXPECT_EQ(w.p->total_shares(), 0);
}

TEST(Synthetics, BurnRetiresSharesAndCapsAtTheDebt) {
  World w;
  w.stake_and_issue("alice", "3000", "1000");
  w.stake_and_issue("bob", "3000", "1000");
  w.fails("carol", "burn", amount_arg("1"), "no debt to burn");
  w.ok("alice", "burn", amount_arg("250"));
  EXPECT_EQ(w.staker("alice").shares, 750 * kWadUnit);
  EXPECT_EQ(w.debt("alice"), 750 * kWadUnit);
  // Bob's sETH loses half its value: the pool is 1,750 - 49.5 and alice owes 3/7 of it.
  w.ok("bob", "exchange", w.exchange("sUSD", "sETH", "100"));  // 0.099 sETH, 1 sUSD fee
  w.rig.set_price("ETH", 500.0);
  expect_rel(wad(w.debt("alice")), 1700.5 * 3.0 / 7.0);
  // Alice holds 750 sUSD: burning them all stops at her debt and retires every share.
  w.ok("alice", "burn", amount_arg("750"));
  EXPECT_EQ(w.staker("alice").shares, 0);
  expect_rel(w.rig.balance("alice", "sUSD").to_double(18), 750.0 - 1700.5 * 3.0 / 7.0);
  expect_rel(wad(w.debt("bob")), 1700.5 * 4.0 / 7.0);
  EXPECT_EQ(w.total_debt(), w.debt("bob"));
  w.fails("bob", "burn", amount_arg("1000"), "insufficient sUSD balance");
  w.ok("bob", "burn", amount_arg("900"));
  expect_rel(wad(w.debt("bob")), 1700.5 * 4.0 / 7.0 - 900.0);
}

TEST(Synthetics, RevertsOnBadInputWithoutChangingState) {
  World w;
  w.stake_and_issue("alice", "100", "10");
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "5"));  // BTC now prices the debt
  const std::string before = w.state().dump();
  w.fails("alice", "mint", amount_arg("1"), "unknown op mint");
  w.fails("alice", "stake", {}, "missing arg amount");
  w.fails("alice", "stake", amount_arg("12x"), "malformed arg amount");
  w.fails("alice", "stake", amount_arg("0"), "amount must be positive");
  w.fails("alice", "stake", amount_arg("-1"), "amount must be positive");
  w.fails("alice", "stake", amount_arg("1"), "insufficient SNX balance");
  w.fails("alice", "burn", amount_arg("11"), "insufficient sUSD balance");
  w.fails("snx-pool", "stake", amount_arg("1"), "the protocol account cannot call its own operations");
  EXPECT_EQ(w.state().dump(), before);
  w.rig.oracles[w.rig.asset("BTC")] = shards::OracleValue{};  // no BTC price yet
  w.fails("alice", "issue", amount_arg("1"), "no oracle price for BTC");
  w.rig.oracles[w.rig.asset("BTC")] = shards::OracleValue{0, 0, 1};
  w.fails("alice", "issue", amount_arg("1"), "invalid oracle price for BTC");
  EXPECT_FALSE(w.p->total_debt_wad(*w.rig.host).has_value());
  EXPECT_TRUE(w.state()["total_debt"].is_null());
}

TEST(Synthetics, StateIsExactDecimalText) {
  World w;
  w.stake_and_issue("bob", "3000", "1000");
  w.stake_and_issue("alice", "1500", "500");
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "100"));
  const auto s = w.state();
  EXPECT_EQ(s["total_debt"], "1500");
  EXPECT_EQ(s["fee_pool"], "1");
  EXPECT_EQ(s["supply"].dump(), R"({"sUSD":"1401","sBTC":"0.00495","sETH":"0","sEUR":"0"})");
  EXPECT_EQ(s["total_shares"], "1500");
  ASSERT_EQ(s["stakers"].size(), 2u);
  EXPECT_EQ(s["stakers"].begin().key(), "alice");  // sorted by name
  EXPECT_EQ(s["stakers"]["alice"].dump(),
            R"({"debt":"500","collateral":"1500","collateral_value":"3000","c_ratio":"6","shares":"500",)"
            R"("flagged_at":null})");
  w.rig.fund("carol", "SNX", "1");
  w.ok("carol", "stake", amount_arg("1"));
  EXPECT_EQ(w.state()["stakers"]["carol"]["c_ratio"], "inf");
}

TEST(Synthetics, InstrumentsRevalueSynthsAndTheDebtShare) {
  World w;
  w.stake_and_issue("alice", "3000", "1000");
  w.stake_and_issue("bob", "3000", "1000");
  w.ok("alice", "exchange", w.exchange("sUSD", "sBTC", "1000"));
  const auto snap = w.p->snapshot(*w.rig.host);
  const auto inst = w.p->instruments(*w.rig.host);
  ASSERT_EQ(inst.size(), 5u);
  EXPECT_EQ(inst[1].id, "snx.sBTC");
  EXPECT_EQ(inst[4].id, "snx.debt");
  PriceVector prices(w.rig.registry.asset_count(), 0.0);
  prices[w.rig.asset("BTC")] = 40'000.0;
  prices[w.rig.asset("ETH")] = 1'000.0;
  expect_rel(inst[0].revalue(5.0, snap, prices), 5.0);
  expect_rel(inst[1].revalue(0.5, snap, prices), 20'000.0);
  EXPECT_EQ(inst[1].underlyings, std::vector<AssetId>{w.rig.asset("BTC")});
  EXPECT_EQ(inst[1].deltas_per_unit, std::vector<double>{1.0});
  // Alice's 1,000 of 2,000 shares at BTC 40,000: -(1/2) * (1,000 + 10 + 0.0495 * 40,000).
  expect_rel(inst[4].revalue(1000.0, snap, prices), -0.5 * 2990.0);
  ASSERT_EQ(inst[4].underlyings.size(), 3u);
  expect_rel(inst[4].deltas_per_unit[0], -0.0495 / 2000.0);
  // The revaluation reads only its arguments: later state changes do not leak in.
  w.ok("bob", "burn", amount_arg("500"));
  expect_rel(inst[4].revalue(1000.0, snap, prices), -0.5 * 2990.0);
  expect_rel(*snap.get("total_debt"), 2000.0);
}

TEST(Synthetics, ConfigRejectsInconsistentParameters) {
  Config c;
  c.synths = {{1, std::nullopt, 0}};
  EXPECT_FALSE(c.validate().has_value());
  const auto rejects = [&](auto edit) { Config bad = c; edit(bad); return bad.validate().has_value(); };
  EXPECT_TRUE(rejects([](Config& b) { b.issuance_ratio_wad = b.liquidation_ratio_wad; }));
  EXPECT_TRUE(rejects([](Config& b) { b.liquidation_penalty_wad = kWadUnit; }));
  EXPECT_TRUE(rejects([](Config& b) {  // (1 + 0.3) * 0.8 >= 1
    b.issuance_ratio_wad = kWadUnit * 8 / 10;
    b.liquidation_ratio_wad = kWadUnit * 9 / 10;
  }));
  EXPECT_TRUE(rejects([](Config& b) { b.synths.push_back({0, std::nullopt, 0}); }));  // collateral as a synth
  EXPECT_TRUE(rejects([](Config& b) { b.synths[0].fee_rate_wad = kWadUnit; }));
  c.susd = 3;
  EXPECT_THROW(SyntheticsProtocol(c, "x", 0), std::invalid_argument);
}

}  // namespace
}  // namespace shardsim::protocols::synthetics
