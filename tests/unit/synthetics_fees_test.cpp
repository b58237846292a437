// Tests the synthetics fee pool and backstop reserve on the protocol rig: exchange fees are shared
// by debt shares held when they were paid (a later issuer gets none of the earlier fees), claims
// pay exact integers rounded down and never more than the pool, the ledger is conserved; and the
// reserve, funded by anyone, backs the debt pool in the bad-debt query and the snapshot.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "protocols/synthetics/synthetics_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::synthetics {
namespace {

using testing::ProtocolRig;

struct FeeRig {
  ProtocolRig rig{{{"SNX", 18}, {"sUSD", 18}, {"sBTC", 18}, {"BTC", 8}, {"USDC", 6}}};
  std::unique_ptr<SyntheticsProtocol> p;

  FeeRig() {
    Config c;
    c.collateral = rig.asset("SNX");
    c.synths = {{rig.asset("sUSD"), std::nullopt, 0}, {rig.asset("sBTC"), rig.asset("BTC"), kPercentWad}};
    c.reserve = rig.asset("USDC");
    p = std::make_unique<SyntheticsProtocol>(c, "snx", rig.account("pool"));
    rig.set_price("SNX", 2);
    rig.set_price("BTC", 50000);
  }
  OpResult op(const std::string& who, const std::string& name, std::vector<TxArg> args = {}) {
    return rig.apply(*p, who, name, args);
  }
  void stake_issue(const std::string& who, const std::string& snx, const std::string& susd) {
    rig.fund(who, "SNX", snx);
    ASSERT_TRUE(op(who, "stake", {{"amount", snx}}).ok);
    ASSERT_TRUE(op(who, "issue", {{"amount", susd}}).ok);
  }
  i128 claim(const std::string& who) {
    const OpResult r = op(who, "claim_fees");
    if (!r.ok) return 0;
    EXPECT_EQ(r.outputs.at(0).key, "claimed");
    return r.outputs.at(0).raw;
  }
};

TEST(SyntheticsFees, SharedByDebtSharesAndClaimedExactly) {
  FeeRig f;
  f.stake_issue("a", "3000", "100");
  f.stake_issue("b", "3000", "200");
  // a trader (b's sUSD) exchanges 150 sUSD into sBTC: 1% fee = 1.5 sUSD into the pool
  ASSERT_TRUE(f.op("b", "exchange", {{"from", "sUSD"}, {"to", "sBTC"}, {"amount", "150"}}).ok);
  EXPECT_EQ(f.p->fee_pool(), f.rig.amount("sUSD", "1.5"));
  // c issues after the fee: it earns none of it
  f.stake_issue("c", "3000", "300");
  EXPECT_EQ(f.p->claimable_fees(f.rig.account("c")), 0);
  const i128 a = f.claim("a");
  const i128 b = f.claim("b");
  EXPECT_EQ(f.claim("c"), 0);
  // pro rata 1 : 2 of 1.5 sUSD, rounded down, the dust stays in the pool
  EXPECT_NEAR(static_cast<double>(a), 0.5e18, 2.0);
  EXPECT_NEAR(static_cast<double>(b), 1.0e18, 2.0);
  EXPECT_LE(a, 500'000'000'000'000'000);
  EXPECT_LE(b, 1'000'000'000'000'000'000);
  EXPECT_EQ(f.p->fee_pool().raw(), f.rig.amount("sUSD", "1.5").raw() - a - b);
  EXPECT_EQ(f.p->fee_pool(), f.rig.balance("pool", "sUSD"));
  EXPECT_FALSE(f.op("a", "claim_fees").ok);  // nothing left to claim: a revert
  EXPECT_EQ(f.op("nobody", "claim_fees").reason, "not a staker");
  f.rig.expect_conserved();
}

TEST(SyntheticsFees, FeesSurviveABurnOfTheShares) {
  FeeRig f;
  f.stake_issue("a", "3000", "100");
  ASSERT_TRUE(f.op("a", "exchange", {{"from", "sUSD"}, {"to", "sBTC"}, {"amount", "50"}}).ok);
  // a burns its remaining sUSD: its settled fees stay claimable
  ASSERT_TRUE(f.op("a", "burn", {{"amount", "50"}}).ok);
  EXPECT_GT(f.p->claimable_fees(f.rig.account("a")), 0);
  EXPECT_GT(f.claim("a"), 0);
  f.rig.expect_conserved();
}

TEST(SyntheticsReserve, BacksTheDebtPool) {
  FeeRig f;
  f.stake_issue("a", "1000", "600");  // 1000 SNX at 2 = 2000 backs 600 of debt
  f.rig.set_price("SNX", 0.5);        // 500 backs 600: 100 of bad debt
  EXPECT_EQ(f.p->bad_debt_usd_wad(*f.rig.host), 100 * kWadUnit);
  EXPECT_EQ(f.op("b", "fund_reserve", {{"amount", "40"}}).reason, "insufficient USDC balance");
  f.rig.fund("b", "USDC", "40");
  ASSERT_TRUE(f.op("b", "fund_reserve", {{"amount", "40"}}).ok);
  EXPECT_EQ(f.p->reserve(), f.rig.amount("USDC", "40"));
  EXPECT_EQ(f.rig.balance("pool", "USDC"), f.rig.amount("USDC", "40"));
  EXPECT_EQ(f.p->bad_debt_usd_wad(*f.rig.host), 60 * kWadUnit);  // USDC without a feed counts 1 USD
  f.rig.set_price("USDC", 1);
  EXPECT_EQ(f.p->snapshot(*f.rig.host).get("reserve_value"), 40.0);
  EXPECT_EQ(f.p->snapshot(*f.rig.host).get("staker.a.shares"), 600.0);
  f.rig.expect_conserved();
}

TEST(SyntheticsReserve, NoReserveConfigured) {
  ProtocolRig rig{{{"SNX", 18}, {"sUSD", 18}}};
  Config c;
  c.collateral = rig.asset("SNX");
  c.synths = {{rig.asset("sUSD"), std::nullopt, 0}};
  SyntheticsProtocol p(c, "snx", rig.account("pool"));
  EXPECT_EQ(rig.apply(p, "b", "fund_reserve", {{"amount", "1"}}).reason, "no reserve asset configured");
  c.reserve = rig.asset("SNX");
  EXPECT_THROW(SyntheticsProtocol(c, "snx", rig.account("pool")), std::invalid_argument);
}

}  // namespace
}  // namespace shardsim::protocols::synthetics
