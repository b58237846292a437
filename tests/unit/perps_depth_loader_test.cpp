// Tests the topology keys of finite perps depth: a market's `vamm_depth` (the vAMM's virtual USD
// at its peg) reaches the exchange's terms, its absence keeps the infinite house, and a bad value
// fails with one line at the key; a searcher needs an amm or a perps protocol on its home shard.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "protocols/api/vamm.hpp"

namespace shardsim::app {
namespace {

// Line numbers below refer to this text; it loads and builds as written.
constexpr std::string_view kBase =
    "name: depth\n"                                                                                      // 1
    "duration: 1h\n"                                                                                     // 2
    "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {decimals: 8}}\n"                                       // 3
    "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000}, BTC: {initial: 50000}, USDC: {initial: 1}}}\n"
    "shards:\n"                                                                                          // 5
    "  - id: l2\n"                                                                                       // 6
    "    slot: 2s\n"                                                                                     // 7
    "    gas_per_block: 100M\n"                                                                          // 8
    "    oracles: {assets: [BTC, ETH, USDC]}\n"                                                          // 9
    "    protocols: [{kind: perps, name: dydx, params: {markets: {ETH-PERP: {imf: 5%, vamm_depth: 20M}, BTC-PERP: {}}}}]\n"
    "  - id: dex\n"                                                                                      // 11
    "    slot: 2s\n"                                                                                     // 12
    "    gas_per_block: 100M\n"                                                                          // 13
    "links: {default: {latency: {model: constant, value: 1s}}}\n"                                        // 14
    "agents: [{kind: searcher, count: 1, shard: l2, capital: {USDC: 1M}}]\n";                      // 15

std::string edit(std::string_view from, std::string_view to) {
  std::string text(kBase);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void expect_error(const std::string& yaml, std::string_view key_path, int line, std::string_view words) {
  try {
    (void)load_topology_string(yaml, "t.yaml");
    ADD_FAILURE() << "loaded";
  } catch (const TopologyError& e) {
    SCOPED_TRACE(e.what());
    EXPECT_EQ(e.key_path(), key_path);
    EXPECT_EQ(e.line(), line);
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("t.yaml:" + std::to_string(line) + ":", 0), 0u);
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_NE(what.find(" (expected "), std::string::npos);
    EXPECT_NE(what.find(words), std::string::npos) << words;
  }
}

TEST(PerpsDepthLoader, VammDepthReachesTheMarketTerms) {
  const Topology t = load_topology_string(kBase, "t.yaml");
  World world(t, 1);
  const protocols::PerpsQuery* perps = world.shard(0).protocols()[0]->queries().perps;
  ASSERT_NE(perps, nullptr);
  const protocols::PerpsDepthQuery* depth = protocols::depth_query(perps);
  ASSERT_NE(depth, nullptr);
  ASSERT_EQ(perps->perps_terms().markets.size(), 2u);
  EXPECT_EQ(perps->perps_terms().markets[0].name, "ETH-PERP");
  EXPECT_EQ(depth->vamm_depth_wad(0), protocols::i128{20'000'000} * protocols::kWadUnit);
  EXPECT_EQ(depth->vamm_depth_wad(1), 0);  // absent: the infinite house
}

TEST(PerpsDepthLoader, BadDepthFailsAtTheKey) {
  expect_error(edit("vamm_depth: 20M", "vamm_depth: -5"), "shards.0.protocols.0.params.markets.ETH-PERP.vamm_depth", 10,
               "must be positive, got \"-5\" (expected a USD depth > 0");
  expect_error(edit("vamm_depth: 20M", "vamm_depth: 0"), "shards.0.protocols.0.params.markets.ETH-PERP.vamm_depth", 10,
               "must be positive");
  expect_error(edit("vamm_depth: 20M", "vamm_depth: deep"), "shards.0.protocols.0.params.markets.ETH-PERP.vamm_depth", 10,
               "invalid depth \"deep\"");
}

TEST(PerpsDepthLoader, SearcherNeedsAnAmmOrPerpsAtHome) {
  expect_error(edit("shard: l2, capital", "shard: dex, capital"), "agents.0.shard", 15,
               "searcher home shard \"dex\" hosts no amm or perps protocol");
}

}  // namespace
}  // namespace shardsim::app
