// Tests the checks of user input that used to run only when a world was built, now made when the
// topology is loaded (so `validate` catches them): an oracle `source:` that names no AMM on its
// shard, an instrument the brokers do not clear (script orders and agents), a bad row in a replay
// CSV, a price process that cannot be built, and a protocol's default params that do not resolve.
// Each fails with one line at the key's own line and column.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "tests/support/process.hpp"

namespace shardsim::app {
namespace {

// Line numbers below refer to this text; it loads and builds as written.
constexpr std::string_view kBase =
    "name: checks\n"                                                                           // 1
    "duration: 1h\n"                                                                           // 2
    "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {decimals: 8}}\n"                             // 3
    "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, USDC: {initial: 1}}}\n"
    "shards:\n"                                                                                // 5
    "  - id: dex\n"                                                                            // 6
    "    slot: 12s\n"                                                                          // 7
    "    gas_per_block: 30M\n"                                                                 // 8
    "    oracles: {assets: [ETH, USDC], source: uni}\n"                                        // 9
    "    protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC], fee: 0.3%}}]\n"        // 10
    "  - id: l2\n"                                                                             // 11
    "    slot: 2s\n"                                                                           // 12
    "    gas_per_block: 100M\n"                                                                // 13
    "    oracles: {assets: [BTC, ETH, USDC]}\n"                                                // 14
    "    protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%}}}}]\n"   // 15
    "links: {default: {latency: {model: constant, value: 24s}}}\n"                             // 16
    "accounts: {whale: {shard: l2, balances: {USDC: 2M}}}\n"                                   // 17
    "brokers: [{name: prime, home: l2, capital: {USDC: 5M}}]\n"                                // 18
    "agents: [{kind: hedger, count: 1, broker: prime, instruments: [dydx.BTC-PERP, uni.ETH]}]\n"
    "script:\n"                                                                                // 20
    "  - at: 1m\n"                                                                             // 21
    "    broker: {client: whale, broker: prime, op: order, args: {instrument: uni.ETH, qty: 1}}\n";

std::string edit(std::string_view from, std::string_view to) {
  std::string text(kBase);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TopologyError error_of(const std::string& yaml) {
  try {
    (void)load_topology_string(yaml, "t.yaml");
  } catch (const TopologyError& e) {
    return e;
  }
  ADD_FAILURE() << "loaded";
  return TopologyError("", 0, 0, "", "", "");
}

void expect_error(const std::string& yaml, std::string_view key_path, int line, int column,
                  std::string_view words) {
  const TopologyError e = error_of(yaml);
  SCOPED_TRACE(e.what());
  EXPECT_EQ(e.key_path(), key_path);
  EXPECT_EQ(e.line(), line);
  EXPECT_EQ(e.column(), column);
  const std::string what = e.what();
  EXPECT_EQ(what.rfind("t.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": ", 0), 0u);
  EXPECT_EQ(what.find('\n'), std::string::npos);
  EXPECT_NE(what.find(" (expected "), std::string::npos);
  EXPECT_NE(what.find(words), std::string::npos) << words;
}

TEST(TopologyBuildChecks, TheBaseLoadsAndBuilds) {
  const Topology t = load_topology_string(kBase, "t.yaml");
  EXPECT_EQ(t.shards[0].oracles->source, "uni");
  const std::vector<std::string> cleared = {"uni.ETH", "uni.USDC", "uni.LP", "dydx.BTC-PERP"};
  World world(t, t.seed);
  std::vector<std::string> book;
  for (const broker::Instrument& inst : world.broker(0).book().instruments()) book.push_back(inst.descriptor->id);
  EXPECT_EQ(book, cleared);
}

TEST(TopologyBuildChecks, OracleSourceMustNameAnAmmOnItsShard) {
  expect_error(edit("source: uni}", "source: unx}"), "shards.0.oracles.source", 9, 44,
               "no AMM named \"unx\" on this shard (expected one of: uni)");
  // An AMM on another shard, or a protocol of another kind, is not a source either.
  std::string elsewhere = edit("source: uni}", "}");
  const std::size_t at = elsewhere.find("oracles: {assets: [BTC, ETH, USDC]}");
  elsewhere.replace(at, 35, "oracles: {assets: [BTC, ETH, USDC], source: uni}");
  expect_error(elsewhere, "shards.1.oracles.source", 14, 49, "no AMM named \"uni\"");
  expect_error(edit("source: uni}", "source: dydx}"), "shards.0.oracles.source", 9, 44,
               "no AMM named \"dydx\"");
}

TEST(TopologyBuildChecks, ScriptOrderInAnInstrumentTheBrokersDoNotClear) {
  expect_error(edit("{instrument: uni.ETH, qty: 1}", "{instrument: uni.BTC, qty: 1}"), "script.0.broker.args.instrument",
               22, 74, "unknown instrument \"uni.BTC\" (or one the brokers do not clear) (expected one of: uni.ETH, ");
  expect_error(edit("{instrument: uni.ETH, qty: 1}", "{instrument: dydx.ETH-PERP, qty: 1}"),
               "script.0.broker.args.instrument", 22, 74, "unknown instrument \"dydx.ETH-PERP\"");
}

TEST(TopologyBuildChecks, AgentsTradeOnlyInstrumentsTheBrokersClear) {
  expect_error(edit("[dydx.BTC-PERP, uni.ETH]", "[dydx.BTC-PERP, dydx.ETH-PERP]"), "agents.0.instruments.1", 19, 79,
               "unknown instrument \"dydx.ETH-PERP\"");
}

TEST(TopologyBuildChecks, ReplayCsvRowsAreReadWhenLoading) {
  const auto dir = testing::scratch_dir("build-checks-replay");
  std::ofstream(dir / "prices.csv") << "time,asset,price\n0s,ETH,2000\n1h,ETH,-5\n";
  const std::string prices = "prices: {model: replay, step: 1s, replay: {file: '" + (dir / "prices.csv").string() + "'}}";
  std::string yaml = edit("prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, USDC: {initial: 1}}}",
                          prices);
  yaml = yaml.substr(0, yaml.find("    oracles: {assets: [ETH, USDC], source: uni}")) + "    oracles: {assets: [ETH]}\n" +
         yaml.substr(yaml.find("    protocols: [{kind: amm"));
  const std::size_t l2 = yaml.find("oracles: {assets: [BTC, ETH, USDC]}");
  yaml.replace(l2, 35, "oracles: {assets: [ETH]}");
  const TopologyError e = error_of(yaml);
  EXPECT_EQ(e.file(), (dir / "prices.csv").string()) << e.what();
  EXPECT_EQ(e.line(), 3) << e.what();
  EXPECT_EQ(e.column(), 8) << e.what();
  EXPECT_EQ(e.key_path(), "prices.replay.file");
  EXPECT_NE(std::string(e.what()).find("must be > 0"), std::string::npos) << e.what();
}

TEST(TopologyBuildChecks, WithReplayOnlyAssetsWithRowsArePriced) {
  // A feed of an asset the replay file has no rows for would ask the price path for a price it
  // does not have: the feed's asset is the error.
  const auto dir = testing::scratch_dir("build-checks-replay-rows");
  std::ofstream(dir / "prices.csv") << "time,asset,price\n0s,ETH,2000\n0s,USDC,1\n";
  std::string yaml = edit("prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, USDC: {initial: 1}}}",
                          "prices: {model: replay, step: 1s, replay: {file: '" + (dir / "prices.csv").string() + "'}}");
  expect_error(yaml, "shards.1.oracles.assets.0", 14, 24,
               "BTC has no price process (the replay file has no rows for it) (expected an asset with rows in the replay file: ");
}

TEST(TopologyBuildChecks, APriceProcessTooLargeForTheRunFailsAtPrices) {
  // 1 ms steps over a year for three assets: far more grid points than a path may hold.
  std::string yaml = edit("step: 1s", "step: 1ms");
  yaml.replace(yaml.find("duration: 1h"), 12, "duration: 365d");
  expect_error(yaml, "prices", 4, 9, "the price process cannot be built: the price grid would hold");
}

TEST(TopologyBuildChecks, DefaultParamsThatDoNotResolvePointAtTheEntry) {
  // A prediction market with no params takes USDC as collateral; without USDC the entry is wrong.
  const std::string yaml = "name: pm\nduration: 1h\nassets: {ETH: {}}\nshards:\n  - id: a\n    slot: 12s\n    gas_per_block: 30M\n"
         "    protocols: [{kind: prediction, name: pm}]\nlinks: {default: {latency: {model: constant, value: 24s}}}\n";
  expect_error(yaml, "shards.0.protocols.0.params", 8, 17, "the default collateral \"USDC\" is not a declared asset");
  std::string perps = yaml;
  perps.replace(perps.find("kind: prediction"), 16, "kind: perps");
  expect_error(perps, "shards.0.protocols.0.params", 8, 17, "default collateral USDC is not declared");
}

TEST(TopologyBuildChecks, ValidateSaysWhatRunSays) {
  const auto dir = testing::scratch_dir("build-checks-cli");
  const std::string file = (dir / "t.yaml").string();
  std::ofstream(file) << edit("source: uni}", "source: unx}");
  for (const std::string& cmd : {std::string("validate "), "run --quiet --out " + (dir / "out").string() + " "}) {
    const auto r = testing::run_shardsim(cmd + file, "build-checks-cli");
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_EQ(r.err, file + ":9:44: shards.0.oracles.source: no AMM named \"unx\" on this shard (expected one of: uni)\n")
        << cmd;
  }
}

}  // namespace
}  // namespace shardsim::app
