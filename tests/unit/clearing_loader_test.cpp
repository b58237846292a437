// Tests the topology's `clearing:` section and `script:` payments (`op: pay`): they load to the
// exact values, and each mistake (an unknown mode, a zero cycle, clearing without brokers, a
// payment to another broker's client without clearing cycles, a client paying itself) gives one
// line naming the key path, line and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;

// Line numbers below refer to this text.
constexpr std::string_view kPay =
    "name: pay\n"                                                                             // 1
    "duration: 1h\n"                                                                          // 2
    "assets: {USDC: {decimals: 6}}\n"                                                         // 3
    "prices: {model: gbm, step: 1s, assets: {USDC: {initial: 1, vol_annual: 0%}}}\n"          // 4
    "shards: [{id: l2, slot: 2s, gas_per_block: 100M, oracles: {assets: [USDC]}}]\n"          // 5
    "links: {default: {latency: {model: constant, value: 4s}}}\n"                             // 6
    "accounts: {a: {shard: l2, balances: {USDC: 1M}}, b: {shard: l2}}\n"                      // 7
    "brokers: [{name: x, home: l2, capital: {USDC: 1M}}, {name: y, home: l2, capital: {USDC: 1M}}]\n"
    "clearing: {cycle: 30s, mode: gross}\n"                                                   // 9
    "script:\n"                                                                               // 10
    "  - {at: 1m, broker: {client: a, broker: x, op: pay, args: {to: b, to_broker: y, asset: USDC, amount: 1.5k}}}\n"
    "  - {at: 2m, broker: {client: a, broker: x, op: pay, args: {to: b, asset: USDC, amount: 7}}}\n";  // 12

std::string edit(std::string_view from, std::string_view to) {
  std::string s(kPay);
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(ClearingLoader, ReadsClearingAndPayments) {
  const Topology t = load_topology_string(kPay, "t.yaml");
  ASSERT_TRUE(t.clearing.has_value());
  EXPECT_EQ(t.clearing->cycle, core::Duration::s(30));
  EXPECT_EQ(t.clearing->mode, broker::ClearingMode::gross);
  ASSERT_EQ(t.script.size(), 2u);
  const ScriptBrokerAction& across = *t.script[0].broker;
  EXPECT_EQ(across.op, BrokerOp::pay);
  EXPECT_EQ(across.client, "a");
  EXPECT_EQ(across.broker, 0u);
  EXPECT_EQ(across.to_client, "b");
  EXPECT_EQ(across.to_broker, 1u);
  EXPECT_EQ(across.asset, 0u);
  EXPECT_EQ(across.amount, core::Amount::units(1'500'000'000));
  const ScriptBrokerAction& within = *t.script[1].broker;
  EXPECT_EQ(within.to_broker, 0u);  // the payer's broker by default
  EXPECT_EQ(within.amount, core::Amount::units(7'000'000));
}

TEST(ClearingLoader, DefaultsToOneMinuteMultilateral) {
  const Topology t = load_topology_string(edit("clearing: {cycle: 30s, mode: gross}", "clearing: {}"), "t.yaml");
  ASSERT_TRUE(t.clearing.has_value());
  EXPECT_EQ(t.clearing->cycle, core::Duration::min(1));
  EXPECT_EQ(t.clearing->mode, broker::ClearingMode::multilateral);
}

TEST(ClearingLoader, Errors) {
  expect_error(edit("mode: gross", "mode: bilateral"), "clearing.mode", 9,
               {"unknown clearing mode \"bilateral\"", "gross or multilateral"});
  expect_error(edit("cycle: 30s", "cycle: 0s"), "clearing.cycle", 9, {"cycle"});
  expect_error(edit("clearing: {cycle: 30s, mode: gross}", "clearing: {cycle: 30s, every: 1m}"), "clearing.every", 9,
               {"unknown key \"every\""});
  expect_error(edit("clearing: {cycle: 30s, mode: gross}\n", ""), "script.0.broker.args.to_broker", 10,
               {"no clearing cycles", "clearing:"});
  expect_error(edit("to: b, asset: USDC, amount: 7", "to: a, asset: USDC, amount: 7"), "script.1.broker.args.to", 12,
               {"pays itself"});
  expect_error(edit("op: pay, args: {to: b, asset", "op: pay, args: {to: nobody, asset"), "script.1.broker.args.to", 12,
               {"nobody"});
  expect_error(edit("amount: 7}", "amount: 0}"), "script.1.broker.args.amount", 12, {"amount"});
}

}  // namespace
}  // namespace shardsim::app
