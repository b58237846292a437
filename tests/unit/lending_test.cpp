// Tests protocols/lending: the spec's worked examples (rate curve, health factors, liquidation),
// both sides of the kink, the liquidation caps, a year of interest, LTV limits and every revert.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "protocols/lending/lending_pool.hpp"
#include "protocols/lending/rates.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::lending {
namespace {

using core::Duration;
using testing::ProtocolRig;

double ray_d(i128 ray) { return static_cast<double>(ray) / 1e27; }

// |a - b| <= rel * |b|.
void expect_rel(double actual, double expected, double rel = 1e-9) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}

ReserveParams defaults(const std::string& symbol) { return *spec_default_reserve(symbol); }

// A market listing ETH, USDC, DAI and BTC with the spec's defaults, on a real ledger.
struct Market {
  ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}, {"DAI", 18}, {"BTC", 8}, {"SNX", 18}}};
  std::unique_ptr<LendingPool> pool;

  explicit Market(bool priced = true) {
    LendingParams p;
    for (const char* sym : {"ETH", "USDC", "DAI", "BTC"}) {
      ReserveParams r = defaults(sym);
      r.asset = rig.asset(sym);
      p.reserves.push_back(r);
    }
    pool = std::make_unique<LendingPool>(p, "aave", rig.account("aave"), rig.registry);
    for (const auto& [sym, px] : {std::pair{"ETH", 2000}, {"USDC", 1}, {"DAI", 1}, {"BTC", 50000}, {"SNX", 2}}) {
      if (priced) rig.set_price(sym, px);
    }
  }
  void ok(const std::string& who, const std::string& name, const std::vector<TxArg>& args) {
    const OpResult r = rig.apply(*pool, who, name, args);
    ASSERT_TRUE(r.ok) << who << " " << name << ": " << r.reason;
  }
  void expect_revert(const std::string& who, const std::string& name, const std::vector<TxArg>& args,
                     const std::string& reason) {
    const std::string before = state().dump();
    const OpResult r = rig.apply(*pool, who, name, args);
    EXPECT_FALSE(r.ok) << name;
    EXPECT_EQ(r.reason, reason) << name;
    EXPECT_EQ(state().dump(), before) << name << " changed the state while reverting";
  }
  nlohmann::ordered_json state() const { return pool->state(*rig.host); }
  double num(const nlohmann::ordered_json& j) const { return std::stod(j.get<std::string>()); }
  double hf(const std::string& who) const { return num(acct(who)["health_factor"]); }
  double supplied(const std::string& who, const std::string& s) const { return num(acct(who)["supplied"][s]); }
  double borrowed(const std::string& who, const std::string& s) const { return num(acct(who)["borrowed"][s]); }
  double reserve(const std::string& s, const std::string& field) const { return num(state()["reserves"][s][field]); }
  nlohmann::ordered_json acct(const std::string& who) const { return state()["accounts"][who]; }
};

std::vector<TxArg> aa(const std::string& a, const std::string& n) { return {{"asset", a}, {"amount", n}}; }
std::vector<TxArg> liq(const std::string& borrower, const std::string& debt, const std::string& coll,
                       const std::string& amount) {
  return {{"borrower", borrower}, {"debt_asset", debt}, {"collateral_asset", coll}, {"amount", amount}};
}

// The spec's rate examples: ETH below and above the kink, ETH's supply rate, USDC above the kink.
TEST(LendingRates, SpecWorkedExamples) {
  const ReserveParams eth = defaults("ETH");
  const double at_half = ray_d(borrow_rate_ray(eth, kRayUnit / 2));
  EXPECT_NEAR(at_half, 0.0615385, 5e-8);
  expect_rel(at_half, 0.08 * 0.5 / 0.65);
  const double at_09 = ray_d(borrow_rate_ray(eth, kRayUnit / 10 * 9));
  EXPECT_NEAR(at_09, 0.7942857, 5e-8);
  expect_rel(at_09, 0.08 + 1.0 * (0.9 - 0.65) / (1 - 0.65));
  const i128 u = kRayUnit / 2;
  const double rate = ray_d(supply_rate_ray(borrow_rate_ray(eth, u), u, eth.reserve_factor_wad));
  EXPECT_NEAR(rate, 0.0276923, 5e-8);
  expect_rel(rate, 0.08 * 0.5 / 0.65 * 0.5 * 0.9);
  EXPECT_NEAR(ray_d(borrow_rate_ray(defaults("USDC"), kRayUnit / 100 * 95)), 0.34, 1e-12);
}

TEST(LendingRates, KinkIsContinuousAndSlope2StartsAboveIt) {
  const ReserveParams eth = defaults("ETH");
  const i128 kink = eth.u_opt_wad * kWadToRay;
  EXPECT_EQ(borrow_rate_ray(eth, 0), 0);
  EXPECT_EQ(borrow_rate_ray(eth, kink), eth.slope1_wad * kWadToRay);
  EXPECT_EQ(borrow_rate_ray(eth, kRayUnit), (eth.slope1_wad + eth.slope2_wad) * kWadToRay);
  // Just above the kink the steep slope applies: 1.0 / 0.35 per unit of utilisation.
  const i128 step = kRayUnit / 1000;
  expect_rel(ray_d(borrow_rate_ray(eth, kink + step) - borrow_rate_ray(eth, kink)), 0.001 / 0.35);
  expect_rel(ray_d(borrow_rate_ray(eth, kink) - borrow_rate_ray(eth, kink - step)), 0.001 * 0.08 / 0.65);
}

TEST(LendingRates, UtilisationAndGrowthFactors) {
  EXPECT_EQ(utilization_ray(0, 100), 0);
  EXPECT_EQ(utilization_ray(50, 50), kRayUnit / 2);
  EXPECT_EQ(utilization_ray(10, 0), kRayUnit);
  EXPECT_EQ(linear_growth_ray(kRayUnit / 10, kYearUs), kRayUnit + kRayUnit / 10);
  const double c = ray_d(compound_growth_ray(kRayUnit / 10, kYearUs));
  expect_rel(c, 1 + 0.1 + 0.01 / 2 + 0.001 / 6);
  EXPECT_EQ(compound_growth_ray(kRayUnit, 0), kRayUnit);
}

TEST(LendingParamsTest, SpecDefaultsAndSanityRules) {
  EXPECT_FALSE(spec_default_reserve("SNX").has_value());
  const ReserveParams btc = defaults("BTC");
  EXPECT_EQ(btc.slope2_wad, 3 * kWadUnit);
  EXPECT_EQ(btc.bonus_wad, kWadUnit / 10 * 11);
  for (const char* s : {"ETH", "USDC", "DAI", "BTC"}) EXPECT_FALSE(reserve_params_error(defaults(s))) << s;
  for (const auto& [field, value] : {std::pair{&ReserveParams::u_opt_wad, kWadUnit},
                                     {&ReserveParams::ltv_wad, btc.liq_threshold_wad + 1},
                                     {&ReserveParams::bonus_wad, 2 * kWadUnit},
                                     {&ReserveParams::reserve_factor_wad, kWadUnit}}) {
    ReserveParams bad = btc;
    bad.*field = value;
    EXPECT_TRUE(reserve_params_error(bad));
  }
}

TEST(LendingPoolTest, ReserveRatesFollowUtilisationAcrossTheKink) {
  Market m;
  m.rig.fund("whale", "ETH", "100");
  m.rig.fund("bob", "BTC", "100");
  m.ok("whale", "supply", aa("ETH", "100"));
  m.ok("bob", "supply", aa("BTC", "100"));
  EXPECT_EQ(m.reserve("ETH", "utilization"), 0.0);
  EXPECT_EQ(m.reserve("ETH", "borrow_rate"), 0.0);
  m.ok("bob", "borrow", aa("ETH", "50"));
  EXPECT_DOUBLE_EQ(m.reserve("ETH", "utilization"), 0.5);
  EXPECT_NEAR(m.reserve("ETH", "borrow_rate"), 0.0615385, 5e-8);
  EXPECT_NEAR(m.reserve("ETH", "supply_rate"), 0.0276923, 5e-8);
  m.ok("bob", "borrow", aa("ETH", "40"));
  EXPECT_DOUBLE_EQ(m.reserve("ETH", "utilization"), 0.9);
  EXPECT_NEAR(m.reserve("ETH", "borrow_rate"), 0.7942857, 5e-8);
  EXPECT_EQ(m.state()["reserves"]["ETH"]["available_liquidity"], "10");
  EXPECT_EQ(m.state()["reserves"]["ETH"]["total_debt"], "90");
}

// 10 ETH + 5,000 USDC of collateral, 12,000 DAI of debt drawn from a whale's DAI.
void open_spec_position(Market& m) {
  m.rig.fund("whale", "DAI", "100000");
  m.rig.fund("alice", "ETH", "10");
  m.rig.fund("alice", "USDC", "5000");
  m.ok("whale", "supply", aa("DAI", "100000"));
  m.ok("alice", "supply", aa("ETH", "10"));
  m.ok("alice", "supply", aa("USDC", "5000"));
  m.ok("alice", "borrow", aa("DAI", "12000"));
}

TEST(LendingPoolTest, HealthFactorSequenceAndLiquidation) {
  Market m;
  open_spec_position(m);
  EXPECT_EQ(m.rig.balance("alice", "DAI"), m.rig.amount("DAI", "12000"));
  EXPECT_NEAR(m.hf("alice"), 1.7291667, 5e-8);
  expect_rel(m.hf("alice"), (10 * 2000 * 0.825 + 5000 * 0.85) / 12000);
  EXPECT_EQ(m.state()["accounts"]["alice"]["collateral_value"], "25000");
  EXPECT_EQ(m.state()["accounts"]["alice"]["debt_value"], "12000");

  m.rig.set_price("ETH", 1000);
  EXPECT_NEAR(m.hf("alice"), 1.0416667, 5e-8);
  expect_rel(m.hf("alice"), (10 * 1000 * 0.825 + 5000 * 0.85) / 12000);
  m.rig.fund("liq", "DAI", "6000");
  m.expect_revert("liq", "liquidate", liq("alice", "DAI", "ETH", "6000"), "health factor not below 1");

  m.rig.set_price("ETH", 900);
  EXPECT_NEAR(m.hf("alice"), 0.9729167, 5e-8);
  expect_rel(m.hf("alice"), (10 * 900 * 0.825 + 5000 * 0.85) / 12000);
  m.ok("liq", "liquidate", liq("alice", "DAI", "ETH", "6000"));
  EXPECT_EQ(m.rig.balance("liq", "ETH"), m.rig.amount("ETH", "7"));  // 6000 / 900 * 1.05, exact
  EXPECT_EQ(m.rig.balance("liq", "DAI"), m.rig.amount("DAI", "0"));
  EXPECT_EQ(m.state()["accounts"]["alice"]["supplied"]["ETH"], "3");
  EXPECT_EQ(m.state()["accounts"]["alice"]["borrowed"]["DAI"], "6000");
  EXPECT_NEAR(m.hf("alice"), 1.0795833, 5e-8);
  expect_rel(m.hf("alice"), (3 * 900 * 0.825 + 5000 * 0.85) / 6000);
  m.rig.expect_conserved();
}

TEST(LendingPoolTest, LiquidationRepaysAtMostTheCloseFactor) {
  Market m;
  open_spec_position(m);
  m.rig.set_price("ETH", 900);
  m.rig.fund("liq", "DAI", "10000");
  m.ok("liq", "liquidate", liq("alice", "DAI", "ETH", "10000"));
  EXPECT_EQ(m.rig.balance("liq", "DAI"), m.rig.amount("DAI", "4000"));  // repaid 6000 of 10000 offered
  EXPECT_EQ(m.rig.balance("liq", "ETH"), m.rig.amount("ETH", "7"));
  EXPECT_EQ(m.state()["accounts"]["alice"]["borrowed"]["DAI"], "6000");
}

TEST(LendingPoolTest, LiquidationIsCappedAtTheBorrowersCollateral) {
  Market m;
  m.rig.fund("whale", "DAI", "100000");
  m.rig.fund("bob", "ETH", "1");
  m.rig.fund("bob", "USDC", "10000");
  m.ok("whale", "supply", aa("DAI", "100000"));
  m.ok("bob", "supply", aa("ETH", "1"));
  m.ok("bob", "supply", aa("USDC", "10000"));
  m.ok("bob", "borrow", aa("DAI", "9500"));  // borrowing power 0.8 * (2000 + 10000) = 9600
  m.rig.set_price("ETH", 1000);              // HF = (825 + 8500) / 9500 < 1
  EXPECT_LT(m.hf("bob"), 1.0);
  m.rig.fund("liq", "DAI", "4750");
  m.ok("liq", "liquidate", liq("bob", "DAI", "ETH", "max"));
  // 4,750 DAI would seize 4.9875 ETH; bob has 1 ETH, which covers 1000 / 1.05 DAI.
  EXPECT_EQ(m.rig.balance("liq", "ETH"), m.rig.amount("ETH", "1"));
  const double repaid = 4750 - m.rig.balance("liq", "DAI").to_double(18);
  expect_rel(repaid, 1000 / 1.05);
  EXPECT_FALSE(m.state()["accounts"]["bob"]["supplied"].contains("ETH"));
  expect_rel(m.borrowed("bob", "DAI"), 9500 - 1000 / 1.05);
  m.rig.expect_conserved();
  m.expect_revert("liq", "liquidate", liq("bob", "DAI", "ETH", "1"), "borrower has no collateral in ETH");
}

TEST(LendingPoolTest, LiquidationNeedsThePoolToHoldTheCollateral) {
  Market m;
  open_spec_position(m);
  m.rig.fund("carol", "BTC", "10");
  m.ok("carol", "supply", aa("BTC", "10"));
  m.ok("carol", "borrow", aa("ETH", "10"));  // the pool's ETH is all lent out
  m.rig.set_price("ETH", 900);
  m.rig.fund("liq", "DAI", "6000");
  m.expect_revert("liq", "liquidate", liq("alice", "DAI", "ETH", "6000"), "insufficient liquidity");
  m.ok("liq", "liquidate", liq("alice", "DAI", "USDC", "1000"));
  EXPECT_EQ(m.rig.balance("liq", "USDC"), m.rig.amount("USDC", "1050"));
}

// 1,000 ETH supplied, 500 lent against BTC: U = 0.5. Returns the debt's growth over a year.
double open_eth_loan(Market& m) {
  m.rig.fund("whale", "ETH", "1000");
  m.rig.fund("bob", "BTC", "100");
  m.ok("whale", "supply", aa("ETH", "1000"));
  m.ok("bob", "supply", aa("BTC", "100"));
  m.ok("bob", "borrow", aa("ETH", "500"));
  const double rb = 0.08 * 0.5 / 0.65;
  return 1 + rb + rb * rb / 2 + rb * rb * rb / 6;
}

TEST(LendingPoolTest, InterestAccruesOverASimulatedYear) {
  Market m;
  const double growth = open_eth_loan(m);
  const double rs = 0.08 * 0.5 / 0.65 * 0.5 * 0.9;
  m.rig.advance(Duration::d(365), *m.pool);
  expect_rel(m.supplied("whale", "ETH"), 1000 * (1 + rs));
  expect_rel(m.borrowed("bob", "ETH"), 500 * growth);
  expect_rel(m.reserve("ETH", "liquidity_index"), 1 + rs);
  expect_rel(m.reserve("ETH", "borrow_index"), growth);
  // The pool keeps the reserve factor's share (and the compounding): cash covers the books.
  EXPECT_EQ(m.reserve("ETH", "available_liquidity"), 500.0);
  EXPECT_GT(500.0, m.reserve("ETH", "total_supply") - m.reserve("ETH", "total_debt"));
  // Rates were refreshed at the new utilisation.
  const double debt = m.reserve("ETH", "total_debt");
  expect_rel(m.reserve("ETH", "utilization"), debt / (debt + 500), 1e-12);
  // The debt is repaid in full from fresh ETH and the supplier takes everything back out.
  m.rig.fund("bob", "ETH", "100");
  m.ok("bob", "repay", aa("ETH", "max"));
  EXPECT_FALSE(m.state()["accounts"]["bob"]["borrowed"].contains("ETH"));
  m.ok("whale", "withdraw", aa("ETH", "max"));
  expect_rel(m.rig.balance("whale", "ETH").to_double(18), 1000 * (1 + rs));
  EXPECT_GE(m.rig.balance("aave", "ETH").raw(), 0);
  m.rig.expect_conserved();
}

TEST(LendingPoolTest, OperationsAccrueWithoutABlockHook) {
  Market m;
  const double growth = open_eth_loan(m);
  m.rig.now = m.rig.now + Duration::d(365);  // no on_block: the next op accrues first
  m.rig.host->begin(m.rig.now, m.rig.height);
  expect_rel(m.borrowed("bob", "ETH"), 500 * growth);  // the view projects to now
  m.rig.fund("bob", "ETH", "10");
  m.ok("bob", "repay", aa("ETH", "10"));
  expect_rel(m.borrowed("bob", "ETH"), 500 * growth - 10);
}

TEST(LendingPoolTest, BorrowIsLimitedByLtv) {
  Market m;
  m.rig.fund("whale", "USDC", "1M");
  m.rig.fund("bob", "ETH", "10");
  m.ok("whale", "supply", aa("USDC", "1M"));
  m.ok("bob", "supply", aa("ETH", "10"));  // borrowing power 0.8 * 20,000 = 16,000
  m.expect_revert("bob", "borrow", aa("USDC", "16000.000001"), "insufficient collateral");
  m.ok("bob", "borrow", aa("USDC", "15000"));
  m.expect_revert("bob", "borrow", aa("USDC", "1000.000001"), "insufficient collateral");
  m.ok("bob", "borrow", aa("USDC", "1000"));  // exactly at the limit
  EXPECT_NEAR(m.hf("bob"), 16500.0 / 16000, 1e-15);
  m.expect_revert("carol", "borrow", aa("USDC", "1"), "insufficient collateral");
}

TEST(LendingPoolTest, WithdrawKeepsTheHealthFactorAndNeedsLiquidity) {
  Market m;
  open_spec_position(m);  // HF 1.7291667 at ETH 2000
  // Collateral must keep 12,000 of threshold value: USDC 4,250 + ETH >= 7,750, i.e. 4.697 ETH.
  m.expect_revert("alice", "withdraw", aa("ETH", "5.4"), "health factor below 1");
  m.ok("alice", "withdraw", aa("ETH", "5.3"));
  EXPECT_GE(m.hf("alice"), 1.0);
  m.expect_revert("alice", "withdraw", aa("ETH", "5"), "insufficient supply");
  m.expect_revert("bob", "withdraw", aa("ETH", "1"), "nothing supplied in ETH");

  m.rig.fund("bob", "BTC", "10");
  m.ok("bob", "supply", aa("BTC", "10"));
  m.ok("bob", "borrow", aa("ETH", "4.7"));  // the pool keeps 0 ETH
  m.expect_revert("alice", "withdraw", aa("ETH", "0.1"), "insufficient liquidity");
  m.expect_revert("bob", "borrow", aa("ETH", "0.01"), "insufficient liquidity");
}

TEST(LendingPoolTest, RepayIsCappedAtTheDebt) {
  Market m;
  open_spec_position(m);
  m.rig.fund("alice", "DAI", "5000");  // 17,000 DAI in hand
  m.ok("alice", "repay", aa("DAI", "2000"));
  EXPECT_EQ(m.state()["accounts"]["alice"]["borrowed"]["DAI"], "10000");
  m.ok("alice", "repay", aa("DAI", "50000"));
  EXPECT_EQ(m.rig.balance("alice", "DAI"), m.rig.amount("DAI", "5000"));
  EXPECT_TRUE(m.state()["accounts"]["alice"]["borrowed"].empty());
  EXPECT_EQ(m.state()["accounts"]["alice"]["health_factor"], "inf");
  m.expect_revert("alice", "repay", aa("DAI", "1"), "no debt in DAI");
  m.ok("alice", "withdraw", aa("ETH", "max"));
  m.ok("alice", "withdraw", aa("USDC", "max"));
  EXPECT_FALSE(m.state()["accounts"].contains("alice"));
  m.rig.expect_conserved();
}

TEST(LendingPoolTest, MalformedOperationsRevertAndChangeNothing) {
  Market m;
  open_spec_position(m);
  m.expect_revert("bob", "stake", aa("ETH", "1"), "unknown op stake");
  m.expect_revert("bob", "supply", {{"amount", "1"}}, "missing arg asset");
  m.expect_revert("bob", "supply", {{"asset", "ETH"}}, "missing arg amount");
  m.expect_revert("bob", "supply", aa("ETH", "1.2.3"), "malformed arg amount");
  m.expect_revert("bob", "supply", aa("USDC", "0.0000001"), "malformed arg amount");
  m.expect_revert("bob", "supply", aa("ETH", "-1"), "amount must be positive");
  m.expect_revert("bob", "supply", aa("ETH", "0"), "amount must be positive");
  m.expect_revert("bob", "supply", aa("ETH", "max"), "malformed arg amount");
  m.expect_revert("bob", "supply", aa("XYZ", "1"), "unknown asset XYZ");
  m.expect_revert("bob", "supply", aa("SNX", "1"), "asset SNX is not listed");
  m.expect_revert("bob", "supply", aa("ETH", "1"), "insufficient balance");
  m.expect_revert("aave", "supply", aa("ETH", "1"), "the pool's own account cannot use the pool");
  m.expect_revert("whale", "repay", aa("DAI", "1"), "no debt in DAI");
  ASSERT_TRUE(m.rig.ledger->transfer(m.rig.account("alice"), m.rig.account("sink"), m.rig.asset("DAI"),
                                     m.rig.amount("DAI", "12000")));
  m.expect_revert("alice", "repay", aa("DAI", "1"), "insufficient balance");
  m.expect_revert("bob", "liquidate", {{"debt_asset", "DAI"}, {"collateral_asset", "ETH"}, {"amount", "1"}},
                  "missing arg borrower");
  m.expect_revert("bob", "liquidate", liq("nobody", "DAI", "ETH", "1"), "unknown account nobody");
  m.expect_revert("bob", "liquidate", {{"borrower", "alice"}, {"collateral_asset", "ETH"}, {"amount", "1"}},
                  "missing arg debt_asset");
  m.expect_revert("bob", "liquidate", liq("whale", "DAI", "ETH", "1"), "health factor not below 1");
  m.rig.set_price("ETH", 900);
  m.expect_revert("bob", "liquidate", liq("alice", "DAI", "ETH", "1"), "insufficient balance");
  m.expect_revert("bob", "liquidate", liq("alice", "ETH", "ETH", "1"), "borrower has no debt in ETH");
  m.expect_revert("bob", "liquidate", liq("alice", "DAI", "BTC", "1"), "borrower has no collateral in BTC");
  m.rig.expect_conserved();
}

TEST(LendingPoolTest, MissingOraclePriceReverts) {
  Market m(/*priced=*/false);
  ProtocolRig& rig = m.rig;
  LendingPool& pool = *m.pool;
  rig.fund("whale", "DAI", "1000");
  rig.fund("bob", "ETH", "1");
  ASSERT_TRUE(rig.apply(pool, "whale", "supply", aa("DAI", "1000")).ok);  // no price needed
  ASSERT_TRUE(rig.apply(pool, "bob", "supply", aa("ETH", "1")).ok);
  EXPECT_EQ(rig.apply(pool, "bob", "borrow", aa("DAI", "1")).reason, "no oracle price for ETH");
  rig.set_price("ETH", 2000);
  EXPECT_EQ(rig.apply(pool, "bob", "borrow", aa("DAI", "1")).reason, "no oracle price for DAI");
  rig.set_price("DAI", 1);
  EXPECT_TRUE(rig.apply(pool, "bob", "borrow", aa("DAI", "1")).ok);
  EXPECT_TRUE(pool.state(*rig.host)["accounts"]["bob"]["health_factor"].is_string());
}

TEST(LendingPoolTest, InstrumentsAndSnapshot) {
  Market m;
  open_spec_position(m);
  const auto instruments = m.pool->instruments(*m.rig.host);
  ASSERT_EQ(instruments.size(), 8u);
  EXPECT_EQ(instruments[0].id, "aave.ETH");
  EXPECT_EQ(instruments[1].id, "aave.ETH-debt");
  EXPECT_EQ(instruments[5].id, "aave.DAI-debt");
  const PriceVector prices = {2000, 1, 1, 50000, 2};
  const ProtocolSnapshot snap = m.pool->snapshot(*m.rig.host);
  EXPECT_DOUBLE_EQ(instruments[0].revalue(2.5, snap, prices), 5000);
  EXPECT_DOUBLE_EQ(instruments[5].revalue(100, snap, prices), -100);
  EXPECT_DOUBLE_EQ(instruments[5].deltas_per_unit[0], -1);
  EXPECT_EQ(instruments[6].underlyings, std::vector<AssetId>{m.rig.asset("BTC")});
  EXPECT_DOUBLE_EQ(instruments[6].revalue(1, snap, {}), 0);  // missing price: 0
  EXPECT_DOUBLE_EQ(*snap.get("total_debt.DAI"), 12000);
  EXPECT_DOUBLE_EQ(*snap.get("total_supply.DAI"), 100000);
  EXPECT_DOUBLE_EQ(*snap.get("price.ETH"), 2000);
  EXPECT_TRUE(snap.get("borrow_rate.DAI").has_value());
  EXPECT_EQ(m.pool->operations().back(), (std::pair<std::string, std::vector<std::string>>{
                                             "liquidate", {"borrower", "debt_asset", "collateral_asset", "amount"}}));
}

}  // namespace
}  // namespace shardsim::protocols::lending
