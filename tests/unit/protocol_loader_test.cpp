// Tests the loader's protocol deployment: `shards[].protocols` entries and script protocol ops,
// with one-line errors naming key path and line (uses the amm kind when it is built).
#include <gtest/gtest.h>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

std::string topology(const std::string& protocols, const std::string& script) {
  return "name: p\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "shards:\n"
         "  - id: dex\n"
         "    slot: 12s\n"
         "    gas_per_block: 30M\n"
         "    protocols: " + protocols + "\n"
         "  - {id: other, slot: 12s, gas_per_block: 30M}\n"
         "links: {default: {latency: {model: constant, value: 24s}}}\n"
         "accounts: {lp: {shard: dex, balances: {ETH: 10}}, o: {shard: other}}\n"
         "script: " + script + "\n";
}

const std::string kUni = "[{kind: amm, name: uni, params: {pair: [ETH, USDC]}}]";

void expect_error(const std::string& yaml, const std::string& path, int line, const std::string& words) {
  try {
    load_topology_string(yaml, "t.yaml");
    FAIL() << "expected an error at " << path;
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.key_path(), path) << e.what();
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

class ProtocolLoader : public ::testing::Test {};

TEST_F(ProtocolLoader, DeploysAndResolvesScriptOps) {
  const Topology t = load_topology_string(
      topology(kUni, "[{at: 1s, tx: {from: lp, shard: dex, protocol: uni, op: swap, args: {sell: ETH, amount: 1}}}]"),
      "t.yaml");
  ASSERT_EQ(t.shards[0].protocols.size(), 1u);
  EXPECT_EQ(t.shards[0].protocols[0].kind, "amm");
  EXPECT_EQ(t.shards[0].protocols[0].name, "uni");
  ASSERT_TRUE(t.script[0].tx.has_value());
  EXPECT_EQ(t.script[0].tx->protocol_index, 0u);
  EXPECT_EQ(t.script[0].tx->op, "swap");
  ASSERT_EQ(t.script[0].tx->args.size(), 2u);
  EXPECT_EQ(t.script[0].tx->args[1].value, "1");
}

TEST_F(ProtocolLoader, UnknownKind) {
  expect_error(topology("[{kind: dex9000, name: x}]", "[]"), "shards.0.protocols.0.kind", 8, "unknown protocol kind");
}

TEST_F(ProtocolLoader, DuplicateName) {
  expect_error(topology("[{kind: amm, name: uni, params: {pair: [ETH, USDC]}}, {kind: amm, name: uni, params: {pair: [USDC, ETH]}}]", "[]"),
               "shards.0.protocols.1.name", 8, "duplicate protocol name");
}

TEST_F(ProtocolLoader, ScriptNamesAProtocolOfAnotherShard) {
  expect_error(topology(kUni, "[{at: 1s, tx: {from: o, shard: other, protocol: uni, op: swap}}]"),
               "script.0.tx.protocol", 12, "unknown protocol \"uni\" on shard \"other\"");
}

TEST_F(ProtocolLoader, ScriptUnknownOpAndArg) {
  expect_error(topology(kUni, "[{at: 1s, tx: {from: lp, shard: dex, protocol: uni, op: borrow}}]"), "script.0.tx.op", 12,
               "unknown op \"borrow\"");
  expect_error(topology(kUni, "[{at: 1s, tx: {from: lp, shard: dex, protocol: uni, op: swap, args: {sel: ETH}}}]"),
               "script.0.tx.args.sel", 12, "unknown arg \"sel\"");
}

TEST_F(ProtocolLoader, ScriptPrivacyIsPublicOrPrivate) {
  expect_error(topology(kUni, "[{at: 1s, tx: {from: lp, shard: dex, privacy: secret, protocol: uni, op: swap}}]"),
               "script.0.tx.privacy", 12, "unknown privacy \"secret\"");
}

}  // namespace
}  // namespace shardsim::app
