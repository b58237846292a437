// Tests the loader's `options` protocol kind: its params (cash, series as declared assets,
// settlement, windows, disputer, volatility) and one-line errors naming key path and line.
#include <gtest/gtest.h>

#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

std::string topology(const std::string& params) {
  return "name: o\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, ETH: {}, oC: {decimals: 8}, oP: {decimals: 8}}\n"
         "shards:\n"
         "  - id: options\n"
         "    slot: 2s\n"
         "    gas_per_block: 30M\n"
         "    protocols: [{kind: options, name: opyn" + (params.empty() ? "" : ", params: " + params) + "}]\n"
         "links: {default: {latency: {model: constant, value: 1s}}}\n"
         "accounts: {w: {shard: options, balances: {ETH: 10}}}\n"
         "script: [{at: 1s, tx: {from: w, shard: options, protocol: opyn, op: deposit_collateral, "
         "args: {vault: v, asset: ETH, amount: 1}}}]\n";
}

const std::string kSeries = "{oC: {underlying: ETH, strike: 2000, expiry: 30m, type: call}, "
                            "oP: {underlying: ETH, strike: 1800.5, expiry: 30m, type: put}}";

void expect_error(const std::string& yaml, const std::string& path, const std::string& words) {
  try {
    load_topology_string(yaml, "t.yaml");
    FAIL() << "expected an error at " << path;
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.key_path(), path) << e.what();
    EXPECT_EQ(e.line(), 8) << e.what();  // the protocols line (flow style)
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(OptionsLoader, DeploysSeriesAndScriptOps) {
  const Topology t = load_topology_string(
      topology("{series: " + kSeries + ", settlement: physical, dispute_window: 10m, disputer: w, volatility: 60%}"),
      "t.yaml");
  ASSERT_EQ(t.shards[0].protocols.size(), 1u);
  EXPECT_EQ(t.shards[0].protocols[0].kind, "options");
  ASSERT_TRUE(t.script[0].tx.has_value());
  EXPECT_EQ(t.script[0].tx->op, "deposit_collateral");
}

TEST(OptionsLoader, Errors) {
  const std::string p = "shards.0.protocols.0.params";
  expect_error(topology(""), p, "an options protocol lists its series");
  expect_error(topology("{series: {oX: {underlying: ETH, strike: 1, expiry: 1h, type: call}}}"), p + ".series.oX",
               "series \"oX\" is not a declared asset");
  expect_error(topology("{series: {oC: {underlying: ETH, strike: 1, expiry: 1h, type: straddle}}}"),
               p + ".series.oC.type", "unknown option type \"straddle\"");
  expect_error(topology("{series: {oC: {underlying: ETH, strike: -5, expiry: 1h, type: call}}}"),
               p + ".series.oC.strike", "invalid strike \"-5\"");
  expect_error(topology("{series: {oC: {underlying: USDC, strike: 1, expiry: 1h, type: call}}}"),
               p + ".series.oC.underlying", "the underlying must differ from the cash asset");
  expect_error(topology("{series: {oC: {underlying: ETH, strike: 1, type: call}}}"), p + ".series.oC.expiry",
               "expiry");
  expect_error(topology("{series: " + kSeries + ", settlement: net}"), p + ".settlement", "unknown settlement \"net\"");
  expect_error(topology("{series: " + kSeries + ", volatility: 0%}"), p + ".volatility", "volatility");
  expect_error(topology("{series: " + kSeries + ", dispute_windw: 1h}"), p + ".dispute_windw", "dispute_windw");
  expect_error(topology("{series: {}}"), p + ".series", "no series");
}

}  // namespace
}  // namespace shardsim::app
