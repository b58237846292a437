// Tests the options protocol's instruments in the broker's portfolio margin (broker/
// margin_engine.hpp, a pure function): the scan revalues each series by Black-Scholes at every
// scenario price, so the same put spread the protocol margins at its maximum loss (Gamma's
// formula, 200 USDC) is margined by the broker at its worst loss over the scan range; a long call
// against a short perp of the call's delta is margined as delta-hedged; and a long put beside an
// ETH/USDC LP share offsets the share's short gamma.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "broker/margin_engine.hpp"
#include "protocols/options/black_scholes.hpp"
#include "protocols/options/options_protocol.hpp"
#include "tests/support/options_fixture.hpp"

namespace shardsim::protocols::options {
namespace {

using broker::MarginConfig;
using broker::MarginResult;
using broker::Position;
using testing::OptionsFixture;

// 30-day series at ETH 2000, vol 80%, scanned at +/- 10% (extremes 2x at 35%).
struct Book {
  OptionsFixture f{Settlement::cash, core::Duration::d(30)};
  ProtocolSnapshot snap = f.p->snapshot(*f.rig.host);
  std::vector<InstrumentDescriptor> series = f.p->instruments(*f.rig.host);
  PriceVector prices;
  MarginConfig cfg;
  AssetId eth = f.rig.asset("ETH");
  Book() {
    prices.assign(f.rig.registry.asset_count(), 0.0);
    prices[eth] = 2000;
    prices[f.rig.asset("USDC")] = 1;
    cfg.scan_range = {{eth, 0.10}};
  }
  const InstrumentDescriptor& of(const std::string& name) const {
    for (const InstrumentDescriptor& d : series) {
      if (d.id == "opyn." + name) return d;
    }
    throw std::runtime_error("no series " + name);
  }
  Position pos(const InstrumentDescriptor& d, double q) const { return Position{&d, q, &snap}; }
  MarginResult margin(const std::vector<Position>& p) const { return broker::portfolio_margin(p, prices, cfg); }
};

// A perp entered at 2000 on another protocol: value = quantity * (price - 2000).
InstrumentDescriptor eth_perp(AssetId eth) {
  InstrumentDescriptor d;
  d.id = "dydx.ETH-PERP";
  d.protocol = "dydx";
  d.underlyings = {eth};
  d.deltas_per_unit = {1.0};
  d.revalue = [eth](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * (p[eth] - 2000); };
  return d;
}

TEST(OptionsBrokerMarginTest, SpreadInProtocolAgainstBrokerScan) {
  Book b;
  // In the protocol: the put spread's collateral is its maximum loss, whatever the horizon.
  b.f.write("lp", "l", "P1800", "USDC", "1800", "1");
  b.f.give("lp", "writer", "P1800", "1");
  b.f.ok("writer", "deposit_collateral", {{"vault", "s"}, {"asset", "USDC"}, {"amount", "2000"}});
  b.f.ok("writer", "deposit_long", {{"vault", "s"}, {"series", "P1800"}, {"amount", "1"}});
  b.f.ok("writer", "mint", {{"vault", "s"}, {"series", "P2000"}, {"amount", "1"}});
  const double in_protocol =
      static_cast<double>(b.f.p->required_units(*b.f.rig.host, *b.f.p->vault(b.f.rig.account("writer"), "s"))) / 1e6;
  EXPECT_NEAR(in_protocol, 200.000004, 1e-9);
  // At the broker: the same two legs revalued by Black-Scholes over the scan.
  const MarginResult spread = b.margin({b.pos(b.of("P1800"), 1), b.pos(b.of("P2000"), -1)});
  const MarginResult naked = b.margin({b.pos(b.of("P2000"), -1)});
  std::printf("put spread 2000/1800, 30d: protocol %.6f USDC, broker %.2f (naked short put: protocol 2000, broker %.2f)\n",
              in_protocol, spread.initial, naked.initial);
  EXPECT_GT(spread.initial, 0);
  EXPECT_LT(spread.initial, naked.initial);  // the long put is recognised against the short
  EXPECT_LT(spread.initial, in_protocol);    // a 10% scan is less than the maximum loss at expiry
  // The spread's value is bounded by 200, so no scan can ask more than its loss from here to -200.
  const double value = b.of("P1800").revalue(1, b.snap, b.prices) - b.of("P2000").revalue(1, b.snap, b.prices);
  EXPECT_LE(spread.scan_risk, 200 + value + 1e-9);
}

TEST(OptionsBrokerMarginTest, LongCallAgainstShortPerpIsDeltaHedged) {
  Book b;
  const InstrumentDescriptor perp = eth_perp(b.eth);
  const double delta = bs_delta({false, 2000, 2000, 30.0 / 365.0, 0.8});
  EXPECT_NEAR(b.of("C2000").deltas_per_unit[0], delta, 1e-12);
  const MarginResult call = b.margin({b.pos(b.of("C2000"), 10)});
  const MarginResult short_perp = b.margin({b.pos(perp, -10 * delta)});
  const MarginResult hedged = b.margin({b.pos(b.of("C2000"), 10), b.pos(perp, -10 * delta)});
  std::printf("10 long calls %.2f, short %.3f ETH-PERP %.2f, together %.2f (scan %.2f, basis %.2f)\n", call.initial,
              10 * delta, short_perp.initial, hedged.initial, hedged.scan_risk, hedged.basis_charge);
  // Long gamma: the hedged book gains on either side of the scan, so its scan risk is nil and what
  // remains is the basis charge between the two protocols.
  EXPECT_LT(hedged.scan_risk, 1e-6 * call.scan_risk + 1e-9);
  EXPECT_LT(hedged.initial, 0.2 * (call.initial + short_perp.initial));
  // A short call against a long perp keeps the gamma loss: more than nil, less than either alone.
  const MarginResult short_gamma = b.margin({b.pos(b.of("C2000"), -10), b.pos(perp, 10 * delta)});
  EXPECT_GT(short_gamma.scan_risk, 0);
  EXPECT_LT(short_gamma.scan_risk, 0.5 * call.scan_risk);
}

TEST(OptionsBrokerMarginTest, LongPutBesideLpShareOffsetsItsGamma) {
  Book b;
  // An ETH/USDC LP share of 10 ETH + 20000 USDC (k = 200000 ETH*USDC), value 2*sqrt(k*P_ETH*P_USDC).
  InstrumentDescriptor lp;
  lp.id = "uni.LP";
  lp.protocol = "uni";
  lp.underlyings = {b.eth};
  const AssetId eth = b.eth;
  lp.revalue = [eth](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * 2 * std::sqrt(200000 * p[eth]); };
  const MarginResult share = b.margin({b.pos(lp, 1)});
  // Puts hedging half the share's delta (10 ETH at the mark) add convexity where it loses.
  const double put_delta = bs_delta({true, 2000, 2000, 30.0 / 365.0, 0.8});
  const double puts = -5 / put_delta;
  const MarginResult both = b.margin({b.pos(lp, 1), b.pos(b.of("P2000"), puts)});
  const MarginResult put_alone = b.margin({b.pos(b.of("P2000"), puts)});
  std::printf("LP share %.2f, %.2f long puts %.2f, together %.2f\n", share.initial, puts, put_alone.initial, both.initial);
  EXPECT_LT(both.scan_risk, 0.6 * share.scan_risk);
  EXPECT_LT(both.initial, share.initial + put_alone.initial);
}

TEST(OptionsBrokerMarginTest, SettledSeriesIsWorthItsPayoutInEveryScenario) {
  OptionsFixture f;
  f.expire_at("1700");
  const ProtocolSnapshot snap = f.p->snapshot(*f.rig.host);
  const auto series = f.p->instruments(*f.rig.host);
  PriceVector prices(f.rig.registry.asset_count(), 0.0);
  for (const double px : {1000.0, 1700.0, 2500.0}) {
    prices[f.rig.asset("ETH")] = px;
    EXPECT_DOUBLE_EQ(series[2].revalue(2, snap, prices), 600);  // P2000 at 1700, two options
    EXPECT_DOUBLE_EQ(series[0].revalue(2, snap, prices), 0);    // C2000
  }
}

}  // namespace
}  // namespace shardsim::protocols::options
