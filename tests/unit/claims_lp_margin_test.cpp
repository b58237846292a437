// Tests the margin of the instruments the article names beside the linear ones: prediction
// shares scanned by resolving their market (worked examples: a long and a short binary share, a
// complete set, YES against NO) with the resolution charge, and LP shares revalued by the
// constant-product formula across the scan range (value x sqrt(1 +- r)), beside a 10x BTC perp
// against margining each on its own.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "broker/margin_engine.hpp"
#include "protocols/amm/amm_value.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::broker {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0, kBtc = 1, kEth = 2;
const PriceVector kPrices = {1.0, 50'000.0, 2'000.0};

// The shares of a binary market M1 as the prediction protocol describes them: INVALID, YES, NO.
struct Binary {
  std::vector<InstrumentDescriptor> shares = protocols::prediction::outcome_claims("augur", "M1", {"INVALID", "YES", "NO"});
  ProtocolSnapshot snap;
  MarginConfig cfg;
  explicit Binary(double p_yes, double p_invalid = 0.0) {
    snap.values = {{"M1-INVALID", p_invalid}, {"M1-YES", p_yes}, {"M1-NO", 1.0 - p_yes - p_invalid}, {"M1.open", 1.0}};
    cfg.resolution_charge = 0.02;
  }
  const InstrumentDescriptor& yes() const { return shares[1]; }
  const InstrumentDescriptor& no() const { return shares[2]; }
  const InstrumentDescriptor& invalid() const { return shares[0]; }
  Position pos(const InstrumentDescriptor& d, double q) { return Position{&d, q, &snap}; }
  MarginResult margin(std::vector<Position> p) { return portfolio_margin(p, kPrices, cfg); }
};

TEST(OutcomeScan, LongBinaryShareLosesItsPriceWhenTheOtherSideWins) {
  Binary b(0.3);
  const MarginResult r = b.margin({b.pos(b.yes(), 100)});
  // Long 100 YES at 0.3 is worth 30; NO winning takes all of it.
  EXPECT_NEAR(r.outcome_scan_risk, 30.0, 1e-9);
  EXPECT_NEAR(r.resolution_addon, 2.0, 1e-9);  // 2% of the largest payoff, 100 x 1
  EXPECT_NEAR(r.initial, 32.0, 1e-9);
  EXPECT_NEAR(r.maintenance, 0.75 * 32.0, 1e-9);
  EXPECT_TRUE(r.groups.empty());  // no price group: the share has no underlying
}

TEST(OutcomeScan, ShortBinaryShareLosesOneMinusItsPrice) {
  Binary b(0.3);
  const MarginResult r = b.margin({b.pos(b.yes(), -100)});
  EXPECT_NEAR(r.outcome_scan_risk, 70.0, 1e-9);  // YES wins: pays 100, received 30
  EXPECT_NEAR(r.initial, 72.0, 1e-9);
}

TEST(OutcomeScan, CompleteSetCarriesOnlyTheResolutionCharge) {
  Binary b(0.3, 0.05);
  const MarginResult r = b.margin({b.pos(b.yes(), 100), b.pos(b.no(), 100), b.pos(b.invalid(), 100)});
  EXPECT_NEAR(r.outcome_scan_risk, 0.0, 1e-9);  // pays 100 however the market resolves
  // 2% of each leg's largest payoff: 1 for YES and NO, 1/3 for INVALID (it pays 1/n).
  const double charge = 0.02 * (100 + 100 + 100.0 / 3);
  EXPECT_NEAR(r.initial, charge, 1e-9);
  // Each leg alone could lose its whole value: gross is far above net.
  EXPECT_NEAR(r.gross, 30 + 65 + 5 + charge, 1e-9);
}

TEST(OutcomeScan, YesAgainstNoNetsExceptForInvalid) {
  Binary b(0.3);
  const MarginResult r = b.margin({b.pos(b.yes(), 100), b.pos(b.no(), 100)});
  // Worth 100 now; INVALID pays each share 1/3: 66.67.
  EXPECT_NEAR(r.outcome_scan_risk, 100.0 - 200.0 / 3.0, 1e-9);
  EXPECT_LT(r.initial, r.gross);
}

TEST(OutcomeScan, MarketsDoNotNetAgainstEachOther) {
  Binary b(0.3);
  std::vector<InstrumentDescriptor> other = protocols::prediction::outcome_claims("augur", "M2", {"INVALID", "YES", "NO"});
  b.snap.values.emplace_back("M2-YES", 0.3);
  const MarginResult r = b.margin({b.pos(b.yes(), 100), b.pos(other[1], 100)});
  EXPECT_NEAR(r.outcome_scan_risk, 60.0, 1e-9);
}

TEST(OutcomeScan, ResolutionChargeIsConfigurable) {
  Binary b(0.3);
  b.cfg.resolution_charge = 0.10;
  EXPECT_NEAR(b.margin({b.pos(b.yes(), 100)}).initial, 40.0, 1e-9);
  b.cfg.resolution_charge = 1.5;
  EXPECT_TRUE(b.cfg.invalid_reason().has_value());
}

// ---- LP shares ------------------------------------------------------------------------------

// The AMM's own revaluation (protocols/amm/amm_value.hpp) of an ETH/USDC share: 1,000 ETH and
// 2,000,000 USDC, 10,000 LP units in all.
struct Pool {
  double k = 1'000.0 * 2'000'000.0;
  double supply = 10'000.0;
  InstrumentDescriptor lp;
  InstrumentDescriptor btc_perp;
  ProtocolSnapshot snap;
  MarginConfig cfg;
  Pool() {
    lp.id = "uni.LP";
    lp.protocol = "uni";
    lp.underlyings = {kEth, kUsdc};
    lp.mark_by_revalue = true;
    btc_perp.id = "dydx.BTC-PERP";
    btc_perp.protocol = "dydx";
    btc_perp.underlyings = {kBtc};
    btc_perp.deltas_per_unit = {1.0};
    lp.revalue = [this](double q, const ProtocolSnapshot&, const PriceVector& p) {
      return q * protocols::amm::lp_value_per_unit(k, supply, p[kEth], p[kUsdc]);
    };
    btc_perp.revalue = [](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * (p[kBtc] - 50'000.0); };
    cfg.scan_range = {{kEth, 0.12}, {kBtc, 0.10}};
  }
  Position pos(const InstrumentDescriptor& d, double q) { return Position{&d, q, &snap}; }
};

TEST(LpScan, ValueMovesWithTheSquareRootOfThePrice) {
  Pool pool;
  const double v0 = pool.lp.revalue(1.0, pool.snap, kPrices);
  EXPECT_NEAR(v0, 400.0, 1e-9);  // (1,000 x 2,000 + 2,000,000) / 10,000
  for (const double r : {0.12, -0.12, 0.24, -0.24}) {
    PriceVector moved = kPrices;
    moved[kEth] *= 1 + r;
    EXPECT_NEAR(pool.lp.revalue(1.0, pool.snap, moved), v0 * std::sqrt(1 + r), 1e-9) << r;
  }
}

TEST(LpScan, ScanRiskIsTheSquareRootMoveAndExceedsTheLinearOne) {
  Pool pool;
  const MarginResult r = portfolio_margin(std::vector<Position>{pool.pos(pool.lp, 100)}, kPrices, pool.cfg);
  const double v = 100 * 400.0;
  // Down 12%: v x (1 - sqrt(0.88)); the extreme down 24% counts 35%: v x 0.35 x (1 - sqrt(0.76)), less.
  const double expected = v * (1 - std::sqrt(0.88));
  ASSERT_EQ(r.groups.size(), 2u);  // ETH and USDC
  EXPECT_NEAR(r.groups[1].scan_risk, expected, 1e-6);
  // More than a linear holding of the same ETH delta (half the value in ETH) loses, v/2 x 12%:
  // the share is short convexity, and that impermanent loss is in the requirement.
  EXPECT_GT(expected, v / 2 * 0.12);
  // Impermanent loss across the range: the share loses against holding its reserves.
  EXPECT_NEAR(std::sqrt(0.88) - (1 + 0.88) / 2, protocols::amm::impermanent_loss(0.88) * (1 + 0.88) / 2, 1e-12);
}

TEST(LpScan, LpShareBesideTenTimesBtcPerpNeedsLessThanSeparately) {
  Pool pool;
  pool.cfg.credits = {CreditPair{kBtc, kEth, 0.6}};
  // 10x: 1 BTC (50,000) of perp on 5,000 of margin; an LP share of 40,000 beside it.
  const std::vector<Position> together = {pool.pos(pool.lp, 100), pool.pos(pool.btc_perp, -1)};
  const MarginResult combined = portfolio_margin(together, kPrices, pool.cfg);
  const double lp_alone = standalone_margin(together[0], kPrices, pool.cfg);
  const double perp_alone = standalone_margin(together[1], kPrices, pool.cfg);
  EXPECT_NEAR(perp_alone, 5'000.0, 1e-6);
  EXPECT_NEAR(combined.gross, lp_alone + perp_alone, 1e-6);
  // Long ETH through the LP against short BTC: the BTC/ETH credit offsets part of both scans.
  EXPECT_LT(combined.initial, lp_alone + perp_alone);
  EXPECT_GT(combined.credits, 0.0);
  // As collateral: margined separately the perp needs 5,000 in cash and the LP share sits idle;
  // here the share's value above its own risk covers the perp, so no cash is needed.
  const double lp_value = pool.lp.revalue(100, pool.snap, kPrices);
  EXPECT_GT(lp_value - combined.initial, 0.0);
  EXPECT_LT(std::max(0.0, combined.initial - lp_value), perp_alone);
}

}  // namespace
}  // namespace shardsim::broker
