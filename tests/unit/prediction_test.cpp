// Tests protocols/prediction: LMSR prices and trade costs against the cost function, the maker's
// worst-case loss, complete sets, designated and public reports, dispute bonds across two
// escalation rounds, forfeits at finalisation, forks, redemption with fees, and reverts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "protocols/prediction/lmsr.hpp"
#include "protocols/prediction/prediction_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::prediction {
namespace {

using testing::ProtocolRig;

// Independent reference: C(q) = b*ln(sum exp(q_i/b)) in long double, whole units.
long double ref_cost(const std::vector<long double>& q, long double b) {
  const long double m = *std::max_element(q.begin(), q.end());
  long double s = 0;
  for (const long double x : q) s += std::exp((x - m) / b);
  return m + b * std::log(s);
}

struct Fixture {
  ProtocolRig rig{{{"USDC", 6}, {"ETH", 18}}};
  std::unique_ptr<PredictionProtocol> p;

  explicit Fixture(Params prm = Params{}, const std::string& collateral = "USDC") {
    if (prm.b.is_zero()) prm = Params::defaults(rig.asset(collateral), rig.registry.decimals(rig.asset(collateral)));
    p = std::make_unique<PredictionProtocol>(prm, "augur", rig.account("augur"));
    for (const char* who : {"creator", "dr", "alice", "bob", "carol"}) rig.fund(who, collateral, "1000000");
  }
  using Str = const std::string&;
  using Args = std::vector<TxArg>;
  OpResult op(Str who, Str name, const Args& args) { return rig.apply(*p, who, name, args); }
  void ok(Str who, Str name, const Args& args) {
    const OpResult r = op(who, name, args);
    ASSERT_TRUE(r.ok) << name << ": " << r.reason;
  }
  void expect_revert(Str who, Str name, const Args& args, Str reason) {
    const std::string before = p->state(*rig.host).dump();
    const OpResult r = op(who, name, args);
    EXPECT_TRUE(!r.ok && r.reason == reason) << name << ": got " << (r.ok ? "success" : r.reason);
    EXPECT_EQ(p->state(*rig.host).dump(), before) << "a revert changed the state";
  }
  void create(const std::string& outcomes = "YES,NO", const std::string& end = "6h") {
    ok("creator", "create_market", {{"id", "M1"}, {"outcomes", outcomes}, {"end", end}, {"designated_reporter", "dr"}});
  }
  const Market& m() const { return *p->market("M1"); }
  i128 bal(const std::string& who, const std::string& asset = "USDC") { return rig.balance(who, asset).raw(); }
  i128 units(const std::string& text, const std::string& asset = "USDC") { return rig.amount(asset, text).raw(); }
  nlohmann::ordered_json state() { return p->state(*rig.host)["markets"]["M1"]; }
};

TEST(PredictionTest, LmsrPricesSumToOne) {
  Fixture f;
  f.create("A,B,C");
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "A"}, {"shares", "700"}});
  f.ok("bob", "trade", {{"market", "M1"}, {"outcome", "C"}, {"shares", "2500.5"}});
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "A"}, {"shares", "-300"}});
  const std::vector<double> p = lmsr::prices(f.m().maker_q_units, f.m().b_units);
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-12);
  // p_i = exp(q_i/b) / sum exp(q_j/b), recomputed.
  const std::vector<long double> q{0, 400, 0, 2500.5};
  long double z = 0;
  for (long double x : q) z += std::exp(x / 1000);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(p[i], static_cast<double>(std::exp(q[i] / 1000) / z), 1e-12);
  // The state's decimal strings sum to 1 within a few WAD units.
  const auto prices_json = f.state()["prices"];
  double from_state = 0;
  for (const auto& v : prices_json) from_state += std::stod(v.get<std::string>());
  EXPECT_NEAR(from_state, 1.0, 1e-15);
  EXPECT_EQ(f.state()["status"], "trading");
}

TEST(PredictionTest, TradeCostEqualsCostFunctionDifference) {
  Fixture f;
  f.create();
  std::vector<long double> q{0, 0, 0};
  const struct { const char* who; std::size_t k; const char* shares; } trades[] = {
      {"alice", 1, "100"}, {"bob", 2, "250.25"}, {"alice", 1, "1234.5"}, {"alice", 1, "-500"}, {"bob", 2, "-0.000001"}};
  for (const auto& [who, k, shares] : trades) {
    const i128 before = f.bal(who);
    std::vector<long double> after = q;
    after[k] += std::stold(shares);
    const long double exact_units = (ref_cost(after, 1000) - ref_cost(q, 1000)) * 1e6L;  // raw USDC
    f.ok(who, "trade", {{"market", "M1"}, {"outcome", k == 1 ? "YES" : "NO"}, {"shares", shares}});
    const long double charged = static_cast<long double>(before - f.bal(who));
    // Charged C(q+d)-C(q) rounded up, plus a 1-unit margin: within [exact, exact + 2 units].
    EXPECT_GE(charged, exact_units - 1e-6L) << shares;
    EXPECT_LE(charged, exact_units + 2.0L) << shares;
    q = after;
  }
}

TEST(PredictionTest, TradeCostRelativeToCostFunctionWith18Decimals) {
  Fixture f(Params{}, "ETH");
  f.create();
  const i128 before = f.bal("alice", "ETH");
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "NO"}, {"shares", "321.123456789"}});
  const long double exact = ref_cost({0, 0, 321.123456789L}, 1000) - ref_cost({0, 0, 0}, 1000);
  const double charged = static_cast<double>(before - f.bal("alice", "ETH")) / 1e18;
  EXPECT_NEAR(charged, static_cast<double>(exact), 1e-9 * static_cast<double>(exact));
}

TEST(PredictionTest, MakerWorstCaseLossIsBLnN) {
  Fixture f;
  const i128 creator_before = f.bal("creator");
  f.create();  // n = 3 with INVALID
  const long double bound_units = 1000.0L * std::log(3.0L) * 1e6L;
  EXPECT_EQ(f.m().subsidy_units, static_cast<i128>(std::ceil(bound_units)) + 1);
  EXPECT_EQ(creator_before - f.bal("creator"), f.m().subsidy_units + f.units("10"));
  // Traders pile into YES until it is near-certain and YES wins: the loss nears, never exceeds, b*ln(n).
  for (int i = 0; i < 20; ++i) f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "1000"}});
  const i128 revenue = f.m().collateral_units - f.m().subsidy_units;
  const i128 maker_loss = f.m().maker_q_units[1] - revenue;
  EXPECT_GT(static_cast<long double>(maker_loss), 0.99L * bound_units);
  EXPECT_LE(static_cast<long double>(maker_loss), bound_units);
  EXPECT_GE(f.m().collateral_units, f.m().worst_case_liability_units());
  f.rig.advance(core::Duration::h(6), *f.p);
  f.ok("dr", "report", {{"market", "M1"}, {"outcome", "YES"}});
  f.rig.advance(core::Duration::h(24), *f.p);
  f.ok("bob", "finalize", {{"market", "M1"}});
  // The creator got back exactly the subsidy less the loss, and the no-show bond.
  EXPECT_EQ(f.bal("creator") - creator_before, -maker_loss);
  f.rig.expect_conserved();
}

TEST(PredictionTest, CompleteSetMintAndRedeem) {
  Fixture f;
  f.create();
  const i128 alice0 = f.bal("alice"), pool0 = f.bal("augur");
  f.ok("alice", "buy_complete_set", {{"market", "M1"}, {"amount", "100"}});
  EXPECT_EQ(alice0 - f.bal("alice"), f.units("100"));
  EXPECT_EQ(f.bal("augur") - pool0, f.units("100"));
  for (const i128 s : f.m().outstanding_units) EXPECT_EQ(s, f.units("100"));
  for (const i128 s : f.m().holdings.at(f.rig.account("alice"))) EXPECT_EQ(s, f.units("100"));
  EXPECT_EQ(f.state()["shares_outstanding"]["NO"], "100");
  f.ok("alice", "sell_complete_set", {{"market", "M1"}, {"amount", "40.5"}});
  EXPECT_EQ(alice0 - f.bal("alice"), f.units("59.5"));
  EXPECT_EQ(f.state()["shares_outstanding"]["INVALID"], "59.5");
  EXPECT_EQ(f.m().complete_sets_units, f.units("59.5"));
  // Selling one outcome breaks the set: only what is left of every outcome can be sold.
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "NO"}, {"shares", "-9.5"}});
  const std::string short_sets = "insufficient shares for complete sets";
  f.expect_revert("alice", "sell_complete_set", {{"market", "M1"}, {"amount", "50.01"}}, short_sets);
  f.ok("alice", "sell_complete_set", {{"market", "M1"}, {"amount", "50"}});
  f.expect_revert("bob", "sell_complete_set", {{"market", "M1"}, {"amount", "1"}}, short_sets);
  f.rig.expect_conserved();
}

TEST(PredictionTest, DesignatedReport) {
  Fixture f;
  f.create();
  f.expect_revert("dr", "report", {{"market", "M1"}, {"outcome", "YES"}}, "market has not ended");
  f.rig.advance(core::Duration::h(6), *f.p);
  EXPECT_EQ(f.state()["status"], "reporting");
  f.expect_revert("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "1"}}, "trading closed");
  f.expect_revert("alice", "report", {{"market", "M1"}, {"outcome", "NO"}}, "designated reporting window open");
  f.expect_revert("dr", "report", {{"market", "M1"}, {"outcome", "MAYBE"}}, "unknown outcome MAYBE");
  const i128 dr0 = f.bal("dr"), creator0 = f.bal("creator");
  f.ok("dr", "report", {{"market", "M1"}, {"outcome", "YES"}});
  EXPECT_EQ(dr0 - f.bal("dr"), f.units("10"));            // the reporter stakes its bond
  EXPECT_EQ(f.bal("creator") - creator0, f.units("10"));  // the no-show bond goes back
  const auto s = f.state();
  EXPECT_EQ(s["status"], "reporting");
  EXPECT_EQ(s["tentative_outcome"], "YES");
  EXPECT_TRUE(s["final_outcome"].is_null());
  EXPECT_EQ(s["round"], 1);
  EXPECT_EQ(s["stakes"]["YES"], "10");
  EXPECT_EQ(s["dispute_bonds"]["NO"], "20");
  f.expect_revert("alice", "report", {{"market", "M1"}, {"outcome", "NO"}}, "already reported");
  f.expect_revert("alice", "finalize", {{"market", "M1"}}, "dispute window open");
  f.rig.advance(core::Duration::h(24), *f.p);
  const i128 dr1 = f.bal("dr");
  f.ok("alice", "finalize", {{"market", "M1"}});
  EXPECT_EQ(f.bal("dr") - dr1, f.units("10"));  // unchallenged: the bond comes back
  EXPECT_EQ(f.state()["status"], "finalized");
  EXPECT_EQ(f.state()["final_outcome"], "YES");
  f.rig.expect_conserved();
}

TEST(PredictionTest, FirstPublicReporterWinsNoShowBond) {
  Fixture f;
  f.create();
  f.rig.advance(core::Duration::h(30), *f.p);  // designated window (6h..30h) has passed
  const i128 bob0 = f.bal("bob");
  f.ok("bob", "report", {{"market", "M1"}, {"outcome", "NO"}});
  EXPECT_EQ(f.state()["stakes"]["NO"], "20");  // own 10 + the creator's no-show 10
  f.expect_revert("dr", "report", {{"market", "M1"}, {"outcome", "YES"}}, "already reported");
  f.rig.advance(core::Duration::h(24), *f.p);
  f.ok("carol", "finalize", {{"market", "M1"}});
  EXPECT_EQ(f.bal("bob") - bob0, f.units("10"));
}

// Round 1: YES reported with 10. Round n bond for w: 2*A_n - 3*S(w,n).
void escalate_two_rounds(Fixture& f) {
  f.create();
  f.rig.advance(core::Duration::h(6), *f.p);
  f.ok("dr", "report", {{"market", "M1"}, {"outcome", "YES"}});
  for (const std::size_t w : {0, 2}) EXPECT_EQ(f.m().dispute_bond_units(w), f.units("20"));  // 2*10 - 3*0
  f.ok("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "5"}});
  f.ok("carol", "dispute", {{"market", "M1"}, {"outcome", "INVALID"}, {"stake", "3"}});
  EXPECT_EQ(f.state()["dispute_filled"]["NO"], "5");
  EXPECT_EQ(f.state()["round"], 1);
  const i128 bob0 = f.bal("bob"), carol0 = f.bal("carol");
  f.ok("bob", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "100"}});  // fills with 15
  EXPECT_EQ(bob0 - f.bal("bob"), f.units("15"));
  EXPECT_EQ(f.bal("carol") - carol0, f.units("3"));  // the unfilled INVALID bond is refunded
  auto s = f.state();
  EXPECT_EQ(s["status"], "disputed");
  EXPECT_EQ(s["tentative_outcome"], "NO");
  EXPECT_EQ(s["round"], 2);
  EXPECT_EQ(s["stakes"]["NO"], "20");
  // Round 2: A = 30, S(YES) = 10, S(INVALID) = 0.
  EXPECT_EQ(s["dispute_bonds"]["YES"], "30");
  EXPECT_EQ(s["dispute_bonds"]["INVALID"], "60");
  f.expect_revert("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "1"}}, "outcome is already tentative");
  f.rig.advance(core::Duration::h(23), *f.p);
  f.ok("carol", "dispute", {{"market", "M1"}, {"outcome", "YES"}, {"stake", "30"}});
  s = f.state();
  EXPECT_EQ(s["tentative_outcome"], "YES");
  EXPECT_EQ(s["round"], 3);
  EXPECT_EQ(s["stakes"]["YES"], "40");
  // Round 3: A = 60, S(NO) = 20 -> 2*60 - 3*20 = 60; S(YES) = 2/3 of A.
  EXPECT_EQ(s["dispute_bonds"]["NO"], "60");
}

TEST(PredictionTest, DisputeBondAcrossTwoEscalationRounds) {
  Fixture f;
  escalate_two_rounds(f);
  f.rig.expect_conserved();
}

TEST(PredictionTest, FinalizeForfeitsLosingStakeTwentyPercentBurned) {
  Fixture f;
  escalate_two_rounds(f);
  f.ok("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "7"}});  // never fills
  f.rig.advance(core::Duration::h(24), *f.p);
  f.expect_revert("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "60"}}, "dispute window closed");
  const i128 dr0 = f.bal("dr"), carol0 = f.bal("carol"), alice0 = f.bal("alice"), bob0 = f.bal("bob");
  const core::Amount burned0 = f.rig.ledger->flows(f.rig.asset("USDC")).burned;
  f.ok("bob", "finalize", {{"market", "M1"}});
  // Forfeited: NO's 20. 20% = 4 burned; 16 pro rata to YES stakers (dr 10, carol 30 of 40).
  EXPECT_EQ(f.rig.ledger->flows(f.rig.asset("USDC")).burned - burned0, f.rig.amount("USDC", "4"));
  EXPECT_EQ(f.bal("dr") - dr0, f.units("14"));
  EXPECT_EQ(f.bal("carol") - carol0, f.units("42"));
  EXPECT_EQ(f.bal("alice") - alice0, f.units("7"));  // unfilled partial refunded; the 5 in NO is lost
  EXPECT_EQ(f.bal("bob"), bob0);
  EXPECT_EQ(f.state()["final_outcome"], "YES");
  EXPECT_EQ(f.state()["burned"], "4");
  f.expect_revert("bob", "finalize", {{"market", "M1"}}, "already finalized");
  EXPECT_EQ(f.bal("augur"), f.m().collateral_units);  // only share backing is left
  f.rig.expect_conserved();
}

TEST(PredictionTest, ForkAboveThresholdFreezesThenResolvesToMostStake) {
  Params prm = Params::defaults(0, 6);
  prm.fork_threshold = core::Amount::units(50'000'000);  // 50 USDC
  Fixture f(prm);
  escalate_two_rounds(f);  // bonds 20, 30: below the threshold
  // Round 3 bond for NO is 60 > 50: filling it forks.
  f.ok("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "60"}});
  auto s = f.state();
  EXPECT_EQ(s["status"], "forked");
  EXPECT_EQ(s["stakes"]["NO"], "80");
  EXPECT_EQ(s["stakes"]["YES"], "40");
  EXPECT_EQ(s["fork_ends"], (f.rig.now + core::Duration::d(60)).str());
  f.expect_revert("bob", "dispute", {{"market", "M1"}, {"outcome", "YES"}, {"stake", "1"}}, "market forked");
  f.rig.advance(core::Duration::d(59), *f.p);
  EXPECT_FALSE(f.op("bob", "finalize", {{"market", "M1"}}).ok);
  f.rig.advance(core::Duration::d(1), *f.p);
  const i128 alice0 = f.bal("alice"), bob0 = f.bal("bob"), carol0 = f.bal("carol");
  f.ok("bob", "finalize", {{"market", "M1"}});
  EXPECT_EQ(f.state()["final_outcome"], "NO");
  // Forfeited YES 40: 8 burned, 32 to NO's 80 of stake (alice 5+60, bob 15).
  EXPECT_EQ(f.state()["burned"], "8");
  EXPECT_EQ(f.bal("alice") - alice0, f.units("91"));  // 65 + 32*65/80
  EXPECT_EQ(f.bal("bob") - bob0, f.units("21"));      // 15 + 32*15/80
  EXPECT_EQ(f.bal("carol"), carol0);
  f.rig.expect_conserved();
}

TEST(PredictionTest, RedeemWithFees) {
  Fixture f;
  f.create();
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "200"}});
  f.ok("bob", "buy_complete_set", {{"market", "M1"}, {"amount", "50"}});
  f.ok("bob", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "-50"}});
  f.rig.advance(core::Duration::h(6), *f.p);
  f.expect_revert("alice", "redeem", {{"market", "M1"}}, "market not finalized");
  f.ok("dr", "report", {{"market", "M1"}, {"outcome", "YES"}});
  f.rig.advance(core::Duration::h(24), *f.p);
  f.ok("carol", "finalize", {{"market", "M1"}});
  EXPECT_EQ(f.bal("augur"), f.units("200"));  // alice's 200 YES; bob's NO and INVALID pay nothing
  const i128 alice0 = f.bal("alice"), creator0 = f.bal("creator"), dr0 = f.bal("dr");
  f.ok("alice", "redeem", {{"market", "M1"}});
  EXPECT_EQ(f.bal("alice") - alice0, f.units("197"));  // 200 less 1% and 0.5%
  EXPECT_EQ(f.bal("creator") - creator0, f.units("2"));
  EXPECT_EQ(f.bal("dr") - dr0, f.units("1"));  // the only staker of the final outcome
  const i128 bob0 = f.bal("bob");
  f.ok("bob", "redeem", {{"market", "M1"}});  // losing shares: nothing paid, shares gone
  EXPECT_EQ(f.bal("bob"), bob0);
  f.expect_revert("bob", "redeem", {{"market", "M1"}}, "nothing to redeem");
  EXPECT_EQ(f.bal("augur"), 0);
  EXPECT_EQ(f.state()["shares_outstanding"]["YES"], "0");
  f.rig.expect_conserved();
}

TEST(PredictionTest, InvalidPaysOneNthPerShareLessFees) {
  Fixture f;
  f.create("A,B,C");  // n = 4
  f.ok("alice", "buy_complete_set", {{"market", "M1"}, {"amount", "10"}});
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "B"}, {"shares", "30"}});
  f.rig.advance(core::Duration::h(6), *f.p);
  f.ok("dr", "report", {{"market", "M1"}, {"outcome", "INVALID"}});
  f.rig.advance(core::Duration::h(24), *f.p);
  f.ok("carol", "finalize", {{"market", "M1"}});
  // 70 shares in all / 4 = 17.5 gross; fees ceil(0.175) and ceil(0.0875) in micro-USDC.
  const i128 alice0 = f.bal("alice");
  f.ok("alice", "redeem", {{"market", "M1"}});
  EXPECT_EQ(f.bal("alice") - alice0, f.units("17.2375"));
  const auto values = f.p->snapshot(*f.rig.host);
  EXPECT_NEAR(*values.get("M1-B"), 0.985 / 4, 1e-15);
  f.rig.expect_conserved();
}

TEST(PredictionTest, InstrumentsValueSharesAtProbability) {
  Fixture f;
  f.create();
  f.ok("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", "500"}});
  const auto inst = f.p->instruments(*f.rig.host);
  ASSERT_EQ(inst.size(), 3u);
  EXPECT_EQ(inst[0].id, "augur.M1-INVALID");
  EXPECT_EQ(inst[1].id, "augur.M1-YES");
  EXPECT_EQ(inst[2].id, "augur.M1-NO");
  const ProtocolSnapshot snap = f.p->snapshot(*f.rig.host);
  const double p_yes = std::exp(0.5) / (2 + std::exp(0.5));
  for (const auto& d : inst) EXPECT_TRUE(d.underlyings.empty() && d.protocol == "augur") << d.id;
  EXPECT_NEAR(inst[1].revalue(10, snap, {}), 10 * p_yes, 1e-12);
  EXPECT_NEAR(inst[2].revalue(10, snap, {}), 10 * (1 - p_yes) / 2, 1e-12);
  // Bounded to [0, 1] per share whatever the snapshot says; unknown keys value 0.
  ProtocolSnapshot odd;
  odd.values = {{"M1-YES", 1.7}, {"M1-NO", -0.2}};
  EXPECT_EQ(inst[1].revalue(2, odd, {}), 2.0);
  EXPECT_EQ(inst[2].revalue(2, odd, {}), 0.0);
  EXPECT_EQ(inst[0].revalue(2, odd, {}), 0.0);
}

TEST(PredictionTest, RevertsLeaveEverythingUnchanged) {
  Fixture f;
  f.create();
  const auto ops = f.p->operations();
  ASSERT_EQ(ops.size(), 8u);
  EXPECT_EQ(ops[3], (std::pair<std::string, std::vector<std::string>>{"trade", {"market", "outcome", "shares", "limit"}}));
  f.expect_revert("alice", "frobnicate", {}, "unknown op frobnicate");
  f.expect_revert("alice", "buy_complete_set", {{"market", "M1"}}, "missing arg amount");
  f.expect_revert("alice", "buy_complete_set", {{"market", "M1"}, {"amount", "1.0000001"}}, "malformed arg amount");
  f.expect_revert("alice", "buy_complete_set", {{"market", "M1"}, {"amount", "-1"}}, "amount must be positive");
  f.expect_revert("alice", "buy_complete_set", {{"amount", "1"}}, "missing arg market");
  f.expect_revert("alice", "buy_complete_set", {{"market", "M9"}, {"amount", "1"}}, "unknown market M9");
  f.expect_revert("alice", "buy_complete_set", {{"market", "M1"}, {"amount", "2000000"}}, "insufficient balance");
  f.expect_revert("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}}, "missing arg shares");
  for (const auto& [shares, why] : std::vector<std::pair<std::string, std::string>>{
           {"0", "shares must be non-zero"}, {"-1", "insufficient shares"}, {"1e9", "malformed arg shares"},
           {"5000000", "insufficient balance"}, {"1000000000000000000000000000", "trade too large"}}) {
    f.expect_revert("alice", "trade", {{"market", "M1"}, {"outcome", "YES"}, {"shares", shares}}, why);
  }
  f.expect_revert("alice", "dispute", {{"market", "M1"}, {"outcome", "NO"}, {"stake", "5"}}, "not reported");
  f.expect_revert("alice", "finalize", {{"market", "M1"}}, "not reported");
  const auto create = [&](const std::string& who, const std::string& id, const std::string& outs,
                          const std::string& end, const std::string& dr, const std::string& why) {
    f.expect_revert(who, "create_market", {{"id", id}, {"outcomes", outs}, {"end", end}, {"designated_reporter", dr}},
                    why);
  };
  create("creator", "M1", "YES,NO", "6h", "dr", "market M1 exists");
  create("creator", "M-2", "YES,NO", "6h", "dr", "malformed market id (letters, digits, _)");
  create("creator", "M2", "YES", "6h", "dr", "a market needs at least 2 outcomes");
  create("creator", "M2", "YES,YES", "6h", "dr", "duplicate outcome YES");
  create("creator", "M2", "YES,INVALID", "6h", "dr", "duplicate outcome INVALID");
  create("creator", "M2", "YES,,NO", "6h", "dr", "malformed outcome name \"\" (letters, digits, _)");
  create("creator", "M2", "YES,NO", "0s", "dr", "end must be in the future");
  create("creator", "M2", "YES,NO", "6x", "dr", "malformed arg end");
  create("creator", "M2", "YES,NO", "6h", "nobody", "unknown account nobody");
  create("nobody2", "M2", "YES,NO", "6h", "dr", "insufficient balance for subsidy and no-show bond");
  f.expect_revert("creator", "create_market", {{"id", "M2"}, {"outcomes", "YES,NO"}, {"end", "6h"}},
                  "missing arg designated_reporter");
  f.rig.expect_conserved();
}

}  // namespace
}  // namespace shardsim::protocols::prediction
