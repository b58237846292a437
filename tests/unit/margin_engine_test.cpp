// Tests broker/margin_engine: the spec's three worked examples (exact), scan risk with extreme
// moves, hedges and basis, credit direction and priority, haircut and latency add-ons,
// multi-underlying LP shares, maintenance, gross vs net, and that credits never go negative.
#include "broker/margin_engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace shardsim::broker {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0, kBtc = 1, kEth = 2, kSol = 3, kCorn = 4, kSoy = 5;
const PriceVector kPrices = {1.0, 50'000.0, 2'500.0, 100.0, 17'500.0, 25'000.0};

double px(const PriceVector& p, AssetId a) { return a < p.size() ? p[a] : 0.0; }

// Value = sign * quantity * price: a synth, a spot deposit (sign +1) or a lending debt (-1).
InstrumentDescriptor linear(std::string id, std::string protocol, AssetId asset, double sign = 1) {
  InstrumentDescriptor d{std::move(id), std::move(protocol), {asset}, {sign}, {}};
  d.revalue = [asset, sign](double q, const ProtocolSnapshot&, const PriceVector& p) { return sign * q * px(p, asset); };
  return d;
}

// A perp entered at the snapshot's mark: value = quantity * (price - mark).
InstrumentDescriptor perp(std::string id, std::string protocol, AssetId asset, double mark) {
  InstrumentDescriptor d{std::move(id), std::move(protocol), {asset}, {1.0}, {}};
  d.revalue = [asset, mark](double q, const ProtocolSnapshot& s, const PriceVector& p) {
    return q * (px(p, asset) - s.get("mark").value_or(mark));
  };
  return d;
}

// A constant-product LP share on (a, b): value per unit = 2 sqrt(k Pa Pb) / supply.
InstrumentDescriptor lp(AssetId a, AssetId b, double k, double supply, bool with_deltas = true) {
  InstrumentDescriptor d{"uni.LP", "uni", {a, b}, {}, {}};
  if (with_deltas) {
    const double pa = px(kPrices, a), pb = px(kPrices, b);
    d.deltas_per_unit = {std::sqrt(k * pb / pa) / supply, std::sqrt(k * pa / pb) / supply};
  }
  d.revalue = [a, b, k, supply](double q, const ProtocolSnapshot&, const PriceVector& p) {
    return q * 2 * std::sqrt(k * px(p, a) * px(p, b)) / supply;
  };
  return d;
}

// Short a call struck at `strike` (quantity 1 = one written call): flat inside the scan range.
InstrumentDescriptor short_call(AssetId asset, double strike) {
  InstrumentDescriptor d{"opt.BTC-C", "opt", {asset}, {0.0}, {}};
  d.revalue = [asset, strike](double q, const ProtocolSnapshot&, const PriceVector& p) {
    return -q * std::max(0.0, px(p, asset) - strike);
  };
  return d;
}

struct Book {
  InstrumentDescriptor sbtc = linear("snx.sBTC", "snx", kBtc);
  InstrumentDescriptor seth = linear("snx.sETH", "snx", kEth);
  InstrumentDescriptor ssol = linear("snx.sSOL", "snx", kSol);
  InstrumentDescriptor btc_perp = perp("dydx.BTC-PERP", "dydx", kBtc, 50'000);
  InstrumentDescriptor eth_perp = perp("dydx.ETH-PERP", "dydx", kEth, 2'500);
  InstrumentDescriptor aave_eth = linear("aave.ETH", "aave", kEth);
  InstrumentDescriptor aave_eth_debt = linear("aave.ETH-debt", "aave", kEth, -1);
  InstrumentDescriptor corn = linear("cme.CORN", "cme", kCorn);
  InstrumentDescriptor soy = linear("cme.SOY", "cme", kSoy);
  ProtocolSnapshot snap;
  MarginConfig cfg;
  Book() { cfg.scan_range = {{kBtc, 0.10}, {kEth, 0.10}, {kSol, 0.10}, {kCorn, 0.10}, {kSoy, 0.10}}; }
  Position pos(const InstrumentDescriptor& d, double q) { return Position{&d, q, &snap}; }
};

constexpr double kTol = 1e-9;

TEST(MarginEngine, WorkedExampleSynthAgainstPerpIsBasisOnly) {
  Book b;
  const MarginResult r = portfolio_margin({b.pos(b.sbtc, 1), b.pos(b.btc_perp, -1)}, kPrices, b.cfg);
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_NEAR(r.groups[0].scan_risk, 0.0, kTol);
  EXPECT_NEAR(r.groups[0].offset_notional, 50'000.0, kTol);
  EXPECT_NEAR(r.groups[0].basis_charge, 500.0, kTol);
  EXPECT_NEAR(r.initial, 500.0, kTol);
  EXPECT_NEAR(r.gross, 10'000.0, kTol);  // each leg alone: 5,000
}

TEST(MarginEngine, WorkedExampleTwoGroupsWithEightyPercentCredit) {
  Book b;
  b.cfg.credits = {CreditPair{kBtc, kEth, 0.80}};
  const std::vector<Position> book = {b.pos(b.sbtc, 1), b.pos(b.seth, -20)};
  EXPECT_NEAR(standalone_margin(book[0], kPrices, b.cfg), 5'000.0, kTol);
  EXPECT_NEAR(standalone_margin(book[1], kPrices, b.cfg), 5'000.0, kTol);
  const MarginResult r = portfolio_margin(book, kPrices, b.cfg);
  EXPECT_NEAR(r.scan_risk, 10'000.0, kTol);
  ASSERT_EQ(r.credits_applied.size(), 1u);
  EXPECT_NEAR(r.credits_applied[0].spreads, 50'000.0, kTol);  // USD notional, ratio 1:1
  EXPECT_NEAR(r.credits, 2 * 0.8 * 5'000.0, kTol);
  EXPECT_NEAR(r.initial, 2'000.0, kTol);
}

TEST(MarginEngine, WorkedExampleCmeCornSoyInContracts) {
  Book b;  // 10% of 17,500 = 1,750 per corn; 10% of 25,000 = 2,500 per soy
  b.cfg.credits = {CreditPair{kCorn, kSoy, 0.55, 2, 1, DeltaUnit::underlying_units}};
  const MarginResult r = portfolio_margin({b.pos(b.corn, 2), b.pos(b.soy, -1)}, kPrices, b.cfg);
  EXPECT_NEAR(r.scan_risk, 6'000.0, kTol);
  EXPECT_NEAR(r.credits_applied[0].spreads, 1.0, kTol);
  EXPECT_NEAR(r.credits, 0.55 * (3'500.0 + 2'500.0), kTol);
  EXPECT_NEAR(r.initial, 2'700.0, kTol);
}

TEST(MarginEngine, ExactHedgeWithinOneProtocolHasNoScanAndNoBasis) {
  Book b;
  const MarginResult perps = portfolio_margin({b.pos(b.btc_perp, 1), b.pos(b.btc_perp, -1)}, kPrices, b.cfg);
  EXPECT_NEAR(perps.scan_risk, 0.0, kTol);
  EXPECT_NEAR(perps.basis_charge, 0.0, kTol);
  EXPECT_NEAR(perps.initial, 0.0, kTol);
  const MarginResult lending = portfolio_margin({b.pos(b.aave_eth, 3), b.pos(b.aave_eth_debt, 3)}, kPrices, b.cfg);
  EXPECT_NEAR(lending.scan_risk, 0.0, kTol);
  EXPECT_NEAR(lending.basis_charge, 0.0, kTol);
  EXPECT_NEAR(lending.initial, 0.0, kTol);
}

TEST(MarginEngine, ExtremeMoveCountsOnlyItsFraction) {
  Book b;  // flat within +-10%, loses 2,500 at +20%: only 35% counts
  const InstrumentDescriptor call = short_call(kBtc, 57'500);
  EXPECT_NEAR(portfolio_margin({b.pos(call, 1)}, kPrices, b.cfg).scan_risk, 0.35 * 2'500, kTol);
  b.cfg.extreme_fraction = 1.0;
  EXPECT_NEAR(portfolio_margin({b.pos(call, 1)}, kPrices, b.cfg).scan_risk, 2'500.0, kTol);
  // A linear leg: 35% of the 10,000 extreme loss is below the 5,000 loss at -1 range.
  b.cfg.extreme_fraction = 0.35;
  EXPECT_NEAR(portfolio_margin({b.pos(b.sbtc, 1)}, kPrices, b.cfg).scan_risk, 5'000.0, kTol);
}

TEST(MarginEngine, HaircutAddOnPerProtocolOnAbsoluteNotional) {
  Book b;
  b.cfg.haircuts = {{"snx", 0.03}, {"dydx", 0.02}};
  const MarginResult r = portfolio_margin({b.pos(b.sbtc, 1), b.pos(b.btc_perp, -1), b.pos(b.aave_eth, 2)},
                                          kPrices, b.cfg);
  EXPECT_NEAR(r.haircut_addon, 0.03 * 50'000 + 0.02 * 50'000, kTol);  // aave has no haircut
  EXPECT_NEAR(r.initial, 500.0 + 2'500.0 + 500.0, kTol);              // basis + haircuts + aave ETH scan
}

TEST(MarginEngine, LatencyAddOnGrowsWithSqrtOfSettlementAndVanishesWhenHedged) {
  Book b;
  b.cfg.vol_annual = {{kBtc, 0.60}};
  auto addon = [&](double unhedged, core::Duration settle) {
    Position p = b.pos(b.sbtc, 1);
    p.unhedged_quantity = unhedged;
    p.expected_settlement = settle;
    return portfolio_margin({p}, kPrices, b.cfg).latency_addon;
  };
  const double a12 = addon(1, core::Duration::s(12));
  EXPECT_NEAR(a12, 50'000 * 0.60 * std::sqrt(12.0 / (365.0 * 86'400)) * 2.33, kTol);
  EXPECT_NEAR(addon(1, core::Duration::s(48)) / a12, 2.0, 1e-12);
  EXPECT_NEAR(addon(1, core::Duration::s(108)) / a12, 3.0, 1e-12);
  EXPECT_NEAR(addon(-0.5, core::Duration::s(12)) / a12, 0.5, 1e-12);
  EXPECT_EQ(addon(0, core::Duration::s(12)), 0.0);
  EXPECT_EQ(addon(1, core::Duration{}), 0.0);
}

TEST(MarginEngine, MaintenanceIsTheConfiguredFractionOfInitial) {
  Book b;
  b.cfg.credits = {CreditPair{kBtc, kEth, 0.80}};
  const MarginResult r = portfolio_margin({b.pos(b.sbtc, 1), b.pos(b.seth, -20)}, kPrices, b.cfg);
  EXPECT_NEAR(r.maintenance, 0.75 * 2'000.0, kTol);
  b.cfg.maintenance = 0.5;
  EXPECT_NEAR(portfolio_margin({b.pos(b.sbtc, 1)}, kPrices, b.cfg).maintenance, 2'500.0, kTol);
}

TEST(MarginEngine, GrossExceedsNetForOffsettingBooks) {
  Book b;
  b.cfg.haircuts = {{"snx", 0.03}, {"dydx", 0.02}};
  const MarginResult r = portfolio_margin({b.pos(b.sbtc, 1), b.pos(b.btc_perp, -1)}, kPrices, b.cfg);
  EXPECT_NEAR(r.gross, 10'000.0 + 2'500.0, kTol);
  EXPECT_NEAR(r.net(), 3'000.0, kTol);
  EXPECT_GT(r.capital_efficiency(), 1.0);
  const MarginResult flat = portfolio_margin({b.pos(b.btc_perp, 1), b.pos(b.btc_perp, -1)}, kPrices, MarginConfig{});
  EXPECT_EQ(flat.capital_efficiency(), 1.0);  // nothing asked anywhere
}

TEST(MarginEngine, CreditsNeedOppositeLegsUnlessConfiguredSame) {
  Book b;
  b.cfg.credits = {CreditPair{kBtc, kEth, 0.80}};
  const std::vector<Position> both_long = {b.pos(b.sbtc, 1), b.pos(b.seth, 20)};
  EXPECT_NEAR(portfolio_margin(both_long, kPrices, b.cfg).initial, 10'000.0, kTol);
  b.cfg.credits[0].legs = CreditLegs::same;  // a negatively correlated pair
  EXPECT_NEAR(portfolio_margin(both_long, kPrices, b.cfg).initial, 2'000.0, kTol);
  EXPECT_NEAR(portfolio_margin({b.pos(b.sbtc, 1), b.pos(b.seth, -20)}, kPrices, b.cfg).credits, 0.0, kTol);
}

TEST(MarginEngine, CreditsFollowPriorityOrderAndShareDelta) {
  Book b;  // BTC long 50k against ETH short 50k and SOL short 50k: BTC delta can pair only once
  const std::vector<Position> book = {b.pos(b.sbtc, 1), b.pos(b.seth, -20), b.pos(b.ssol, -500)};
  b.cfg.credits = {CreditPair{kBtc, kEth, 0.60}, CreditPair{kBtc, kSol, 0.50}};
  const MarginResult first = portfolio_margin(book, kPrices, b.cfg);
  EXPECT_NEAR(first.credits_applied[0].credit, 6'000.0, kTol);
  EXPECT_NEAR(first.credits_applied[1].credit, 0.0, kTol);
  EXPECT_NEAR(first.initial, 15'000.0 - 6'000.0, kTol);
  std::swap(b.cfg.credits[0], b.cfg.credits[1]);
  const MarginResult second = portfolio_margin(book, kPrices, b.cfg);
  EXPECT_NEAR(second.credits_applied[0].credit, 5'000.0, kTol);
  EXPECT_NEAR(second.initial, 10'000.0, kTol);
}

TEST(MarginEngine, LpShareIsRevaluedInEachGroupWithOtherPricesFixed) {
  Book b;
  b.cfg.scan_range[kEth] = 0.12;  // USDC has no range: a riskless numeraire
  const double k = 100.0 * 250'000.0, supply = 1'000.0;
  const InstrumentDescriptor share = lp(kEth, kUsdc, k, supply);
  const double v0 = 1'000 * 2 * std::sqrt(k * 2'500.0) / supply;  // 500,000
  const MarginResult alone = portfolio_margin({b.pos(share, 1'000)}, kPrices, b.cfg);
  ASSERT_EQ(alone.groups.size(), 2u);  // USDC and ETH
  EXPECT_NEAR(alone.groups[0].scan_risk, 0.0, kTol);
  EXPECT_NEAR(alone.groups[1].scan_risk, v0 * (1 - std::sqrt(0.88)), 1e-6);
  EXPECT_NEAR(alone.groups[1].delta_units, 100.0, 1e-9);
  // Delta-hedged with a perp: only the LP's convexity is left, worst in the -24% extreme.
  const MarginResult hedged = portfolio_margin({b.pos(share, 1'000), b.pos(b.eth_perp, -100)}, kPrices, b.cfg);
  EXPECT_NEAR(hedged.groups[1].scan_risk, 0.35 * v0 * (0.88 - std::sqrt(0.76)), 1e-6);
  EXPECT_LT(hedged.scan_risk, alone.scan_risk);
  EXPECT_NEAR(hedged.groups[1].basis_charge, 0.01 * 250'000, 1e-6);  // uni against dydx
  // Without descriptor deltas the engine takes a central difference.
  const InstrumentDescriptor bare = lp(kEth, kUsdc, k, supply, false);
  EXPECT_NEAR(portfolio_margin({b.pos(bare, 1'000)}, kPrices, b.cfg).groups[1].delta_units, 100.0, 1e-6);
}

TEST(MarginEngine, InstrumentWithoutUnderlyingPaysOnlyItsHaircut) {
  Book b;
  b.cfg.haircuts = {{"augur", 0.05}};
  InstrumentDescriptor yes{"augur.M1-YES", "augur", {}, {}, {}};
  yes.revalue = [](double q, const ProtocolSnapshot& s, const PriceVector&) { return q * s.get("p").value_or(0); };
  b.snap.values = {{"p", 0.4}};
  const MarginResult r = portfolio_margin({b.pos(yes, 1'000)}, kPrices, b.cfg);
  EXPECT_TRUE(r.groups.empty());
  EXPECT_NEAR(r.initial, 0.05 * 400, kTol);
}

TEST(MarginEngine, CreditsNeverMakeTheRequirementNegative) {
  Book b;
  b.cfg.haircuts = {{"snx", 0.03}, {"dydx", 0.02}};
  b.cfg.vol_annual = {{kBtc, 0.6}, {kEth, 0.8}};
  b.cfg.credits = {CreditPair{kBtc, kEth, 1.0}, CreditPair{kEth, kSol, 1.0, 1, 1, DeltaUnit::underlying_units},
                   CreditPair{kBtc, kSol, 1.0, 1, 1, DeltaUnit::notional_usd, CreditLegs::same},
                   CreditPair{kBtc, kEth, 0.9, 3, 1}};
  const std::vector<const InstrumentDescriptor*> menu = {&b.sbtc, &b.seth, &b.ssol, &b.btc_perp, &b.eth_perp};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> qty(-50, 50);
  int credited = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<Position> book;
    for (int i = 0, n = 1 + trial % 7; i < n; ++i) {
      Position p = b.pos(*menu[rng() % menu.size()], qty(rng));
      p.unhedged_quantity = trial % 3 == 0 ? p.quantity / 2 : 0;
      p.expected_settlement = core::Duration::s(12);
      book.push_back(p);
    }
    const MarginResult r = portfolio_margin(book, kPrices, b.cfg);
    EXPECT_GE(r.initial, 0.0);
    EXPECT_LE(r.credits, r.scan_risk + 1e-9);
    EXPECT_GE(r.initial, r.basis_charge + r.latency_addon + r.haircut_addon - 1e-9);
    for (const GroupMargin& g : r.groups) EXPECT_LE(g.credit, g.scan_risk + 1e-9) << "trial " << trial;
    credited += r.credits > 0;
  }
  EXPECT_GT(credited, 100);  // the property was exercised
}

TEST(MarginEngine, SameInputsGiveBitIdenticalResults) {
  Book b;
  b.cfg.credits = {CreditPair{kBtc, kEth, 0.6}};
  const std::vector<Position> book = {b.pos(b.sbtc, 1.3), b.pos(b.eth_perp, -7.1), b.pos(b.btc_perp, -0.4)};
  const MarginResult x = portfolio_margin(book, kPrices, b.cfg);
  const MarginResult y = portfolio_margin(book, kPrices, b.cfg);
  EXPECT_EQ(x.initial, y.initial);
  EXPECT_EQ(x.gross, y.gross);
  double sum = 0;
  for (const Position& p : book) sum += standalone_margin(p, kPrices, b.cfg);
  EXPECT_EQ(sum, x.gross);
}

TEST(MarginConfig, InvalidReasonNamesTheParameter) {
  MarginConfig c;
  EXPECT_FALSE(c.invalid_reason().has_value());
  c.credits = {CreditPair{kBtc, kEth, 1.5}};
  EXPECT_EQ(c.invalid_reason().value_or(""), "credits[0].rate must be within 0%..100%");
  c.credits = {CreditPair{kBtc, kBtc, 0.5}};
  EXPECT_EQ(c.invalid_reason().value_or(""), "credits[0].pair must name two different assets");
  c.credits.clear();
  c.extreme_fraction = 1.2;
  EXPECT_EQ(c.invalid_reason().value_or(""), "extreme.fraction must be within 0%..100%");
}

}  // namespace
}  // namespace shardsim::broker
