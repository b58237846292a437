// Tests the fault kinds of issue 6 end to end: price_crash and depeg (with pegged prices) on the
// true-price path and the oracle feeds, protocol_insolvency draining a pool through the ledger,
// broker_default wiping a broker, gas_spike multiplying the base fee; and the loader's one-line
// errors for each kind and for `peg:`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "agents/price_path.hpp"
#include "agents/submitter.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "shards/shard_config.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim {
namespace {

using app::FaultKind;
using app::sections_test::error_of;
using app::sections_test::expect_error;
using app::sections_test::with_in;
using core::Amount;
using core::Duration;
using core::SimTime;

SimTime at(Duration d) { return SimTime::zero() + d; }

// The 1-based column of `token` in line `line` of `text`.
int column_of(std::string_view text, int line, std::string_view token) {
  std::size_t start = 0;
  for (int l = 1; l < line; ++l) start = text.find('\n', start) + 1;
  const std::size_t end = text.find('\n', start);
  const std::size_t found = text.substr(start, end - start).find(token);
  EXPECT_NE(found, std::string_view::npos) << token;
  return static_cast<int>(found) + 1;
}

// ---- the true price: price_crash and depeg ----------------------------------------------------

// ETH and BTC flat (vol 0) unless `btc_vol` says otherwise; sBTC pegged to BTC; one shard with
// feeds of all three that update on a 0.5% move or every 10 minutes.
std::string price_topology(const std::string& faults, const std::string& btc_vol = "0%") {
  return "name: prices\nseed: 5\nduration: 4h\n"
         "assets: {ETH: {}, BTC: {decimals: 8}, sBTC: {}}\n"
         "prices:\n"
         "  model: gbm\n"
         "  step: 1s\n"
         "  assets: {ETH: {initial: 2000, vol_annual: 0%}, BTC: {initial: 50000, vol_annual: " + btc_vol + "},\n"
         "           sBTC: {peg: BTC}}\n"
         "shards:\n"
         "  - {id: a, slot: 12s, gas_per_block: 30M,\n"
         "     oracles: {assets: [ETH, BTC, sBTC], deviation: 0.5%, heartbeat: 10m, check_every: 1s}}\n"
         "links: {default: {latency: {model: constant, value: 1s}}, access_latency: {model: constant, value: 100ms}}\n"
         "faults: [" + faults + "]\n";
}

constexpr std::uint32_t kEth = 0, kBtc = 1, kSbtc = 2;

TEST(PriceCrashFault, MovesTheTruePriceByExactlyTheMoveOverItsDuration) {
  const app::Topology t =
      app::load_topology_string(price_topology("{at: 1h, price_crash: {asset: ETH, move: -35%, over: 30m}}"), "p.yaml");
  app::Simulation w(t, t.seed);
  const agents::PricePath& p = *w.prices();
  EXPECT_EQ(p.price(kEth, at(Duration::min(59))), 2000.0);
  EXPECT_EQ(p.price(kEth, at(Duration::h(1))), 2000.0);  // the move starts at `at`
  EXPECT_NEAR(p.price(kEth, at(Duration::min(75))), 2000.0 * std::sqrt(0.65), 1e-9);  // half way, in log terms
  EXPECT_EQ(p.price(kEth, at(Duration::min(90))), 2000.0 * (1 - 0.35));
  EXPECT_EQ(p.price(kEth, at(Duration::h(3))), 2000.0 * (1 - 0.35));
  EXPECT_EQ(p.price(kBtc, at(Duration::h(3))), 50000.0);  // other assets do not move
  // The pegged asset follows its peg, not ETH.
  EXPECT_EQ(p.price(kSbtc, at(Duration::h(3))), 50000.0);

  w.run();
  EXPECT_EQ(w.shard(0).oracles()[kEth].price_wad, agents::price_to_wad(1300.0));
  const auto results = w.results();
  const auto& log = results.at("faults");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("what"), "price_crash asset=ETH move=-35%");
  EXPECT_EQ(log[0].at("event"), "start");
  EXPECT_EQ(log[1].at("at"), "1.5h");  // the end of the move
}

TEST(PriceCrashFault, OfThePegMovesThePeggedAssetToo) {
  const app::Topology t =
      app::load_topology_string(price_topology("{at: 1h, price_crash: {asset: BTC, move: -20%}}"), "p.yaml");
  app::Simulation w(t, t.seed);
  EXPECT_EQ(w.prices()->price(kSbtc, at(Duration::h(1))), 50000.0 * (1 - 0.2));
  EXPECT_EQ(w.prices()->price(kSbtc, at(Duration::h(1))), w.prices()->price(kBtc, at(Duration::h(1))));
}

TEST(DepegFault, PeggedPriceIsThePegTimesOneThenTimesToAfterOver) {
  // A volatile peg: the pegged asset tracks it exactly, grid point by grid point.
  const app::Topology t =
      app::load_topology_string(price_topology("{at: 1h, depeg: {asset: sBTC, to: 0.92, over: 1h}}", "80%"), "p.yaml");
  app::Simulation w(t, t.seed);
  const agents::PricePath& p = *w.prices();
  EXPECT_EQ(p.peg_of(kSbtc), kBtc);
  EXPECT_EQ(p.peg_of(kBtc), std::nullopt);
  for (const Duration d : {Duration::s(0), Duration::min(17), Duration::min(59), Duration::h(1)}) {
    EXPECT_EQ(p.price(kSbtc, at(d)), p.price(kBtc, at(d))) << d.str();
  }
  const double mid_ratio = p.price(kSbtc, at(Duration::min(90))) / p.price(kBtc, at(Duration::min(90)));
  EXPECT_NEAR(mid_ratio, 0.96, 1e-12);  // linear: half way from 1 to 0.92
  for (const Duration d : {Duration::h(2), Duration::min(150), Duration::h(4)}) {
    EXPECT_EQ(p.price(kSbtc, at(d)), p.price(kBtc, at(d)) * 0.92) << d.str();
  }
  EXPECT_NE(p.price(kBtc, at(Duration::h(2))), p.price(kBtc, at(Duration::h(4))));  // the peg did move
}

TEST(DepegFault, OracleFeedOfThePeggedAssetPublishesTheDepeggedPrice) {
  const app::Topology t =
      app::load_topology_string(price_topology("{at: 1h, depeg: {asset: sBTC, to: 92%, over: 30m}}"), "p.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const auto& oracles = w.shard(0).oracles();
  EXPECT_EQ(oracles[kBtc].price_wad, agents::price_to_wad(50000.0));
  EXPECT_EQ(oracles[kSbtc].price_wad, agents::price_to_wad(50000.0 * 0.92));
  const auto results = w.results();
  const auto& log = results.at("faults");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("what"), "depeg asset=sBTC to=0.92");
}

TEST(DepegFault, ALaterDepegMovesOnFromWhereTheFirstLeftTheRatio) {
  const app::Topology t = app::load_topology_string(
      price_topology("{at: 1h, depeg: {asset: sBTC, to: 0.9, over: 0s}}, {at: 2h, depeg: {asset: sBTC, to: 1, over: 1h}}"),
      "p.yaml");
  app::Simulation w(t, t.seed);
  const agents::PricePath& p = *w.prices();
  EXPECT_EQ(p.price(kSbtc, at(Duration::min(90))), 50000.0 * 0.9);
  EXPECT_NEAR(p.price(kSbtc, at(Duration::min(150))), 50000.0 * 0.95, 1e-9);
  EXPECT_EQ(p.price(kSbtc, at(Duration::h(4))), 50000.0);
}

// The price path on its own: what it refuses.
TEST(PeggedPricePath, RejectsPegsWithoutAProcessAndDepegsOfUnpeggedAssets) {
  const std::vector<std::string> symbols{"BTC", "sBTC", "sETH"};
  agents::PricesSpec spec;
  spec.present = true;
  spec.assets.push_back(agents::PriceAssetSpec{});
  spec.assets[0].asset = 0;
  spec.assets[0].initial = 100;
  agents::PriceAssetSpec pegged;
  pegged.asset = 1;
  pegged.peg = 0;
  spec.assets.push_back(pegged);
  const auto build = [&](const agents::PricesSpec& s, const std::vector<agents::Depeg>& depegs) {
    return agents::PricePath(s, symbols, 1, Duration::h(1), {}, {}, depegs);
  };
  EXPECT_NO_THROW(build(spec, {agents::Depeg{1, at(Duration::min(1)), Duration::min(1), 0.5}}));
  EXPECT_THROW(build(spec, {agents::Depeg{0, at(Duration::min(1)), Duration::min(1), 0.5}}), std::invalid_argument);
  EXPECT_THROW(build(spec, {agents::Depeg{1, at(Duration::min(1)), Duration::min(1), 0}}), std::invalid_argument);
  agents::PricesSpec chained = spec;
  agents::PriceAssetSpec second = pegged;
  second.asset = 2;
  second.peg = 1;  // pegged to a pegged asset
  chained.assets.push_back(second);
  EXPECT_THROW(build(chained, {}), std::invalid_argument);
  agents::PricesSpec unpriced = spec;
  unpriced.assets[1].peg = 2;  // sETH has no process
  EXPECT_THROW(build(unpriced, {}), std::invalid_argument);
}

// ---- protocol_insolvency ----------------------------------------------------------------------

std::string lending_topology(const std::string& faults) {
  return "name: exploit\nseed: 2\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "prices: {model: gbm, assets: {ETH: {initial: 2000, vol_annual: 0%}, USDC: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: lend, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, USDC], heartbeat: 10m},\n"
         "     protocols: [{kind: lending, name: aave}]}\n"
         "  - {id: other, slot: 12s, gas_per_block: 30M}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts:\n"
         "  whale: {shard: lend, balances: {USDC: 2000000}}\n"
         "  alice: {shard: lend, balances: {ETH: 10, USDC: 5000}}\n"
         "faults: [" + faults + "]\n"
         "script:\n"
         "  - {at: 1m, tx: {from: whale, shard: lend, protocol: aave, op: supply, args: {asset: USDC, amount: 1000000.000001}}}\n"
         "  - {at: 1m, tx: {from: alice, shard: lend, protocol: aave, op: supply, args: {asset: ETH, amount: 7.000000000000000003}}}\n"
         "  - {at: 30m, tx: {from: whale, shard: lend, protocol: aave, op: withdraw, args: {asset: USDC, amount: 1000000}}}\n";
}

TEST(ProtocolInsolvencyFault, DrainsFloorOfBalanceTimesLossOfEveryTokenToTheExploiter) {
  const app::Topology t =
      app::load_topology_string(lending_topology("{at: 10m, protocol_insolvency: {protocol: aave, loss: 30%}}"), "x.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const shards::Ledger& ledger = w.shard(0).ledger();
  const auto pool = *w.registry().account("protocol:aave");
  const auto exploiter = *w.registry().account("exploiter:aave");
  const protocols::AssetId usdc = 0, eth = 1;
  // 1,000,000.000001 USDC = 1e12 + 1 units: 30% is 300000000000.3, floored.
  EXPECT_EQ(ledger.balance(exploiter, usdc), Amount::units(300'000'000'000));
  EXPECT_EQ(ledger.balance(pool, usdc), Amount::units(700'000'000'001));
  // 7.000000000000000003 ETH: 30% is 2.1000000000000000009, floored.
  EXPECT_EQ(ledger.balance(exploiter, eth), Amount::units(static_cast<core::i128>(2'100'000'000'000'000'000)));
  EXPECT_EQ(ledger.balance(pool, eth), Amount::units(static_cast<core::i128>(4'900'000'000'000'000'003)));
  // The whale cannot take its deposit back: the pool is short.
  EXPECT_EQ(w.shard(0).stats().revert_reasons.at("insufficient liquidity"), 1u);
  EXPECT_EQ(ledger.balance(*w.registry().account("whale"), usdc), Amount::units(999'999'999'999));
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << c.breach;
  const auto results = w.results();
  const auto& log = results.at("faults");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("what"), "protocol_insolvency protocol=aave loss=30%");
  EXPECT_EQ(log[0].at("at"), "10m");
  EXPECT_EQ(w.shard(0).fault_log().size(), 2u);  // logged by the protocol's shard
}

TEST(ProtocolInsolvencyFault, LossOfAllTakesEverything) {
  const app::Topology t =
      app::load_topology_string(lending_topology("{at: 10m, protocol_insolvency: {protocol: aave, loss: 100%}}"), "x.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const shards::Ledger& ledger = w.shard(0).ledger();
  const auto pool = *w.registry().account("protocol:aave");
  EXPECT_EQ(ledger.balance(pool, 0), Amount{});
  EXPECT_EQ(ledger.balance(pool, 1), Amount{});
  EXPECT_TRUE(w.check_conservation().ok);
}

// ---- broker_default -----------------------------------------------------------------------------

constexpr std::string_view kBrokerWorld =
    "name: default\nseed: 3\nduration: 1h\n"
    "assets: {USDC: {decimals: 6}, BTC: {decimals: 8}}\n"
    "prices: {model: gbm, assets: {BTC: {initial: 50000, vol_annual: 0%}, USDC: {initial: 1, vol_annual: 0%}}}\n"
    "shards:\n"
    "  - {id: l2, slot: 2s, gas_per_block: 100M, oracles: {assets: [BTC, USDC], deviation: 0.05%, heartbeat: 10m}}\n"
    "  - id: perps\n    slot: 2s\n    gas_per_block: 50M\n"
    "    oracles: {assets: [BTC], deviation: 0.05%}\n"
    "    protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%, mmf: 3%}}}}]\n"
    "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
    "accounts:\n"
    "  whale: {shard: l2, balances: {USDC: 2M}}\n"
    "brokers:\n"
    "  - {name: prime, home: l2, capital: {USDC: 5M}, default_fund: {USDC: 1M}}\n"
    "script:\n"
    "  - {at: 2s, broker: {client: whale, broker: prime, op: deposit, args: {from_shard: l2, asset: USDC, amount: 1M}}}\n";

// The line of a `faults:` entry appended to kBrokerWorld.
const int kBrokerFaultLine = static_cast<int>(std::count(kBrokerWorld.begin(), kBrokerWorld.end(), '\n')) + 1;

std::string broker_world_with(const std::string& fault) { return std::string(kBrokerWorld) + "faults: [" + fault + "]\n"; }

TEST(BrokerDefaultFault, MakesTheBrokerInsolventAtTheFaultTime) {
  const app::Topology t = app::load_topology_string(broker_world_with("{at: 5m, broker_default: {broker: prime}}"), "b.yaml");
  ASSERT_EQ(t.faults.size(), 1u);
  EXPECT_EQ(t.faults[0].kind, FaultKind::broker_default);
  EXPECT_EQ(t.faults[0].broker, 0u);
  EXPECT_EQ(t.faults[0].shard, 0u);  // the home shard, l2
  EXPECT_EQ(t.faults[0].duration, Duration{});
  app::Simulation w(t, t.seed);
  w.run();
  const auto results = w.results();
  const auto& b = results.at("brokers").at(0);
  EXPECT_EQ(b.at("insolvent"), true);
  EXPECT_EQ(b.at("insolvent_at_s").get<double>(), 300.0);
  EXPECT_TRUE(w.broker(0).insolvent());
  EXPECT_EQ(w.broker(0).insolvent_at(), at(Duration::min(5)));
  const auto& log = results.at("faults");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].at("what"), "broker_default broker=prime");
  EXPECT_EQ(log[0].at("at"), "5m");
  EXPECT_EQ(w.shard(0).fault_log().size(), 2u);  // logged by the broker's home shard
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << c.breach;
}

TEST(BrokerDefaultFault, WithoutItTheBrokerStaysSolvent) {
  const app::Topology t = app::load_topology_string(kBrokerWorld, "b.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  EXPECT_EQ(w.results().at("brokers").at(0).at("insolvent"), false);
}

TEST(BrokerDefaultFault, UnknownBrokerIsALoaderError) {
  const std::string bad = broker_world_with("{at: 5m, broker_default: {broker: lehman}}");
  expect_error(bad, "faults.0.broker_default.broker", kBrokerFaultLine,
               {"unknown broker \"lehman\"", "(expected a broker: one of: prime)"},
               column_of(bad, kBrokerFaultLine, "lehman"));
}

// ---- gas_spike ----------------------------------------------------------------------------------

// Alice sends bob 1 ETH at 1m and again at 10m; a transfer costs 21,000 gas at 10 gwei.
std::string fee_topology(const std::string& faults) {
  return "name: gas\nseed: 4\nduration: 30m\n"
         "assets: {ETH: {}}\n"
         "shards:\n"
         "  - {id: l2, slot: 12s, gas_per_block: 30M, fee_asset: ETH, base_fee: 0.00000001}\n"
         "links: {default: {latency: {model: constant, value: 1s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts:\n"
         "  alice: {shard: l2, balances: {ETH: 100}}\n"
         "faults: [" + faults + "]\n"
         "script:\n"
         "  - {at: 1m, tx: {from: alice, shard: l2, op: transfer, args: {to: bob, asset: ETH, amount: 1}}}\n"
         "  - {at: 10m, tx: {from: alice, shard: l2, op: transfer, args: {to: bob, asset: ETH, amount: 1}}}\n";
}

// What alice paid in fees, in wei: 100 ETH, less the 2 ETH she sent, less what she holds.
core::i128 fees_paid(const std::string& faults) {
  const app::Topology t = app::load_topology_string(fee_topology(faults), "g.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  EXPECT_TRUE(w.check_conservation().ok);
  const core::i128 eth = core::pow10_i128(18);
  const core::i128 paid = eth * 98 - w.shard(0).ledger().balance(*w.registry().account("alice"), 0).raw();
  EXPECT_TRUE(w.shard(0).ledger().flows(0).burned == Amount::units(paid));  // base fees are burned
  return paid;
}

TEST(GasSpikeFault, MultipliesTheFeeOfATransactionInTheWindow) {
  const core::i128 one_fee = 21'000 * core::i128{10'000'000'000};  // 0.00021 ETH
  EXPECT_TRUE(fees_paid("") == one_fee * 2);
  EXPECT_TRUE(fees_paid("{at: 5m, gas_spike: {shard: l2, factor: 10, duration: 10m}}") == one_fee * 11);
  // The window is [at, at + duration): a spike that ended before the second transfer costs nothing.
  EXPECT_TRUE(fees_paid("{at: 5m, gas_spike: {shard: l2, factor: 10, duration: 4m}}") == one_fee * 2);
  // A fractional factor, exactly: 2.5 x 10 gwei = 25 gwei.
  EXPECT_TRUE(fees_paid("{at: 5m, gas_spike: {shard: l2, factor: 2.5, duration: 10m}}") ==
              one_fee + 21'000 * core::i128{25'000'000'000});
}

TEST(GasSpikeFault, OverlappingSpikesMultiply) {
  shards::ShardConfig c;
  c.base_fee = Amount::units(1'000);
  c.gas_spikes.push_back(shards::GasSpikeWindow{{at(Duration::min(1)), at(Duration::min(10))}, 2});
  c.gas_spikes.push_back(shards::GasSpikeWindow{{at(Duration::min(5)), at(Duration::min(20))}, 1.5});
  EXPECT_EQ(c.base_fee_at(at(Duration::s(30))), Amount::units(1'000));
  EXPECT_EQ(c.base_fee_at(at(Duration::min(2))), Amount::units(2'000));
  EXPECT_EQ(c.base_fee_at(at(Duration::min(6))), Amount::units(3'000));
  EXPECT_EQ(c.base_fee_at(at(Duration::min(15))), Amount::units(1'500));
  EXPECT_EQ(c.base_fee_at(at(Duration::min(20))), Amount::units(1'000));
  c.base_fee = Amount::units(3);
  c.gas_spikes = {shards::GasSpikeWindow{{at(Duration{}), at(Duration::h(1))}, 1.5}};
  EXPECT_EQ(c.base_fee_at(at(Duration::min(1))), Amount::units(4));  // 4.5, rounded down
}

// ---- the loader ---------------------------------------------------------------------------------

// Line numbers below refer to this text.
constexpr std::string_view kFaults =
    "name: faults-more\n"                                                                       // 1
    "duration: 1d\n"                                                                            // 2
    "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {decimals: 8}, sBTC: {}, DAI: {}}\n"           // 3
    "prices:\n"                                                                                 // 4
    "  model: gbm\n"                                                                            // 5
    "  assets:\n"                                                                               // 6
    "    ETH: {initial: 2000, vol_annual: 80%}\n"                                               // 7
    "    sBTC: {peg: BTC}\n"                                                                    // 8
    "    BTC: {initial: 50000, vol_annual: 60%}\n"                                              // 9
    "    USDC: {initial: 1}\n"                                                                  // 10
    "shards:\n"                                                                                 // 11
    "  - {id: lend, slot: 12s, gas_per_block: 30M, fee_asset: ETH, base_fee: 0.00000001}\n"     // 12
    "  - {id: l2, slot: 2s, gas_per_block: 30M, protocols: [{kind: lending, name: aave}]}\n"    // 13
    "links: {default: {latency: {model: constant, value: 1s}}}\n"                               // 14
    "faults:\n"                                                                                 // 15
    "  - {at: 6h, price_crash: {asset: ETH, move: -35%, over: 30m}}\n"                          // 16
    "  - {at: 12h, depeg: {asset: sBTC, to: 0.92, over: 2h}}\n"                                 // 17
    "  - {at: 3h, protocol_insolvency: {protocol: aave, loss: 30%}}\n"                          // 18
    "  - {at: 1h, gas_spike: {shard: lend, factor: 10, duration: 10m}}\n";                      // 19

std::string edited(std::string_view from, std::string_view to) { return with_in(kFaults, from, to); }

void expect_error_at(const std::string& yaml, std::string_view key_path, int line, std::string_view token,
                     std::initializer_list<std::string_view> words) {
  expect_error(yaml, key_path, line, words, column_of(yaml, line, token));
}

TEST(FaultKindsLoader, ReadsEveryNewKind) {
  const app::Topology t = app::load_topology_string(kFaults, "t.yaml");
  ASSERT_EQ(t.faults.size(), 4u);
  const std::uint32_t eth = *t.asset_index("ETH"), btc = *t.asset_index("BTC"), sbtc = *t.asset_index("sBTC");
  ASSERT_EQ(t.prices.assets.size(), 4u);
  EXPECT_EQ(t.prices.assets[1].asset, sbtc);
  EXPECT_EQ(t.prices.assets[1].peg, btc);
  EXPECT_EQ(t.prices.assets[0].peg, std::nullopt);

  const app::FaultSpec& crash = t.faults[0];
  EXPECT_EQ(crash.kind, FaultKind::price_crash);
  EXPECT_EQ(crash.at, at(Duration::h(6)));
  EXPECT_EQ(crash.asset, eth);
  EXPECT_DOUBLE_EQ(crash.move, -0.35);
  EXPECT_EQ(crash.duration, Duration::min(30));
  EXPECT_EQ(crash.line, 16u);

  const app::FaultSpec& depeg = t.faults[1];
  EXPECT_EQ(depeg.kind, FaultKind::depeg);
  EXPECT_EQ(depeg.asset, sbtc);
  EXPECT_DOUBLE_EQ(depeg.depeg_to, 0.92);
  EXPECT_EQ(depeg.duration, Duration::h(2));

  const app::FaultSpec& exploit = t.faults[2];
  EXPECT_EQ(exploit.kind, FaultKind::protocol_insolvency);
  EXPECT_EQ(exploit.protocol, "aave");
  EXPECT_EQ(exploit.shard, 1u);  // aave's shard
  EXPECT_DOUBLE_EQ(exploit.loss, 0.3);
  EXPECT_EQ(exploit.duration, Duration{});

  const app::FaultSpec& spike = t.faults[3];
  EXPECT_EQ(spike.kind, FaultKind::gas_spike);
  EXPECT_EQ(spike.shard, 0u);
  EXPECT_DOUBLE_EQ(spike.factor, 10);
  EXPECT_EQ(spike.duration, Duration::min(10));

  // `over` may be left out: the move is instantaneous.
  const app::Topology instant = app::load_topology_string(edited(", over: 30m}", "}"), "t.yaml");
  EXPECT_EQ(instant.faults[0].duration, Duration{});
  // The whole topology builds and runs.
  app::Simulation w(t, t.seed);
  EXPECT_EQ(w.prices()->price(sbtc, at(Duration::h(1))), w.prices()->price(btc, at(Duration::h(1))));
}

TEST(FaultKindsLoader, PriceCrashErrors) {
  expect_error_at(edited("{asset: ETH, move", "{asset: XRP, move"), "faults.0.price_crash.asset", 16, "XRP",
                  {"unknown asset \"XRP\"", "one of: USDC, ETH, BTC, sBTC, DAI"});
  expect_error_at(edited("{asset: ETH, move", "{asset: DAI, move"), "faults.0.price_crash.asset", 16, "DAI",
                  {"DAI has no price process", "ETH"});
  expect_error_at(edited("move: -35%", "move: -100%"), "faults.0.price_crash.move", 16, "-100%",
                  {"move \"-100%\" would take the price to zero or below", "above -100%"});
  expect_error_at(edited("move: -35%", "move: 1001%"), "faults.0.price_crash.move", 16, "1001%",
                  {"move \"1001%\" is above +1000%"});
  expect_error_at(edited("move: -35%, over: 30m", "move: -35%, over: -1m"), "faults.0.price_crash.over", 16,
                  "-1m", {"-1m"});
  expect_error_at(edited("{asset: ETH, move: -35%, over: 30m}", "{asset: ETH, over: 30m}"), "faults.0.price_crash.move", 16,
                  "{asset: ETH, over", {"missing required key \"move\""});
  expect_error_at(edited("over: 30m}", "over: 30m, duration: 1h}"), "faults.0.price_crash.duration", 16,
                  "duration: 1h", {"unknown key \"duration\""});
}

TEST(FaultKindsLoader, DepegErrors) {
  expect_error_at(edited("{asset: sBTC, to", "{asset: ETH, to"), "faults.1.depeg.asset", 17, "ETH",
                  {"ETH is not pegged", "a pegged asset: one of: sBTC"});
  expect_error_at(edited("{asset: sBTC, to", "{asset: sETH, to"), "faults.1.depeg.asset", 17, "sETH",
                  {"unknown asset \"sETH\""});
  expect_error_at(edited("to: 0.92", "to: 0"), "faults.1.depeg.to", 17, "0,", {"must be positive"});
  expect_error_at(edited("to: 0.92", "to: 11"), "faults.1.depeg.to", 17, "11", {"is above 10"});
  // Without pegged assets, the message says how to declare one.
  expect_error_at(with_in(edited("    sBTC: {peg: BTC}\n", ""), "{asset: sBTC, to", "{asset: BTC, to"),
                  "faults.1.depeg.asset", 16, "BTC", {"BTC is not pegged", "sBTC: {peg: BTC}"});
}

TEST(FaultKindsLoader, ProtocolInsolvencyErrors) {
  expect_error_at(edited("{protocol: aave,", "{protocol: comp,"), "faults.2.protocol_insolvency.protocol", 18, "comp",
                  {"unknown protocol \"comp\"", "aave"});
  expect_error_at(edited("loss: 30%", "loss: 150%"), "faults.2.protocol_insolvency.loss", 18, "150%",
                  {"loss \"150%\" is above 100%", "(0, 100%]"});
  expect_error_at(edited("loss: 30%", "loss: 0%"), "faults.2.protocol_insolvency.loss", 18, "0%",
                  {"must be positive"});
  expect_error_at(edited("loss: 30%}", "loss: 30%, duration: 1h}"), "faults.2.protocol_insolvency.duration", 18,
                  "duration", {"unknown key \"duration\""});
}

TEST(FaultKindsLoader, GasSpikeErrors) {
  expect_error_at(edited("factor: 10", "factor: 0.5"), "faults.3.gas_spike.factor", 19, "0.5",
                  {"factor \"0.5\" is below 1", "from 1 to 1000000"});
  expect_error_at(edited("factor: 10", "factor: 10M"), "faults.3.gas_spike.factor", 19, "10M", {"10M"});
  expect_error_at(edited("{shard: lend, factor", "{shard: rollup, factor"), "faults.3.gas_spike.shard", 19, "rollup",
                  {"unknown shard \"rollup\"", "one of: lend, l2"});
  expect_error_at(edited("{shard: lend, factor", "{shard: l2, factor"), "faults.3.gas_spike.shard", 19, "l2",
                  {"shard \"l2\" charges no base fee", "base_fee > 0"});
  expect_error_at(edited("factor: 10, duration: 10m", "factor: 10"), "faults.3.gas_spike.duration", 19, "{shard",
                  {"missing required key \"duration\""});
}

TEST(FaultKindsLoader, BrokerDefaultErrors) {
  expect_error_at(std::string(kFaults) + "  - {at: 5h, broker_default: {broker: prime}}\n",
                  "faults.4.broker_default.broker", 20, "prime",
                  {"unknown broker \"prime\"", "a broker declared under brokers: (none are)"});
}

// receipt_drop, appended as fault 4 on line 20.
std::string with_drop(std::string_view body) {
  return std::string(kFaults) + "  - {at: 2h, receipt_drop: " + std::string(body) + "}\n";
}

TEST(FaultKindsLoader, ReadsReceiptDropIntoTheSendingShardsConfig) {
  const app::Topology t = app::load_topology_string(with_drop("{from: lend, to: l2, rate: 50%, over: 10m}"), "t.yaml");
  ASSERT_EQ(t.faults.size(), 5u);
  const app::FaultSpec& drop = t.faults[4];
  EXPECT_EQ(drop.kind, FaultKind::receipt_drop);
  EXPECT_EQ(drop.at, at(Duration::h(2)));
  EXPECT_EQ(drop.from, 0u);
  EXPECT_EQ(drop.to, 1u);
  EXPECT_DOUBLE_EQ(drop.probability, 0.5);
  EXPECT_EQ(drop.duration, Duration::min(10));
  app::Simulation w(t, t.seed);
  const shards::ShardConfig& lend = w.shard(0).config();
  ASSERT_EQ(lend.receipt_drops.size(), 1u);
  EXPECT_EQ(lend.receipt_drops[0].to, 1u);
  EXPECT_DOUBLE_EQ(lend.receipt_drops[0].rate, 0.5);
  EXPECT_EQ(lend.receipt_drops[0].window.start, at(Duration::h(2)));
  EXPECT_EQ(lend.receipt_drops[0].window.end, at(Duration::h(2) + Duration::min(10)));
  EXPECT_FALSE(lend.dedup_receipts);
  EXPECT_TRUE(w.shard(1).config().dedup_receipts);  // the receiver drops copies by id
}

TEST(FaultKindsLoader, ReceiptDropErrors) {
  const std::string good = "{from: lend, to: l2, rate: 50%, over: 10m}";
  auto bad = [&](std::string_view from, std::string_view to) { return with_in(with_drop(good), from, to); };
  expect_error_at(bad("to: l2", "to: rollup"), "faults.4.receipt_drop.to", 20, "rollup",
                  {"unknown shard \"rollup\"", "one of: lend, l2"});
  expect_error_at(bad("{from: lend", "{from: l3"), "faults.4.receipt_drop.from", 20, "l3",
                  {"unknown shard \"l3\""});
  expect_error_at(bad("rate: 50%", "rate: 150%"), "faults.4.receipt_drop.rate", 20, "150%",
                  {"rate \"150%\" is above 100%", "from 0 to 100%"});
  expect_error_at(bad("rate: 50%", "rate: -5%"), "faults.4.receipt_drop.rate", 20, "-5%", {"-5%"});
  expect_error_at(bad("to: l2", "to: lend"), "faults.4.receipt_drop.to", 20, "lend, rate",
                  {"receipt drop from \"lend\" to itself", "two different shards"});
  expect_error_at(bad(", over: 10m}", "}"), "faults.4.receipt_drop.over", 20, "{from",
                  {"missing required key \"over\""});
  expect_error_at(bad("over: 10m}", "over: 10m, duration: 1h}"), "faults.4.receipt_drop.duration", 20,
                  "duration: 1h", {"unknown key \"duration\""});
}

TEST(FaultKindsLoader, UnknownKindListsTheNewOnes) {
  const app::TopologyError e =
      error_of(edited("{at: 6h, price_crash: {asset: ETH, move: -35%, over: 30m}}", "{at: 6h, meteor: {}}"));
  const std::string what = e.what();
  EXPECT_EQ(e.key_path(), "faults.0.meteor");
  for (const char* kind : {"price_crash", "depeg", "protocol_insolvency", "broker_default", "gas_spike", "receipt_drop"}) {
    EXPECT_NE(what.find(kind), std::string::npos) << kind;
  }
}

TEST(FaultKindsLoader, PegErrors) {
  expect_error_at(edited("{peg: BTC}", "{peg: XRP}"), "prices.assets.sBTC.peg", 8, "XRP", {"unknown asset \"XRP\""});
  expect_error_at(edited("{peg: BTC}", "{peg: DAI}"), "prices.assets.sBTC.peg", 8, "DAI",
                  {"sBTC is pegged to DAI, which has no price process", "one of: ETH, BTC, USDC"});
  expect_error_at(edited("{peg: BTC}", "{peg: sBTC}"), "prices.assets.sBTC.peg", 8, "sBTC}",
                  {"sBTC is pegged to itself"});
  expect_error_at(edited("    USDC: {initial: 1}\n", "    USDC: {initial: 1}\n    DAI: {peg: sBTC}\n"),
                  "prices.assets.DAI.peg", 11, "sBTC", {"DAI is pegged to sBTC, which is itself pegged (to BTC)"});
  expect_error_at(edited("{peg: BTC}", "{peg: BTC, initial: 50000}"), "prices.assets.sBTC.initial", 8, "initial",
                  {"a pegged asset takes its price from its peg", "{peg: BTC} alone"});
  expect_error_at(edited("{peg: BTC}", "{peg: BTC, vol_annual: 10%}"), "prices.assets.sBTC.vol_annual", 8,
                  "vol_annual", {"no vol_annual"});
}

}  // namespace
}  // namespace shardsim
