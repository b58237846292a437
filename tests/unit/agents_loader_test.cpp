// Tests the topology's `agents:` section: every population kind loads to the exact values
// (distributions, brokers, shards, capital), defaults apply, and each mistake gives one line
// naming the key path, line and column, and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;
using agents::AgentKind;
using agents::Distribution;

// Line numbers below refer to this text. `agents:` comes before `brokers:` on purpose: sections
// are read in dependency order whatever their order in the file.
constexpr std::string_view kAgents =
    "name: agents\n"                                                                        // 1
    "duration: 1d\n"                                                                        // 2
    "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {decimals: 8}, SNX: {}, sUSD: {}, sBTC: {}}\n"
    "agents:\n"                                                                             // 4
    "  - {kind: basis_trader, count: 50, broker: prime, capital: {USDC: {uniform: [10k, 100k]}}, "
    "leverage: {uniform: [5, 10]}, every: 10m, instruments: [snx.sBTC, dydx.BTC-PERP]}\n"   // 5
    "  - {kind: retail, count: 500, broker: prime, capital: {USDC: {lognormal: {median: 2k, sigma: 1}}}}\n"
    "  - {kind: liquidator, count: 3, shards: [lend, perps, synths], capital: {USDC: 1M}, min_profit: 10}\n"
    "  - {kind: arbitrageur, count: 2, shards: [dex, synths], capital: {USDC: 2M, ETH: 500}}\n"  // 8
    "  - {kind: searcher, count: 2, shard: dex, capital: {ETH: 200, USDC: 500k}}\n"         // 9
    "  - {kind: lp, count: 5, shard: dex, capital: {ETH: 100, USDC: 200k}}\n"               // 10
    "  - {kind: hedger, count: 5, broker: prime, capital: {ETH: 50}, instruments: [dydx.ETH-PERP]}\n"
    "  - {kind: lp, shard: dex, capital: {ETH: {normal: {mean: 10, stddev: 2.5}}}}\n"       // 12
    "shards:\n"                                                                             // 13
    "  - {id: lend, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, USDC]}, "
    "protocols: [{kind: lending, name: aave}]}\n"                                           // 14
    "  - {id: synths, slot: 12s, gas_per_block: 30M, oracles: {assets: [BTC, ETH, SNX]}, "
    "protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD, sBTC]}}]}\n"         // 15
    "  - {id: perps, slot: 2s, gas_per_block: 50M, oracles: {assets: [BTC, ETH]}, protocols: "
    "[{kind: perps, name: dydx, params: {markets: {BTC-PERP: {}, ETH-PERP: {}}}}]}\n"       // 16
    "  - {id: dex, slot: 12s, gas_per_block: 30M, protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC]}}]}\n"
    "  - {id: l2, slot: 1s, gas_per_block: 100M, oracles: {assets: [BTC, ETH, USDC]}}\n"    // 18
    "links: {default: {latency: {model: constant, value: 24s}}}\n"                          // 19
    "brokers: [{name: prime, home: l2}]\n"                                                  // 20
    "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, "
    "USDC: {initial: 1}, SNX: {initial: 2}}}\n";                                            // 21

std::string edit(std::string_view from, std::string_view to) { return with_in(kAgents, from, to); }

class AgentsLoader : public ::testing::Test {};

void expect_dist(const Distribution& d, Distribution::Kind kind, double a, double b) {
  EXPECT_EQ(d.kind, kind);
  EXPECT_DOUBLE_EQ(d.a, a);
  EXPECT_DOUBLE_EQ(d.b, b);
}

TEST_F(AgentsLoader, ReadsEveryKind) {
  const Topology t = load_topology_string(kAgents, "a.yaml");
  ASSERT_EQ(t.agents.size(), 8u);
  const agents::AgentSpec& basis = t.agents[0];
  EXPECT_EQ(basis.kind, AgentKind::basis_trader);
  EXPECT_EQ(basis.count, 50u);
  EXPECT_EQ(basis.line, 5u);
  ASSERT_TRUE(basis.broker.has_value());
  EXPECT_EQ(*basis.broker, 0u);
  EXPECT_TRUE(basis.shards.empty());
  ASSERT_EQ(basis.capital.size(), 1u);
  EXPECT_EQ(basis.capital[0].asset, 0u);
  expect_dist(basis.capital[0].amount, Distribution::Kind::uniform, 10'000, 100'000);
  expect_dist(basis.leverage, Distribution::Kind::uniform, 5, 10);
  EXPECT_EQ(basis.every, Duration::min(10));
  EXPECT_EQ(basis.instruments, (std::vector<std::string>{"snx.sBTC", "dydx.BTC-PERP"}));

  expect_dist(t.agents[1].capital[0].amount, Distribution::Kind::lognormal, 2'000, 1);
  EXPECT_EQ(t.agents[1].count, 500u);

  const agents::AgentSpec& liq = t.agents[2];
  EXPECT_EQ(liq.kind, AgentKind::liquidator);
  EXPECT_FALSE(liq.broker.has_value());
  EXPECT_EQ(liq.shards, (std::vector<std::uint32_t>{0, 2, 1}));
  expect_dist(liq.capital[0].amount, Distribution::Kind::constant, 1'000'000, 0);
  EXPECT_DOUBLE_EQ(liq.min_profit_usd, 10);

  const agents::AgentSpec& arb = t.agents[3];
  EXPECT_EQ(arb.shards, (std::vector<std::uint32_t>{3, 1}));
  ASSERT_EQ(arb.capital.size(), 2u);
  EXPECT_EQ(arb.capital[1].asset, 1u);
  expect_dist(arb.capital[1].amount, Distribution::Kind::constant, 500, 0);

  EXPECT_EQ(t.agents[4].kind, AgentKind::searcher);
  EXPECT_EQ(t.agents[4].shards, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(t.agents[5].kind, AgentKind::lp);
  EXPECT_EQ(t.agents[5].count, 5u);
  EXPECT_EQ(t.agents[6].kind, AgentKind::hedger);
  EXPECT_EQ(t.agents[6].instruments, (std::vector<std::string>{"dydx.ETH-PERP"}));
  expect_dist(t.agents[7].capital[0].amount, Distribution::Kind::normal, 10, 2.5);
}

TEST_F(AgentsLoader, DefaultsApply) {
  const Topology t = load_topology_string(kAgents, "a.yaml");
  const agents::AgentSpec& lp = t.agents[7];
  EXPECT_EQ(lp.count, 1u);
  EXPECT_EQ(lp.every, Duration::min(1));
  expect_dist(lp.leverage, Distribution::Kind::constant, 1, 0);
  EXPECT_DOUBLE_EQ(lp.min_profit_usd, 0);
  EXPECT_TRUE(lp.instruments.empty());
}

TEST_F(AgentsLoader, DistributionsDrawFromTheirShape) {
  core::Rng rng(9);
  const Distribution u{Distribution::Kind::uniform, 5, 10};
  const Distribution n{Distribution::Kind::lognormal, 2000, 1};
  double lo = 1e9, hi = 0, below_median = 0;
  for (int i = 0; i < 2000; ++i) {
    const double x = u.sample(rng);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    below_median += n.sample(rng) < 2000 ? 1 : 0;
  }
  EXPECT_GE(lo, 5);
  EXPECT_LT(hi, 10);
  EXPECT_GT(hi - lo, 4.9);
  EXPECT_NEAR(below_median / 2000, 0.5, 0.05);
  EXPECT_DOUBLE_EQ(Distribution::constant(7).sample(rng), 7);
}

// ---- mistakes -------------------------------------------------------------------------------

TEST_F(AgentsLoader, UnknownKind) {
  expect_error(edit("{kind: lp, count: 5", "{kind: whale, count: 5"), "agents.5.kind", 10,
               {"unknown agent kind \"whale\"", "one of: retail, basis_trader, hedger, arbitrageur, liquidator, "
                                                 "searcher, lp"}, 12);
}

TEST_F(AgentsLoader, CountOutOfRange) {
  expect_error(edit("count: 500,", "count: 0,"), "agents.1.count", 6, {"count"});
  expect_error(edit("count: 500,", "count: 100001,"), "agents.1.count", 6, {"100001"});
}

TEST_F(AgentsLoader, BrokerClientsNeedAKnownBroker) {
  expect_error(edit("count: 500, broker: prime,", "count: 500,"), "agents.1.broker", 6,
               {"missing required key \"broker\"", "one of: prime"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, broker: lean,"), "agents.1.broker", 6,
               {"unknown broker \"lean\"", "one of: prime"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, broker: prime, shard: dex,"), "agents.1.shard", 6,
               {"shard is only used by"});
}

TEST_F(AgentsLoader, ProtocolAgentsNeedShards) {
  expect_error(edit("count: 2, shard: dex,", "count: 2,"), "agents.4.shard", 9, {"missing required key \"shard\""});
  expect_error(edit("count: 2, shard: dex,", "count: 2, shard: dex, shards: [dex],"), "agents.4.shards", 9,
               {"both \"shard\" and \"shards\" given", "exactly one of: shard, shards"});
  expect_error(edit("shards: [dex, synths]", "shards: [dex, moon]"), "agents.3.shards.1", 8,
               {"unknown shard \"moon\"", "one of: lend, synths, perps, dex, l2"});
  expect_error(edit("shards: [dex, synths]", "shards: [dex, dex]"), "agents.3.shards.1", 8, {"listed twice"});
  expect_error(edit("shards: [dex, synths]", "shards: []"), "agents.3.shards", 8, {"empty list"});
  expect_error(edit("count: 3, shards: [lend, perps, synths],", "count: 3, broker: prime, shards: [lend],"),
               "agents.2.broker", 7, {"broker is only used by retail, basis_trader and hedger"});
}

TEST_F(AgentsLoader, ShardsMustHostTheKindsProtocols) {
  expect_error(edit("{kind: lp, count: 5, shard: dex", "{kind: lp, count: 5, shard: lend"), "agents.5.shard", 10,
               {"lp home shard \"lend\" hosts no amm protocol", "uni"});
  expect_error(edit("shards: [dex, synths]", "shards: [lend, synths]"), "agents.3.shards", 8,
               {"arbitrageur shards host no amm protocol"});
  expect_error(edit("shards: [lend, perps, synths]", "shards: [dex, l2]"), "agents.2.shards", 7,
               {"host no lending, perps or synthetics"});
}

TEST_F(AgentsLoader, DistributionMistakes) {
  expect_error(edit("uniform: [10k, 100k]", "uniform: [100k, 10k]"), "agents.0.capital.USDC.uniform.1", 5,
               {"is below low", "low <= high"});
  expect_error(edit("uniform: [10k, 100k]", "uniform: [10k]"), "agents.0.capital.USDC.uniform", 5,
               {"a list of 1 numbers"});
  expect_error(edit("median: 2k, sigma: 1", "median: 2k"), "agents.1.capital.USDC.lognormal.sigma", 6,
               {"missing required key \"sigma\""});
  expect_error(edit("median: 2k, sigma: 1", "median: -2k, sigma: 1"), "agents.1.capital.USDC.lognormal.median", 6,
               {"must be positive"});
  expect_error(edit("{normal: {mean: 10, stddev: 2.5}}", "{gamma: {k: 1}}"), "agents.7.capital.ETH.gamma", 12,
               {"unknown key \"gamma\"", "uniform, lognormal, normal"});
  expect_error(edit("capital: {USDC: 1M}", "capital: {USDC: -1M}"), "agents.2.capital.USDC", 7,
               {"must not be negative"});
  expect_error(edit("capital: {USDC: 1M}", "capital: {USDC: lots}"), "agents.2.capital.USDC", 7,
               {"invalid number \"lots\""});
  expect_error(edit("capital: {USDC: 1M}", "capital: {DOGE: 1M}"), "agents.2.capital.DOGE", 7,
               {"unknown asset \"DOGE\""});
  expect_error(edit("leverage: {uniform: [5, 10]}", "leverage: 0"), "agents.0.leverage", 5, {"must be positive"});
}

TEST_F(AgentsLoader, KeysOnlySomeKindsUse) {
  expect_error(edit("{ETH: 100, USDC: 200k}}", "{ETH: 100, USDC: 200k}, min_profit: 5}"), "agents.5.min_profit", 10,
               {"min_profit is only used by arbitrageur, liquidator and searcher"});
  expect_error(edit("shard: dex, capital: {ETH: 200", "shard: dex, leverage: 2, capital: {ETH: 200"),
               "agents.4.leverage", 9, {"leverage is only used by"});
  expect_error(edit("instruments: [dydx.ETH-PERP]", "instruments: [gmx.ETH-PERP]"), "agents.6.instruments.0", 11,
               {"unknown protocol \"gmx\"", "one of: aave, snx, dydx, uni"});
  expect_error(edit("instruments: [dydx.ETH-PERP]", "instruments: [dydx]"), "agents.6.instruments.0", 11,
               {"invalid instrument \"dydx\"", "PROTOCOL.SYMBOL"});
  expect_error(edit("min_profit: 10", "min_profit: -10"), "agents.2.min_profit", 7, {"must not be negative"});
  expect_error(edit("every: 10m", "every: 0s"), "agents.0.every", 5, {"positive"});
  expect_error(edit("count: 2, shard: dex, capital: {ETH: 200", "count: 2, shard: dex, colour: red, capital: {ETH: 200"),
               "agents.4.colour", 9, {"unknown key \"colour\""});
  expect_error(edit("shard: dex, capital: {ETH: 200", "shard: dex, time_in_force: 30s, capital: {ETH: 200"),
               "agents.4.time_in_force", 9, {"time_in_force is only used by"});
}

TEST_F(AgentsLoader, BrokerClientsCarryATimeInForce) {
  const Topology t = load_topology_string(edit("every: 10m, instruments", "every: 10m, time_in_force: 90s, instruments"), "a.yaml");
  EXPECT_EQ(t.agents[0].time_in_force, Duration::s(90));
  EXPECT_EQ(t.agents[1].time_in_force, Duration{});  // unset: the broker's `deadlines.order`
  expect_error(edit("every: 10m, instruments", "every: 10m, time_in_force: soon, instruments"), "agents.0.time_in_force", 5,
               {"invalid duration \"soon\""});
}

// `privacy: private` sends an agent's own transactions by a private relay; broker clients send
// none of their own, and any other value is an error.
TEST_F(AgentsLoader, PrivacyOfAnAgentsTransactions) {
  const Topology t = load_topology_string(
      edit("count: 2, shard: dex, capital: {ETH: 200", "count: 2, shard: dex, privacy: private, capital: {ETH: 200"),
      "a.yaml");
  EXPECT_TRUE(t.agents[4].private_txs);
  EXPECT_FALSE(t.agents[3].private_txs);
  expect_error(edit("count: 2, shard: dex, capital: {ETH: 200", "count: 2, shard: dex, privacy: dark, capital: {ETH: 200"),
               "agents.4.privacy", 9, {"unknown privacy \"dark\"", "public or private"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, broker: prime, privacy: private,"), "agents.1.privacy", 6,
               {"privacy is only used by agents sending their own transactions"});
}

TEST_F(AgentsLoader, RetailStraightToAProtocol) {
  const std::string direct = "{kind: retail, count: 500, protocol: dydx, leverage: 3, capital: {USDC: 5k}}";
  const Topology t = load_topology_string(
      edit("{kind: retail, count: 500, broker: prime, capital: {USDC: {lognormal: {median: 2k, sigma: 1}}}}", direct),
      "a.yaml");
  const agents::AgentSpec& retail = t.agents[1];
  EXPECT_EQ(retail.kind, AgentKind::retail);
  EXPECT_FALSE(retail.broker.has_value());
  EXPECT_EQ(retail.protocol, "dydx");
  ASSERT_EQ(retail.shards.size(), 1u);
  EXPECT_EQ(t.shards[retail.shards[0]].id, "perps");  // the protocol's shard is its home
  expect_dist(retail.leverage, Distribution::Kind::constant, 3, 0);
  EXPECT_EQ(load_topology_string(edit("count: 500, broker: prime,", "count: 500, protocol: uni,"), "a.yaml")
                .agents[1]
                .shards,
            std::vector<std::uint32_t>{3});  // dex
  expect_error(edit("count: 500, broker: prime,", "count: 500, broker: prime, protocol: dydx,"), "agents.1.protocol", 6,
               {"both \"broker\" and \"protocol\" given"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, protocol: gmx,"), "agents.1.protocol", 6,
               {"unknown protocol \"gmx\"", "dydx", "uni"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, protocol: aave,"), "agents.1.protocol", 6,
               {"is a lending protocol"});
  expect_error(edit("count: 500, broker: prime,", "count: 500,"), "agents.1.broker", 6,
               {"missing required key \"broker\"", "or protocol:"});
  expect_error(edit("count: 500, broker: prime,", "count: 500, protocol: dydx, instruments: [dydx.BTC-PERP],"),
               "agents.1.instruments", 6, {"instruments is only used by"});
  expect_error(edit("count: 3, shards: [lend, perps, synths],", "count: 3, protocol: dydx, shards: [lend],"),
               "agents.2.protocol", 7, {"protocol is only used by retail"});
}

}  // namespace
}  // namespace shardsim::app

namespace shardsim::app {
namespace {

// `run: {health_below, rumour_delay}` on a broker-client population (agents/client_run.cpp).
TEST_F(AgentsLoader, BrokerClientsMayRunOnTheirBroker) {
  const std::string with_run = edit("every: 10m, instruments", "every: 10m, run: {health_below: 50%, rumour_delay: 30s}, instruments");
  const Topology t = load_topology_string(with_run, "a.yaml");
  ASSERT_TRUE(t.agents[0].run.has_value());
  EXPECT_DOUBLE_EQ(t.agents[0].run->health_below, 0.5);
  EXPECT_EQ(t.agents[0].run->rumour_delay, Duration::s(30));
  EXPECT_FALSE(t.agents[1].run.has_value());
  expect_error(edit("every: 10m, instruments", "every: 10m, run: {rumour_delay: 30s}, instruments"),
               "agents.0.run.health_below", 5, {"health_below"});
  expect_error(edit("every: 10m, instruments", "every: 10m, run: {health_below: 0, rumour_delay: 30s}, instruments"),
               "agents.0.run.health_below", 5, {"positive"});
  expect_error(edit("every: 10m, instruments", "every: 10m, run: {health_below: 50%, rumour_delay: soon}, instruments"),
               "agents.0.run.rumour_delay", 5, {"invalid duration \"soon\""});
  expect_error(edit("every: 10m, instruments", "every: 10m, run: {health_below: 50%, panic: yes}, instruments"),
               "agents.0.run.panic", 5, {"unknown key \"panic\""});
  expect_error(edit("shard: dex, capital: {ETH: 200", "shard: dex, run: {health_below: 50%}, capital: {ETH: 200"),
               "agents.4.run", 9, {"run is only used by"});
}

}  // namespace
}  // namespace shardsim::app
