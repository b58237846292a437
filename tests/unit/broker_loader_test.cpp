// Tests the topology's `brokers:` section and `script:` broker entries: a full broker loads to
// the exact values (slot-relative durations resolved against the home slot), and each mistake
// gives one line naming the key path, line, column and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"
#include "protocols/api/fixed_point.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;
using protocols::kWadUnit;

// Line numbers below refer to this text.
constexpr std::string_view kBrokers =
    "name: brokers\n"                                                                      // 1
    "duration: 1d\n"                                                                       // 2
    "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {}, SNX: {}, sUSD: {}, sBTC: {}, sETH: {}}\n"
    "shards:\n"                                                                            // 4
    "  - {id: lend, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, BTC, USDC]}}\n" // 5
    "  - id: synths\n"                                                                     // 6
    "    slot: 12s\n"                                                                      // 7
    "    gas_per_block: 30M\n"                                                             // 8
    "    oracles: {assets: [BTC, ETH, SNX]}\n"                                             // 9
    "    protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD, sBTC, sETH]}}]\n"
    "  - id: perps\n"                                                                      // 11
    "    slot: 2s\n"                                                                       // 12
    "    gas_per_block: 50M\n"                                                             // 13
    "    oracles: {assets: [BTC, ETH]}\n"                                                  // 14
    "    protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%}}}}]\n"
    "  - {id: dex, slot: 12s, gas_per_block: 30M}\n"                                       // 16
    "  - {id: l2, slot: 250ms, gas_per_block: 100M, oracles: {assets: [BTC, ETH, USDC]}}\n"
    "links: {default: {latency: {model: constant, value: 24s}}}\n"                         // 18
    "accounts:\n"                                                                          // 19
    "  whale: {shard: lend, balances: {USDC: 10M}}\n"                                      // 20
    "script:\n"                                                                            // 21
    "  - at: 2s\n"                                                                         // 22
    "    broker: {client: whale, broker: prime, op: deposit, args: {from_shard: lend, asset: USDC, "
    "amount: 1M}}\n"                                                                       // 23
    "  - at: 1m\n"                                                                         // 24
    "    broker: {client: whale, broker: prime, op: order, args: {instrument: snx.sBTC, qty: 10, "
    "limit: 50000.5}}\n"                                                                   // 25
    "  - at: 1m\n"                                                                         // 26
    "    broker: {client: whale, broker: lean, op: order, args: {instrument: dydx.BTC-PERP, "
    "qty: -0.5}}\n"                                                                        // 27
    "  - at: 1h\n"                                                                         // 28
    "    broker: {client: whale, broker: prime, op: withdraw, args: {to_shard: lend, asset: USDC, "
    "amount: 0.5}}\n"                                                                      // 29
    "brokers:\n"                                                                           // 30
    "  - name: prime\n"                                                                    // 31
    "    home: l2\n"                                                                       // 32
    "    capital: {USDC: 5M, ETH: 100}\n"                                                  // 33
    "    default_fund: {USDC: 1M}\n"                                                       // 34
    "    margin: {scan_range: {BTC: 10%, ETH: 12%}, scan_range_default: 1%, extreme: {multiplier: 3, "
    "fraction: 30%},\n"                                                                    // 35
    "             basis_charge: 2%, credits: [{pair: [BTC, ETH], rate: 60%, ratio: [2, 1], unit: units, "
    "legs: same}],\n"                                                                      // 36
    "             haircuts: {snx: 3%, dydx: 2%}, latency_z: 1.5, maintenance: 80%}\n"      // 37
    "    hedging: {policy: threshold, every: 4 slots, band: 100k, privacy: private, split: 4, "
    "private_delay: 1 slot, private_fee: 0.05%, venue_margin: 250k}\n"                     // 38
    "    settlement: {atomicity: two_phase, ordering: risk_first, timeout: 10 slots}\n"    // 39
    "    limits: {position_notional_max: {USDC: 2M}, withdrawal_delay: 1h}\n"              // 40
    "    vertically_integrated: true\n"                                                    // 41
    "    issues: snx\n"                                                                    // 42
    "    order_fee: 0.03%\n"                                                               // 43
    "    liquidation_fee: 2%\n"                                                            // 44
    "  - {name: lean, home: perps}\n"                                                      // 45
    "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, "
    "USDC: {initial: 1}, SNX: {initial: 2}}}\n";                                           // 46

std::string edit(std::string_view from, std::string_view to) { return with_in(kBrokers, from, to); }

class BrokerLoader : public ::testing::Test {};

// ---- valid input ----------------------------------------------------------------------------

TEST_F(BrokerLoader, ReadsEveryBrokerField) {
  const Topology t = load_topology_string(kBrokers, "b.yaml");
  ASSERT_EQ(t.brokers.size(), 2u);
  const broker::BrokerConfig& b = t.brokers[0];
  EXPECT_EQ(b.name, "prime");
  EXPECT_EQ(b.line, 31u);
  EXPECT_EQ(b.home_shard, 4u);
  ASSERT_EQ(b.capital.size(), 2u);
  EXPECT_EQ(b.capital[0].asset, 0u);
  EXPECT_EQ(b.capital[0].amount, units(5'000'000'000'000));
  EXPECT_EQ(b.capital[1].asset, 1u);
  EXPECT_EQ(b.capital[1].amount, units(100 * kWadUnit));
  ASSERT_EQ(b.default_fund.size(), 1u);
  EXPECT_EQ(b.default_fund[0].amount, units(1'000'000'000'000));

  const broker::MarginConfig& m = b.margin;
  ASSERT_EQ(m.scan_range.size(), 2u);
  EXPECT_DOUBLE_EQ(m.scan_range.at(2), 0.10);  // BTC
  EXPECT_DOUBLE_EQ(m.scan_range.at(1), 0.12);  // ETH
  EXPECT_DOUBLE_EQ(m.scan_range_default, 0.01);
  EXPECT_DOUBLE_EQ(m.extreme_multiplier, 3);
  EXPECT_DOUBLE_EQ(m.extreme_fraction, 0.30);
  EXPECT_DOUBLE_EQ(m.basis_charge, 0.02);
  ASSERT_EQ(m.credits.size(), 1u);
  EXPECT_EQ(m.credits[0].a, 2u);
  EXPECT_EQ(m.credits[0].b, 1u);
  EXPECT_DOUBLE_EQ(m.credits[0].rate, 0.6);
  EXPECT_DOUBLE_EQ(m.credits[0].ratio_a, 2);
  EXPECT_DOUBLE_EQ(m.credits[0].ratio_b, 1);
  EXPECT_EQ(m.credits[0].unit, broker::DeltaUnit::underlying_units);
  EXPECT_EQ(m.credits[0].legs, broker::CreditLegs::same);
  EXPECT_DOUBLE_EQ(m.haircut_of("snx"), 0.03);
  EXPECT_DOUBLE_EQ(m.haircut_of("dydx"), 0.02);
  EXPECT_DOUBLE_EQ(m.latency_z, 1.5);
  EXPECT_DOUBLE_EQ(m.maintenance, 0.8);
  EXPECT_TRUE(m.vol_annual.empty());  // the world fills it from the price model

  const broker::HedgingConfig& h = b.hedging;
  EXPECT_EQ(h.policy, broker::HedgePolicy::threshold);
  EXPECT_EQ(h.every, Duration::s(1));  // 4 slots of 250ms
  EXPECT_DOUBLE_EQ(h.band_usd, 100'000);
  EXPECT_EQ(h.privacy, broker::HedgePrivacy::private_flow);
  EXPECT_EQ(h.split, 4u);
  EXPECT_EQ(h.split_spacing, Duration::ms(250));  // default: one home slot
  EXPECT_EQ(h.reveal_delay, 2u);
  EXPECT_DOUBLE_EQ(h.commit_leak, 0);
  EXPECT_EQ(h.private_delay, Duration::ms(250));
  EXPECT_DOUBLE_EQ(h.private_fee, 0.0005);
  ASSERT_TRUE(h.venue_margin.has_value());
  EXPECT_EQ(*h.venue_margin, units(250'000'000'000));  // USDC, the first capital asset

  EXPECT_EQ(b.settlement.atomicity, broker::Atomicity::two_phase);
  EXPECT_EQ(b.settlement.ordering, broker::SettlementOrdering::risk_first);
  EXPECT_EQ(b.settlement.timeout, Duration::ms(2500));
  ASSERT_TRUE(b.limits.position_notional_max.has_value());
  EXPECT_EQ(b.limits.position_notional_max->asset, 0u);
  EXPECT_EQ(b.limits.position_notional_max->amount, units(2'000'000'000'000));
  EXPECT_EQ(b.limits.withdrawal_delay, Duration::h(1));
  EXPECT_TRUE(b.vertically_integrated);
  EXPECT_EQ(b.issuer_of, "snx");
  EXPECT_TRUE(b.order_fee_wad == protocols::i128{300'000'000'000'000});  // 0.03%, exact
  EXPECT_TRUE(b.liquidation_fee_wad == protocols::i128{20'000'000'000'000'000});
}

TEST_F(BrokerLoader, DefaultsCountHomeSlots) {
  const Topology t = load_topology_string(kBrokers, "b.yaml");
  const broker::BrokerConfig& b = t.brokers[1];
  EXPECT_EQ(b.name, "lean");
  EXPECT_EQ(b.home_shard, 2u);  // perps: 2s slots
  EXPECT_TRUE(b.capital.empty());
  EXPECT_EQ(b.hedging.policy, broker::HedgePolicy::batch);
  EXPECT_EQ(b.hedging.every, Duration::s(2));
  EXPECT_EQ(b.hedging.private_delay, Duration::s(4));
  EXPECT_EQ(b.hedging.split, 1u);
  EXPECT_FALSE(b.hedging.venue_margin.has_value());
  EXPECT_EQ(b.settlement.timeout, Duration::s(20));
  EXPECT_EQ(b.limits.withdrawal_delay, Duration{});
  EXPECT_FALSE(b.limits.position_notional_max.has_value());
  EXPECT_FALSE(b.vertically_integrated);
  EXPECT_DOUBLE_EQ(b.margin.maintenance, 0.75);
}

TEST_F(BrokerLoader, ReadsScriptBrokerActions) {
  const Topology t = load_topology_string(kBrokers, "b.yaml");
  ASSERT_EQ(t.script.size(), 4u);
  ASSERT_TRUE(t.script[0].broker.has_value());
  EXPECT_FALSE(t.script[0].tx.has_value());
  const ScriptBrokerAction& deposit = *t.script[0].broker;
  EXPECT_EQ(deposit.client, "whale");
  EXPECT_EQ(deposit.broker, 0u);
  EXPECT_EQ(deposit.op, BrokerOp::deposit);
  EXPECT_EQ(deposit.shard, 0u);
  EXPECT_EQ(deposit.asset, 0u);
  EXPECT_EQ(deposit.amount, units(1'000'000'000'000));

  const ScriptBrokerAction& buy = *t.script[1].broker;
  EXPECT_EQ(buy.op, BrokerOp::order);
  EXPECT_EQ(buy.instrument, "snx.sBTC");
  EXPECT_EQ(buy.qty_wad, 10 * kWadUnit);
  ASSERT_TRUE(buy.limit_wad.has_value());
  EXPECT_EQ(*buy.limit_wad, 50'000 * kWadUnit + kWadUnit / 2);

  const ScriptBrokerAction& sell = *t.script[2].broker;
  EXPECT_EQ(sell.broker, 1u);
  EXPECT_EQ(sell.instrument, "dydx.BTC-PERP");
  EXPECT_EQ(sell.qty_wad, -kWadUnit / 2);
  EXPECT_FALSE(sell.limit_wad.has_value());

  const ScriptBrokerAction& withdraw = *t.script[3].broker;
  EXPECT_EQ(withdraw.op, BrokerOp::withdraw);
  EXPECT_EQ(withdraw.shard, 0u);
  EXPECT_EQ(withdraw.amount, units(500'000));
  EXPECT_EQ(t.script[3].at, SimTime::from_us(Duration::h(1).count_us()));
}

TEST_F(BrokerLoader, PlainDurationsAndNoBrokers) {
  const Topology t = load_topology_string(edit("every: 4 slots", "every: 1.5s"), "b.yaml");
  EXPECT_EQ(t.brokers[0].hedging.every, Duration::ms(1500));
  EXPECT_TRUE(load_topology_string(kBare, "t.yaml").brokers.empty());
}

TEST_F(BrokerLoader, ReadsLocksAndDeadlinesByCause) {
  const Topology t = load_topology_string(
      edit("timeout: 10 slots}", "timeout: 10 slots, locks: wait, deadlines: {order: 5m, margin_call: 1m, withdrawal: 30m}}"),
      "b.yaml");
  const broker::SettlementConfig& s = t.brokers[0].settlement;
  EXPECT_TRUE(s.lock_wait);
  EXPECT_EQ(s.order_deadline, Duration::min(5));
  EXPECT_EQ(s.margin_call_deadline, Duration::min(1));
  EXPECT_EQ(s.withdrawal_deadline, Duration::min(30));
  // Unset: no lock waiting, and no deadline from any cause.
  const Topology plain = load_topology_string(edit("every: 4 slots", "every: 4 slots"), "b.yaml");
  EXPECT_FALSE(plain.brokers[0].settlement.lock_wait);
  EXPECT_EQ(plain.brokers[0].settlement.order_deadline, Duration{});
}

// ---- errors: brokers ------------------------------------------------------------------------

TEST_F(BrokerLoader, UnknownKey) {
  expect_error(edit("    order_fee: 0.03%\n", "    order_fees: 0.03%\n"), "brokers.0.order_fees", 43,
               {"unknown key \"order_fees\"", "did you mean \"order_fee\"?", "liquidation_fee"}, 5);
  expect_error(edit("latency_z: 1.5", "latency_zz: 1.5"), "brokers.0.margin.latency_zz", 37,
               {"unknown key \"latency_zz\""}, 45);
}

TEST_F(BrokerLoader, HomeShardWithoutOracles) {
  expect_error(edit("{name: lean, home: perps}", "{name: lean, home: dex}"), "brokers.1.home", 45,
               {"shard \"dex\" has no oracles", "a shard with oracles: lend, synths, perps, l2"}, 24);
  expect_error(edit("{name: lean, home: perps}", "{name: lean, home: mars}"), "brokers.1.home", 45,
               {"unknown shard \"mars\""}, 24);
}

TEST_F(BrokerLoader, BadPolicyListsChoices) {
  expect_error(edit("policy: threshold", "policy: sometimes"), "brokers.0.hedging.policy", 38,
               {"unknown hedging policy \"sometimes\"", "one of: immediate, threshold, batch, none"}, 23);
}

TEST_F(BrokerLoader, BadLocksAndDeadlines) {
  expect_error(edit("timeout: 10 slots}", "timeout: 10 slots, locks: sometimes}"), "brokers.0.settlement.locks", 39,
               {"unknown locks \"sometimes\"", "revert or wait"});
  expect_error(edit("timeout: 10 slots}", "timeout: 10 slots, deadlines: {orders: 5m}}"),
               "brokers.0.settlement.deadlines.orders", 39, {"unknown key \"orders\"", "order"});
}

TEST_F(BrokerLoader, DuplicateName) {
  expect_error(edit("{name: lean,", "{name: prime,"), "brokers.1.name", 45,
               {"duplicate broker name \"prime\", first defined on line 31"}, 12);
}

TEST_F(BrokerLoader, VerticalIntegrationNeedsASyntheticsIssuer) {
  expect_error(edit("    issues: snx\n", ""), "brokers.0.issues", 31,
               {"missing required key \"issues\"", "a synthetics protocol: one of: snx"}, 5);
  expect_error(edit("issues: snx", "issues: dydx"), "brokers.0.issues", 42,
               {"protocol \"dydx\" is perps, not synthetics", "one of: snx"}, 13);
  // Independent: `issues` stays valid (and inert), so one param flips a broker (issuer_loader_test.cpp).
  expect_error(edit("vertically_integrated: true\n    issues: snx", "vertically_integrated: false\n    issues: dydx"),
               "brokers.0.issues", 42, {"protocol \"dydx\" is perps, not synthetics"}, 13);
}

TEST_F(BrokerLoader, SlotDurationsAndRanges) {
  expect_error(edit("every: 4 slots", "every: 0 slots"), "brokers.0.hedging.every", 38,
               {"must be positive, got \"0 slots\"", "home slots (250ms each)"}, 41);
  expect_error(edit("every: 4 slots", "every: 4 blocks"), "brokers.0.hedging.every", 38,
               {"invalid duration \"4 blocks\""});
  expect_error(edit("split: 4", "split: 65"), "brokers.0.hedging.split", 38, {"must be at most 64"});
  expect_error(edit("split: 4", "split: 4, reveal_delay: 1001"), "brokers.0.hedging.reveal_delay", 38,
               {"must be at most 1000"});
  expect_error(edit("split: 4", "split: 4, commit_leak: 120%"), "brokers.0.hedging.commit_leak", 38, {"above 100%"});
  expect_error(edit("split: 4", "split: 4, split_spacing: -1s"), "brokers.0.hedging.split_spacing", 38,
               {"must not be negative"});
  const broker::HedgingConfig h =
      load_topology_string(edit("split: 4", "split: 4, split_spacing: 3 slots, reveal_delay: 5, commit_leak: 25%"), "b.yaml")
          .brokers[0]
          .hedging;
  EXPECT_EQ(h.split_spacing, Duration::ms(750));
  EXPECT_EQ(h.reveal_delay, 5u);
  EXPECT_DOUBLE_EQ(h.commit_leak, 0.25);
  expect_error(edit("band: 100k", "band: -1"), "brokers.0.hedging.band", 38, {"must not be negative"});
  expect_error(edit("order_fee: 0.03%", "order_fee: 120%"), "brokers.0.order_fee", 43, {"above 100%"});
  expect_error(edit("maintenance: 80%", "maintenance: 180%"), "brokers.0.margin", 35,
               {"maintenance must be within 0%..100%"}, 13);
}

TEST_F(BrokerLoader, DefaultFundClientContribution) {
  const broker::BrokerConfig b =
      load_topology_string(edit("default_fund: {USDC: 1M}", "default_fund: {USDC: 1M, client_contribution: 2.5%}"), "b.yaml")
          .brokers[0];
  ASSERT_EQ(b.default_fund.size(), 1u);
  EXPECT_TRUE(b.client_contribution_wad == protocols::i128{25'000'000'000'000'000});  // 2.5%, exact
  EXPECT_TRUE(load_topology_string(kBrokers, "b.yaml").brokers[0].client_contribution_wad == 0);
  expect_error(edit("default_fund: {USDC: 1M}", "default_fund: {USDC: 1M, client_contribution: 120%}"),
               "brokers.0.default_fund.client_contribution", 34, {"above 100%"});
  expect_error(edit("default_fund: {USDC: 1M}", "default_fund: {USDC: 1M, client_contribution: lots}"),
               "brokers.0.default_fund.client_contribution", 34, {"lots"});
  expect_error(edit("default_fund: {USDC: 1M}", "default_fund: {USDC: 1M, DOGE: 5}"), "brokers.0.default_fund.DOGE", 34,
               {"unknown asset \"DOGE\""});
}

TEST_F(BrokerLoader, ClaimsAndCollateralKeys) {
  const Topology t = load_topology_string(
      edit("maintenance: 80%}", "maintenance: 80%, resolution_charge: 5%}"), "b.yaml");
  EXPECT_DOUBLE_EQ(t.brokers[0].margin.resolution_charge, 0.05);
  EXPECT_TRUE(t.brokers[0].hedging.prediction_venues);  // the default
  expect_error(edit("maintenance: 80%}", "maintenance: 80%, resolution_charge: 150%}"), "brokers.0.margin", 35,
               {"resolution_charge must be within 0%..100%"}, 13);
  expect_error(edit("venue_margin: 250k}", "venue_margin: 250k, venues: {augur: true}}"),
               "brokers.0.hedging.venues.augur", 38, {"unknown venue kind \"augur\"", "perps, amm, prediction or dark"});
  expect_error(edit("op: order, args: {instrument: dydx.BTC-PERP, qty: -0.5}", "op: pledge, args: {instrument: dydx.BTC-PERP, qty: -0.5}"),
               "script.2.broker", 27, {"a pledge posts a positive quantity and has no limit"});
}

TEST_F(BrokerLoader, MarginReferences) {
  expect_error(edit("haircuts: {snx: 3%", "haircuts: {gmx: 3%"), "brokers.0.margin.haircuts.gmx", 37,
               {"unknown protocol \"gmx\"", "one of: snx, dydx"}, 25);
  expect_error(edit("pair: [BTC, ETH]", "pair: [BTC, DOGE]"), "brokers.0.margin.credits.0.pair.1", 36,
               {"unknown asset \"DOGE\""});
  expect_error(edit("pair: [BTC, ETH]", "pair: [BTC]"), "brokers.0.margin.credits.0.pair", 36,
               {"a pair of 1 assets"});
}

TEST_F(BrokerLoader, VenueMarginNeedsCapital) {
  expect_error(edit("{name: lean, home: perps}", "{name: lean, home: perps, hedging: {venue_margin: 1k}}"),
               "brokers.1.hedging.venue_margin", 45, {"capital is empty"});
  expect_error(edit("position_notional_max: {USDC: 2M}", "position_notional_max: {USDC: 2M, ETH: 1}"),
               "brokers.0.limits.position_notional_max", 40, {"a map of 2 amounts", "one amount"});
}

// ---- errors: script broker entries ----------------------------------------------------------

TEST_F(BrokerLoader, ScriptUnknownBroker) {
  expect_error(edit("broker: lean,", "broker: leen,"), "script.2.broker.broker", 27,
               {"unknown broker \"leen\"", "one of: prime, lean"}, 37);
}

TEST_F(BrokerLoader, ScriptUnknownClient) {
  expect_error(edit("client: whale, broker: lean", "client: shark, broker: lean"), "script.2.broker.client", 27,
               {"unknown account \"shark\"", "one of: whale"}, 22);
}

TEST_F(BrokerLoader, ScriptInstrumentOfUnknownProtocol) {
  expect_error(edit("instrument: dydx.BTC-PERP", "instrument: gmx.BTC-PERP"),
               "script.2.broker.args.instrument", 27,
               {"unknown protocol \"gmx\" in instrument \"gmx.BTC-PERP\"", "one of: snx, dydx"}, 73);
  expect_error(edit("instrument: dydx.BTC-PERP", "instrument: dydx"), "script.2.broker.args.instrument", 27,
               {"has no SYMBOL"});
}

TEST_F(BrokerLoader, ScriptZeroQty) {
  expect_error(edit("qty: -0.5", "qty: 0"), "script.2.broker.args.qty", 27, {"qty must not be 0"}, 93);
  expect_error(edit("qty: -0.5", "qty: lots"), "script.2.broker.args.qty", 27, {"invalid number \"lots\""});
}

TEST_F(BrokerLoader, ScriptOpsAndArgs) {
  expect_error(edit("op: withdraw", "op: borrow"), "script.3.broker.op", 29,
               {"unknown broker op \"borrow\"", "one of: deposit, withdraw, order, pay, pledge"});
  expect_error(edit("{from_shard: lend,", "{to_shard: lend,"), "script.0.broker.args.from_shard", 23,
               {"missing required key \"from_shard\""});
  expect_error(edit("limit: 50000.5", "limit: -1"), "script.1.broker.args.limit", 25, {"must be positive"});
  expect_error(edit("  - at: 1h\n    broker:", "  - at: 1h\n    brokr:"), "script.3.brokr", 29,
               {"unknown key \"brokr\"", "did you mean \"broker\"?"});
}

}  // namespace
}  // namespace shardsim::app

namespace shardsim::app {
namespace {

// `hedging: {counterparty, counterparty_limit}` names another broker; its variation margin needs
// the clearing cycles (broker/interbroker.hpp).
TEST(BrokerLoaderCounterparty, ACounterpartyIsAnotherBrokerAndNeedsClearing) {
  const std::string cp = with_in(kBrokers, "venue_margin: 250k}", "venue_margin: 250k, counterparty: lean, counterparty_limit: 2M}");
  const std::string cleared = cp + "clearing: {cycle: 1m}\n";
  const Topology t = load_topology_string(cleared, "b.yaml");
  EXPECT_EQ(t.brokers[0].hedging.counterparty, "lean");
  EXPECT_DOUBLE_EQ(t.brokers[0].hedging.counterparty_limit_usd, 2e6);
  EXPECT_TRUE(t.brokers[1].hedging.counterparty.empty());
  expect_error(cp, "brokers.0.hedging.counterparty", 38, {"no clearing cycles"});
  expect_error(with_in(cleared, "counterparty: lean", "counterparty: nobody"), "brokers.0.hedging.counterparty", 38,
               {"unknown broker \"nobody\"", "lean"});
  expect_error(with_in(cleared, "counterparty: lean", "counterparty: prime"), "brokers.0.hedging.counterparty", 38,
               {"its own counterparty"});
  expect_error(with_in(cleared, ", counterparty_limit: 2M", ""), "brokers.0.hedging.counterparty_limit", 38,
               {"counterparty_limit"});
  expect_error(with_in(cleared, "counterparty_limit: 2M", "counterparty_limit: -1"), "brokers.0.hedging.counterparty_limit",
               38, {"must not be negative"});
  expect_error(with_in(kBrokers, "venue_margin: 250k}", "venue_margin: 250k, counterparty_limit: 2M}"),
               "brokers.0.hedging.counterparty_limit", 38, {"only used with counterparty"});
}

}  // namespace
}  // namespace shardsim::app
