// Tests the topology sections beyond shards and links: assets, prices, shard fees/gas/oracles,
// links receipts, accounts, faults and script. One full topology must load to the exact values,
// and each mistake must give one line naming the key path, the line and what was expected.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "app/topology_loader.hpp"
#include "app/units.hpp"

namespace shardsim::app {
namespace {

using core::Amount;
using core::Duration;
using core::LatencyKind;
using core::SimTime;

// Line numbers below refer to this text. The script comes first on purpose: sections are read
// in dependency order whatever their order in the file.
constexpr std::string_view kFull =
    "name: full\n"                                                                         // 1
    "seed: 7\n"                                                                            // 2
    "duration: 1d\n"                                                                       // 3
    "script:\n"                                                                            // 4
    "  - at: 1s\n"                                                                         // 5
    "    tx: {from: alice, shard: dex, op: transfer, args: {to: bob, asset: ETH, amount: 1.5}, "
    "priority_fee: 0.000000001}\n"                                                         // 6
    "  - at: 2s\n"                                                                         // 7
    "    tx: {from: alice, shard: dex, op: bridge, args: {to_shard: lend, asset: USDC, "
    "amount: 100.25}}\n"                                                                   // 8
    "  - at: 3s\n"                                                                         // 9
    "    price: {asset: ETH, set: 900}\n"                                                  // 10
    "  - at: 4m\n"                                                                         // 11
    "    price: {asset: BTC, shock: -40%, over: 1h}\n"                                     // 12
    "assets:\n"                                                                            // 13
    "  USDC: {decimals: 6}\n"                                                              // 14
    "  ETH: {}\n"                                                                          // 15
    "  BTC: {decimals: 8}\n"                                                               // 16
    "  WEIRD-X: {decimals: 0}\n"                                                           // 17
    "  DAI: {}\n"                                                                          // 18
    "prices:\n"                                                                            // 19
    "  model: correlated_gbm\n"                                                            // 20
    "  step: 500ms\n"                                                                      // 21
    "  assets:\n"                                                                          // 22
    "    ETH: {initial: 2000, vol_annual: 80%, drift_annual: -1%}\n"                       // 23
    "    BTC: {initial: 50000, vol_annual: 0.6}\n"                                         // 24
    "    USDC: {initial: 1}\n"                                                             // 25
    "    WEIRD-X: {initial: 3, vol_annual: 1/2}\n"                                         // 26
    "  correlations: {ETH-BTC: 0.8, WEIRD-X-ETH: -50%}\n"                                  // 27
    "shards:\n"                                                                            // 28
    "  - id: lend\n"                                                                       // 29
    "    slot: 12s\n"                                                                      // 30
    "    gas_per_block: 30M\n"                                                             // 31
    "    fee_asset: ETH\n"                                                                 // 32
    "    base_fee: 0.00000002\n"                                                           // 33
    "    access_latency: {model: lognormal, median: 300ms, sigma: 0.4}\n"                  // 34
    "    mempool_observe_delay: 0s\n"                                                      // 35
    "    gas: {transfer: 21k, bridge: 70000, oracle_update: 40000, protocol_call: 30M}\n"  // 36
    "    oracles: {assets: [ETH, BTC], deviation: 0.5%, heartbeat: 1h, check_every: 2s}\n" // 37
    "  - {id: dex, slot: 12s, gas_per_block: 30M, fee_asset: ETH, oracles: {assets: [USDC]}}\n"
    "  - {id: perps, slot: 2s, gas_per_block: 50M, base_fee: 0}\n"                         // 39
    "links:\n"                                                                             // 40
    "  default: {latency: {model: constant, value: 24s}}\n"                                // 41
    "  receipts: finalized\n"                                                              // 42
    "  finality: 32\n"                                                                     // 43
    "  receipts_per_block: 1k\n"                                                           // 44
    "  access_latency: {model: constant, value: 50ms}\n"                                   // 45
    "accounts:\n"                                                                          // 46
    "  alice: {shard: dex, balances: {ETH: 100, USDC: 2500.123456}}\n"                     // 47
    "  \"whale:1.x\": {shard: lend, balances: {BTC: 0.00000001, WEIRD-X: 10M}}\n"          // 48
    "  empty: {shard: perps}\n"                                                            // 49
    "faults:\n"                                                                            // 50
    "  - {at: 6h10m, shard_halt: {shard: perps, duration: 15m}}\n"                         // 51
    "  - {at: 1h, latency_spike: {from: lend, to: dex, add: 10s, duration: 5m}}\n"         // 52
    "  - {at: 1h, latency_spike: {from: dex, to: lend, factor: 2.5, duration: 5m}}\n"      // 53
    "  - {at: 2h, partition: {groups: [[lend, dex]], duration: 10m}}\n"                    // 54
    "  - {at: 3h, partition: {groups: [[lend], [dex], [perps]], duration: 10m}}\n"         // 55
    "  - {at: 8h, oracle: {shard: lend, asset: ETH, mode: stale, duration: 1h}}\n"         // 56
    "  - {at: 9h, oracle: {shard: lend, asset: BTC, mode: manipulated, value: 1234.5, "
    "duration: 1m}}\n"                                                                     // 57
    "  - {at: 0s, tx_drop: {shard: dex, probability: 50%, duration: 10m}}\n"               // 58
    "outputs: {timeseries_every: 1m}\n";                                                   // 59

constexpr std::string_view kBare =
    "name: bare\n"
    "duration: 1h\n"
    "shards: [{id: a, slot: 1s, gas_per_block: 1M}, {id: b, slot: 1s, gas_per_block: 1M}]\n"
    "links: {default: {latency: {model: constant, value: 1s}}}\n";

// `base` with exactly one occurrence of `from` replaced by `to`.
std::string with_in(std::string_view base, std::string_view from, std::string_view to) {
  std::string text(base);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not in the text: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string with(std::string_view from, std::string_view to) { return with_in(kFull, from, to); }

TopologyError error_of(std::string_view yaml) {
  try {
    (void)load_topology_string(yaml, "t.yaml");
  } catch (const TopologyError& error) {
    return error;
  }
  ADD_FAILURE() << "loaded without error:\n" << yaml;
  return TopologyError("", -1, -1, "", "", "");
}

// The error names `key_path` at `line` (and `column` unless 0), on one line with an
// `(expected ...)`, and contains every one of `words`.
void expect_error(std::string_view yaml, std::string_view key_path, int line,
                  std::initializer_list<std::string_view> words, int column = 0) {
  const TopologyError error = error_of(yaml);
  SCOPED_TRACE(error.what());
  EXPECT_EQ(error.key_path(), key_path);
  EXPECT_EQ(error.line(), line);
  if (column != 0) {
    EXPECT_EQ(error.column(), column);
  }
  const std::string what = error.what();
  EXPECT_EQ(what.rfind("t.yaml:" + std::to_string(line) + ":", 0), 0u);
  EXPECT_EQ(what.find('\n'), std::string::npos);
  EXPECT_NE(what.find(" (expected "), std::string::npos);
  for (std::string_view word : words) EXPECT_NE(what.find(word), std::string::npos) << word;
}

Amount units(core::i128 v) { return Amount::units(v); }

// ---- valid input ----------------------------------------------------------------------------

TEST(TopologySections, ReadsAssetsAndPrices) {
  const Topology t = load_topology_string(kFull, "full.yaml");
  ASSERT_EQ(t.assets.size(), 5u);
  EXPECT_EQ(t.assets[0].symbol, "USDC");
  EXPECT_EQ(t.assets[0].decimals, 6);
  EXPECT_EQ(t.assets[1].symbol, "ETH");
  EXPECT_EQ(t.assets[1].decimals, 18);
  EXPECT_EQ(t.assets[2].decimals, 8);
  EXPECT_EQ(t.assets[3].symbol, "WEIRD-X");
  EXPECT_EQ(t.assets[3].decimals, 0);
  EXPECT_EQ(t.asset_index("DAI"), 4u);

  const PricesSpec& p = t.prices;
  EXPECT_TRUE(p.present);
  EXPECT_EQ(p.model, PriceModelKind::correlated_gbm);
  EXPECT_EQ(p.step, Duration::ms(500));
  ASSERT_EQ(p.assets.size(), 4u);
  EXPECT_EQ(p.assets[0].asset, 1u);
  EXPECT_DOUBLE_EQ(p.assets[0].initial, 2000);
  EXPECT_DOUBLE_EQ(p.assets[0].vol_annual, 0.8);
  EXPECT_DOUBLE_EQ(p.assets[0].drift_annual, -0.01);
  EXPECT_EQ(p.assets[1].asset, 2u);
  EXPECT_DOUBLE_EQ(p.assets[1].initial, 50000);
  EXPECT_DOUBLE_EQ(p.assets[1].vol_annual, 0.6);
  EXPECT_EQ(p.assets[2].asset, 0u);
  EXPECT_DOUBLE_EQ(p.assets[2].vol_annual, 0);
  EXPECT_EQ(p.assets[3].asset, 3u);
  EXPECT_DOUBLE_EQ(p.assets[3].vol_annual, 0.5);
  ASSERT_EQ(p.correlations.size(), 2u);
  EXPECT_EQ(p.correlations[0].a, 1u);
  EXPECT_EQ(p.correlations[0].b, 2u);
  EXPECT_DOUBLE_EQ(p.correlations[0].rho, 0.8);
  EXPECT_EQ(p.correlations[1].a, 3u);  // WEIRD-X-ETH: the one split into two priced assets
  EXPECT_EQ(p.correlations[1].b, 1u);
  EXPECT_DOUBLE_EQ(p.correlations[1].rho, -0.5);
  EXPECT_TRUE(p.replay_file.empty());
}

TEST(TopologySections, ReadsShardEconomicsAndLinks) {
  const Topology t = load_topology_string(kFull, "full.yaml");
  ASSERT_EQ(t.shards.size(), 3u);
  const ShardSpec& lend = t.shards[0];
  EXPECT_EQ(lend.fee_asset, 1u);
  EXPECT_EQ(lend.base_fee, units(20'000'000'000));  // 2e-8 ETH at 18 decimals
  ASSERT_TRUE(lend.access_latency.has_value());
  EXPECT_EQ(lend.access_latency->kind, LatencyKind::lognormal);
  EXPECT_EQ(lend.access_latency->median, Duration::ms(300));
  EXPECT_DOUBLE_EQ(lend.access_latency->sigma, 0.4);
  EXPECT_EQ(lend.mempool_observe_delay, Duration{});
  EXPECT_EQ(lend.gas.transfer, 21'000u);
  EXPECT_EQ(lend.gas.bridge, 70'000u);
  EXPECT_EQ(lend.gas.oracle_update, 40'000u);
  EXPECT_EQ(lend.gas.protocol_call, 30'000'000u);
  ASSERT_TRUE(lend.oracles.has_value());
  EXPECT_EQ(lend.oracles->assets, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_DOUBLE_EQ(lend.oracles->deviation, 0.005);
  EXPECT_EQ(lend.oracles->heartbeat, Duration::h(1));
  EXPECT_EQ(lend.oracles->check_every, Duration::s(2));

  const ShardSpec& dex = t.shards[1];
  EXPECT_EQ(dex.fee_asset, 1u);
  EXPECT_TRUE(dex.base_fee.is_zero());
  EXPECT_FALSE(dex.access_latency.has_value());
  EXPECT_EQ(dex.mempool_observe_delay, Duration::ms(100));
  EXPECT_EQ(dex.gas.transfer, 21'000u);
  EXPECT_EQ(dex.gas.protocol_call, 150'000u);
  ASSERT_TRUE(dex.oracles.has_value());
  EXPECT_EQ(dex.oracles->assets, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(dex.oracles->heartbeat, Duration::h(1));
  EXPECT_EQ(dex.oracles->check_every, Duration::s(1));

  const ShardSpec& perps = t.shards[2];
  EXPECT_FALSE(perps.fee_asset.has_value());
  EXPECT_TRUE(perps.base_fee.is_zero());
  EXPECT_FALSE(perps.oracles.has_value());

  EXPECT_EQ(t.links.receipts, ReceiptMode::finalized);
  EXPECT_EQ(t.links.finality, 32u);
  EXPECT_EQ(t.links.receipts_per_block, 1'000u);
  EXPECT_EQ(t.links.access_latency.kind, LatencyKind::constant);
  EXPECT_EQ(t.links.access_latency.value, Duration::ms(50));
}

TEST(TopologySections, ReadsAccounts) {
  const Topology t = load_topology_string(kFull, "full.yaml");
  ASSERT_EQ(t.accounts.size(), 3u);
  const AccountSpec& alice = t.accounts[0];
  EXPECT_EQ(alice.name, "alice");
  EXPECT_EQ(alice.shard, 1u);
  ASSERT_EQ(alice.balances.size(), 2u);
  EXPECT_EQ(alice.balances[0].first, 1u);
  EXPECT_EQ(alice.balances[0].second, units(core::pow10_i128(20)));  // 100 ETH
  EXPECT_EQ(alice.balances[1].first, 0u);
  EXPECT_EQ(alice.balances[1].second, units(2'500'123'456));  // exact to the last USDC unit
  const AccountSpec& whale = t.accounts[1];
  EXPECT_EQ(whale.name, "whale:1.x");
  EXPECT_EQ(whale.shard, 0u);
  ASSERT_EQ(whale.balances.size(), 2u);
  EXPECT_EQ(whale.balances[0], std::make_pair(std::uint32_t{2}, units(1)));  // one satoshi
  EXPECT_EQ(whale.balances[1], std::make_pair(std::uint32_t{3}, units(10'000'000)));
  EXPECT_EQ(t.accounts[2].shard, 2u);
  EXPECT_TRUE(t.accounts[2].balances.empty());
}

TEST(TopologySections, ReadsFaults) {
  const Topology t = load_topology_string(kFull, "full.yaml");
  ASSERT_EQ(t.faults.size(), 8u);
  const FaultSpec& halt = t.faults[0];
  EXPECT_EQ(halt.kind, FaultKind::shard_halt);
  EXPECT_EQ(halt.at, SimTime::zero() + Duration::h(6) + Duration::min(10));
  EXPECT_EQ(halt.duration, Duration::min(15));
  EXPECT_EQ(halt.shard, 2u);
  EXPECT_EQ(halt.line, 51u);
  const FaultSpec& add = t.faults[1];
  EXPECT_EQ(add.kind, FaultKind::latency_spike);
  EXPECT_EQ(add.from, 0u);
  EXPECT_EQ(add.to, 1u);
  EXPECT_EQ(add.add, Duration::s(10));
  EXPECT_DOUBLE_EQ(add.factor, 1);
  const FaultSpec& factor = t.faults[2];
  EXPECT_EQ(factor.from, 1u);
  EXPECT_EQ(factor.add, Duration{});
  EXPECT_DOUBLE_EQ(factor.factor, 2.5);
  EXPECT_EQ(t.faults[3].kind, FaultKind::partition);
  EXPECT_EQ(t.faults[3].groups, (std::vector<std::vector<std::uint32_t>>{{0, 1}}));
  EXPECT_EQ(t.faults[3].duration, Duration::min(10));
  EXPECT_EQ(t.faults[4].groups, (std::vector<std::vector<std::uint32_t>>{{0}, {1}, {2}}));
  const FaultSpec& stale = t.faults[5];
  EXPECT_EQ(stale.kind, FaultKind::oracle);
  EXPECT_EQ(stale.shard, 0u);
  EXPECT_EQ(stale.asset, 1u);
  EXPECT_EQ(stale.mode, OracleFaultMode::stale);
  EXPECT_EQ(stale.duration, Duration::h(1));
  EXPECT_EQ(t.faults[6].mode, OracleFaultMode::manipulated);
  EXPECT_EQ(t.faults[6].asset, 2u);
  EXPECT_DOUBLE_EQ(t.faults[6].value, 1234.5);
  const FaultSpec& drop = t.faults[7];
  EXPECT_EQ(drop.kind, FaultKind::tx_drop);
  EXPECT_EQ(drop.at, SimTime::zero());
  EXPECT_EQ(drop.shard, 1u);
  EXPECT_DOUBLE_EQ(drop.probability, 0.5);
}

TEST(TopologySections, ReadsScript) {
  const Topology t = load_topology_string(kFull, "full.yaml");
  ASSERT_EQ(t.script.size(), 4u);
  const ScriptEntry& first = t.script[0];
  EXPECT_EQ(first.at, SimTime::zero() + Duration::s(1));
  EXPECT_EQ(first.line, 5u);
  ASSERT_TRUE(first.tx.has_value());
  EXPECT_FALSE(first.price.has_value());
  const ScriptTx& transfer = *first.tx;
  EXPECT_EQ(transfer.from, "alice");
  EXPECT_EQ(transfer.shard, 1u);
  EXPECT_TRUE(transfer.protocol.empty());
  EXPECT_EQ(transfer.op, "transfer");
  EXPECT_EQ(transfer.to, "bob");  // undeclared: created on receipt
  EXPECT_EQ(transfer.asset, 1u);
  EXPECT_EQ(transfer.amount, units(1'500'000'000'000'000'000));
  EXPECT_EQ(transfer.priority_fee, units(1'000'000'000));  // 1 gwei
  ASSERT_EQ(transfer.args.size(), 3u);
  EXPECT_EQ(transfer.args[0].key, "to");
  EXPECT_EQ(transfer.args[0].value, "bob");
  EXPECT_EQ(transfer.args[2].key, "amount");
  EXPECT_EQ(transfer.args[2].value, "1.5");
  EXPECT_EQ(transfer.args[2].line, 6u);

  const ScriptTx& bridge = *t.script[1].tx;
  EXPECT_EQ(bridge.op, "bridge");
  EXPECT_EQ(bridge.to_shard, 0u);
  EXPECT_EQ(bridge.asset, 0u);
  EXPECT_EQ(bridge.amount, units(100'250'000));
  EXPECT_TRUE(bridge.priority_fee.is_zero());

  ASSERT_TRUE(t.script[2].price.has_value());
  const agents::PriceMove& set = *t.script[2].price;
  EXPECT_EQ(set.asset, 1u);
  EXPECT_EQ(set.at, SimTime::zero() + Duration::s(3));
  EXPECT_EQ(set.set, 900.0);
  EXPECT_FALSE(set.shock.has_value());
  EXPECT_EQ(set.over, Duration{});
  const agents::PriceMove& shock = *t.script[3].price;
  EXPECT_EQ(shock.asset, 2u);
  EXPECT_EQ(shock.at, SimTime::zero() + Duration::min(4));
  EXPECT_FALSE(shock.set.has_value());
  ASSERT_TRUE(shock.shock.has_value());
  EXPECT_DOUBLE_EQ(*shock.shock, -0.4);
  EXPECT_EQ(shock.over, Duration::h(1));
}

TEST(TopologySections, OmittedSectionsTakeDefaults) {
  const Topology t = load_topology_string(kBare, "bare.yaml");
  EXPECT_TRUE(t.assets.empty());
  EXPECT_FALSE(t.prices.present);
  EXPECT_TRUE(t.accounts.empty());
  EXPECT_TRUE(t.faults.empty());
  EXPECT_TRUE(t.script.empty());
  const ShardSpec& a = t.shards[0];
  EXPECT_FALSE(a.fee_asset.has_value());
  EXPECT_TRUE(a.base_fee.is_zero());
  EXPECT_FALSE(a.access_latency.has_value());
  EXPECT_EQ(a.mempool_observe_delay, Duration::ms(100));
  EXPECT_EQ(a.gas.bridge, 60'000u);
  EXPECT_EQ(a.gas.oracle_update, 50'000u);
  EXPECT_FALSE(a.oracles.has_value());
  EXPECT_EQ(t.links.receipts, ReceiptMode::optimistic);
  EXPECT_EQ(t.links.finality, 64u);
  EXPECT_EQ(t.links.receipts_per_block, 256u);
  EXPECT_EQ(t.links.access_latency.value, Duration::ms(100));
}

TEST(TopologySections, JumpDiffusionReadsJumps) {
  const std::string text = with_in(
      with_in(kFull, "  correlations: {ETH-BTC: 0.8, WEIRD-X-ETH: -50%}\n", ""),
      "{initial: 50000, vol_annual: 0.6}",
      "{initial: 50000, vol_annual: 60%, jump_intensity_annual: 2, jump_mean: -5%, "
      "jump_stddev: 10%}");
  const Topology k = load_topology_string(
      with_in(text, "model: correlated_gbm", "model: jump_diffusion"), "k.yaml");
  const PriceAssetSpec& btc = k.prices.assets[1];
  EXPECT_DOUBLE_EQ(btc.jump_intensity_annual, 2);
  EXPECT_DOUBLE_EQ(btc.jump_mean, -0.05);
  EXPECT_DOUBLE_EQ(btc.jump_stddev, 0.1);
  EXPECT_DOUBLE_EQ(k.prices.assets[0].jump_intensity_annual, 0);
}

// A replay topology in a directory of its own, with the price file beside it.
class ReplayTopology : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per process: ctest runs these fixtures in parallel processes.
    dir_ = std::filesystem::path(::testing::TempDir()) / ("shardsim_replay_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "prices.csv") << "time,asset,price\n0s,ETH,2000\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string replay_text() const {
    const std::string prices =
        "prices:\n"
        "  model: replay\n"
        "  replay: {file: prices.csv}\n";
    std::string text(kFull);
    const std::size_t from = text.find("prices:\n");
    const std::size_t to = text.find("shards:\n");
    text.replace(from, to - from, prices);
    // With replay every asset has a price process, so DAI may have a feed.
    return with_in(text, "oracles: {assets: [USDC]}", "oracles: {assets: [USDC, DAI]}");
  }
  std::filesystem::path dir_;
};

TEST_F(ReplayTopology, ResolvesTheFileBesideTheTopology) {
  const std::filesystem::path path = dir_ / "replay.yaml";
  std::ofstream(path) << replay_text();
  const Topology t = load_topology_file(path.string());
  EXPECT_EQ(t.prices.model, PriceModelKind::replay);
  EXPECT_TRUE(t.prices.assets.empty());
  EXPECT_EQ(std::filesystem::path(t.prices.replay_file), dir_ / "prices.csv");
  EXPECT_EQ(t.shards[1].oracles->assets, (std::vector<std::uint32_t>{0, 4}));
}

TEST_F(ReplayTopology, MissingFileNamesWhereItLooked) {
  const std::filesystem::path path = dir_ / "replay.yaml";
  std::ofstream(path) << with_in(replay_text(), "{file: prices.csv}", "{file: gone.csv}");
  try {
    (void)load_topology_file(path.string());
    FAIL() << "loaded with a missing replay file";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.key_path(), "prices.replay.file");
    EXPECT_EQ(error.line(), 21);
    EXPECT_NE(error.message().find("replay file \"gone.csv\" not found (looked for \"" +
                                   (dir_ / "gone.csv").string() + "\")"),
              std::string::npos)
        << error.what();
  }
}

TEST_F(ReplayTopology, FromAStringResolvesAgainstTheCurrentDirectory) {
  expect_error(replay_text(), "prices.replay.file", 21, {"replay file \"prices.csv\" not found"});
  const std::string absolute = with_in(replay_text(), "{file: prices.csv}",
                                       "{file: '" + (dir_ / "prices.csv").string() + "'}");
  const Topology t = load_topology_string(absolute, "abs.yaml");
  EXPECT_EQ(t.prices.replay_file, (dir_ / "prices.csv").string());
}

TEST(TopologySections, AmountParseSaysWhy) {
  EXPECT_EQ(parse_amount_checked("1.5", 6).value, units(1'500'000));
  EXPECT_EQ(parse_amount_checked("1.5k", 0).value, units(1'500));
  EXPECT_EQ(parse_amount_checked("2.50000000", 1).value, units(25));
  EXPECT_EQ(parse_amount_checked("1.0000001", 6).error, AmountError::too_precise);
  EXPECT_EQ(parse_amount_checked("1.0000001M", 0).error, AmountError::too_precise);
  EXPECT_EQ(parse_amount_checked("1.5.5", 6).error, AmountError::malformed);
  EXPECT_EQ(parse_amount_checked("1e3", 6).error, AmountError::malformed);
  EXPECT_EQ(parse_amount_checked("", 6).error, AmountError::malformed);
  EXPECT_EQ(parse_amount_checked("k", 6).error, AmountError::malformed);
  EXPECT_EQ(parse_amount_checked("1" + std::string(40, '0'), 0).error, AmountError::overflow);
  EXPECT_EQ(parse_amount_checked("200000000", 30).error, AmountError::overflow);
}

// ---- user errors: assets and prices ---------------------------------------------------------

TEST(TopologySectionsError, AssetDecimalsOutOfRange) {
  expect_error(with("USDC: {decimals: 6}", "USDC: {decimals: 31}"), "assets.USDC.decimals", 14,
               {"must be at most 30"}, 20);
}

TEST(TopologySectionsError, InvalidAssetSymbol) {
  expect_error(with("  DAI: {}\n", "  D/AI: {}\n"), "assets.D/AI", 18,
               {"invalid asset symbol \"D/AI\"", "letters, digits"}, 3);
}

TEST(TopologySectionsError, AssetNotAMap) {
  expect_error(with("  DAI: {}\n", "  DAI: 18\n"), "assets.DAI", 18,
               {"got \"18\"", "{decimals: 6}"});
}

TEST(TopologySectionsError, UnknownPriceModel) {
  expect_error(with("model: correlated_gbm", "model: brownian"), "prices.model", 20,
               {"unknown price model \"brownian\"", "gbm, correlated_gbm, jump_diffusion, replay"},
               10);
}

TEST(TopologySectionsError, PricedAssetNotDeclared) {
  expect_error(with("    USDC: {initial: 1}\n", "    USDT: {initial: 1}\n"), "prices.assets.USDT",
               25, {"unknown asset \"USDT\"", "one of: USDC, ETH, BTC, WEIRD-X, DAI"}, 5);
}

TEST(TopologySectionsError, NonPositiveInitialPrice) {
  expect_error(with("{initial: 2000,", "{initial: 0,"), "prices.assets.ETH.initial", 23,
               {"must be positive, got 0"});
}

TEST(TopologySectionsError, MissingInitialPrice) {
  expect_error(with("USDC: {initial: 1}", "USDC: {vol_annual: 1%}"), "prices.assets.USDC.initial",
               25, {"missing required key \"initial\""});
}

TEST(TopologySectionsError, NegativeVolatility) {
  expect_error(with("vol_annual: 0.6", "vol_annual: -60%"), "prices.assets.BTC.vol_annual", 24,
               {"must not be negative, got -60%", "a ratio >= 0"});
}

TEST(TopologySectionsError, JumpParametersNeedJumpDiffusion) {
  expect_error(with("vol_annual: 0.6}", "vol_annual: 0.6, jump_mean: -5%}"),
               "prices.assets.BTC.jump_mean", 24,
               {"only used by model jump_diffusion"}, 44);
}

TEST(TopologySectionsError, PricedAssetsRequiredUnlessReplay) {
  const std::string text = with(
      "  assets:\n    ETH: {initial: 2000, vol_annual: 80%, drift_annual: -1%}\n"
      "    BTC: {initial: 50000, vol_annual: 0.6}\n    USDC: {initial: 1}\n"
      "    WEIRD-X: {initial: 3, vol_annual: 1/2}\n",
      "");
  expect_error(text, "prices.assets", 20, {"missing required key \"assets\""});
}

TEST(TopologySectionsError, CorrelationsNeedCorrelatedGbm) {
  expect_error(with("model: correlated_gbm", "model: gbm"), "prices.correlations", 27,
               {"only used by model correlated_gbm"}, 3);
}

TEST(TopologySectionsError, CorrelationOutOfRange) {
  expect_error(with("ETH-BTC: 0.8", "ETH-BTC: 1.5"), "prices.correlations.ETH-BTC", 27,
               {"correlation \"1.5\" is outside [-1, 1]"}, 27);
}

TEST(TopologySectionsError, CorrelationPairGivenTwice) {
  expect_error(with("WEIRD-X-ETH: -50%}", "WEIRD-X-ETH: -50%, BTC-ETH: 0.1}"),
               "prices.correlations.BTC-ETH", 27,
               {"pair BTC-ETH given twice, first on line 27", "in either order"});
}

TEST(TopologySectionsError, CorrelationWithItself) {
  expect_error(with("ETH-BTC: 0.8", "ETH-ETH: 0.8"), "prices.correlations.ETH-ETH", 27,
               {"pairs ETH with itself"});
}

TEST(TopologySectionsError, CorrelationOfUnpricedAsset) {
  expect_error(with("ETH-BTC: 0.8", "ETH-DAI: 0.8"), "prices.correlations.ETH-DAI", 27,
               {"not a pair of priced assets: \"ETH-DAI\"", "e.g. ETH-BTC"});
}

TEST(TopologySectionsError, CorrelationsThatCannotHoldTogether) {
  expect_error(with("{ETH-BTC: 0.8, WEIRD-X-ETH: -50%}",
                    "{ETH-BTC: 0.9, WEIRD-X-ETH: 0.9, BTC-WEIRD-X: -0.9}"),
               "prices.correlations", 27, {"not positive semi-definite"}, 17);
}

TEST(TopologySectionsError, ReplayOnlyWithModelReplay) {
  expect_error(with("  step: 500ms\n", "  step: 500ms\n  replay: {file: p.csv}\n"),
               "prices.replay", 22, {"only used by model replay"});
}

TEST(TopologySectionsError, ReplayTakesNoPricedAssets) {
  expect_error(with("model: correlated_gbm", "model: replay"), "prices.assets", 22,
               {"model replay takes its prices from the replay file"});
}

TEST(TopologySectionsError, ZeroPriceStep) {
  expect_error(with("step: 500ms", "step: 0s"), "prices.step", 21, {"must be positive"});
}

// ---- user errors: shards and links ----------------------------------------------------------

TEST(TopologySectionsError, UnknownFeeAsset) {
  expect_error(with("fee_asset: ETH\n", "fee_asset: GAS\n"), "shards.0.fee_asset", 32,
               {"unknown asset \"GAS\"", "one of: USDC, ETH"}, 16);
}

TEST(TopologySectionsError, BaseFeeNeedsFeeAsset) {
  expect_error(with("base_fee: 0}", "base_fee: 0.1}"), "shards.2.base_fee", 39,
               {"base_fee \"0.1\" needs a fee_asset"});
}

TEST(TopologySectionsError, BaseFeeFinerThanFeeAsset) {
  expect_error(with("base_fee: 0.00000002", "base_fee: 0.0000000000000000001"),
               "shards.0.base_fee", 33,
               {"amount \"0.0000000000000000001\" has more decimals than ETH's 18"}, 15);
}

TEST(TopologySectionsError, GasCostAboveBlockGas) {
  expect_error(with("protocol_call: 30M}", "protocol_call: 31M}"), "shards.0.gas.protocol_call",
               36, {"protocol_call gas 31000000 does not fit", "at most gas_per_block, 30000000"});
}

TEST(TopologySectionsError, ZeroGasCost) {
  expect_error(with("bridge: 70000", "bridge: 0"), "shards.0.gas.bridge", 36,
               {"must be at least 1, got 0"});
}

TEST(TopologySectionsError, UnknownGasOp) {
  expect_error(with("bridge: 70000", "swap: 70000"), "shards.0.gas.swap", 36,
               {"unknown key \"swap\"", "transfer, bridge, oracle_update, protocol_call"});
}

TEST(TopologySectionsError, OracleAssetWithoutPriceProcess) {
  expect_error(with("assets: [ETH, BTC]", "assets: [ETH, DAI]"), "shards.0.oracles.assets.1", 37,
               {"DAI has no price process", "with a price process: USDC, ETH, BTC, WEIRD-X"}, 29);
}

TEST(TopologySectionsError, OracleWithoutPricesSection) {
  const std::string text = with_in(
      kBare, "gas_per_block: 1M}, {id: b",
      "gas_per_block: 1M, oracles: {assets: [ETH]}}, {id: b");
  expect_error("assets: {ETH: {}}\n" + text, "shards.0.oracles.assets.0", 4,
               {"ETH has no price process: there is no prices: section"});
}

TEST(TopologySectionsError, OracleAssetTwice) {
  expect_error(with("assets: [ETH, BTC]", "assets: [ETH, BTC, ETH]"), "shards.0.oracles.assets.2",
               37, {"ETH listed twice, first as item 0"});
}

TEST(TopologySectionsError, OracleWithNoAssets) {
  expect_error(with("{assets: [USDC]}", "{assets: []}"), "shards.1.oracles.assets", 38,
               {"no assets", "non-empty list"});
}

TEST(TopologySectionsError, ZeroOracleDeviation) {
  expect_error(with("deviation: 0.5%", "deviation: 0%"), "shards.0.oracles.deviation", 37,
               {"must be positive, got 0%"});
}

TEST(TopologySectionsError, NegativeMempoolDelay) {
  expect_error(with("mempool_observe_delay: 0s", "mempool_observe_delay: -1s"),
               "shards.0.mempool_observe_delay", 35, {"must not be negative"});
}

TEST(TopologySectionsError, BadAccessLatency) {
  expect_error(with("sigma: 0.4}", "sigma: 0}"), "shards.0.access_latency.sigma", 34,
               {"must be positive, got 0"});
}

TEST(TopologySectionsError, UnknownReceiptMode) {
  expect_error(with("receipts: finalized", "receipts: eventual"), "links.receipts", 42,
               {"unknown receipt mode \"eventual\"", "optimistic, finalized"}, 13);
}

TEST(TopologySectionsError, ZeroFinality) {
  expect_error(with("finality: 32", "finality: 0"), "links.finality", 43,
               {"must be at least 1, got 0"});
}

// ---- user errors: accounts ------------------------------------------------------------------

TEST(TopologySectionsError, AccountOnUnknownShard) {
  expect_error(with("alice: {shard: dex,", "alice: {shard: cex,"), "accounts.alice.shard", 47,
               {"unknown shard \"cex\"", "one of: lend, dex, perps"}, 18);
}

TEST(TopologySectionsError, AccountWithoutShard) {
  expect_error(with("empty: {shard: perps}", "empty: {}"), "accounts.empty.shard", 49,
               {"missing required key \"shard\""});
}

TEST(TopologySectionsError, BalanceFinerThanAsset) {
  expect_error(with("USDC: 2500.123456}", "USDC: 2500.1234567}"), "accounts.alice.balances.USDC",
               47, {"amount \"2500.1234567\" has more decimals than USDC's 6",
                    "an amount of USDC >= 0 with at most 6 decimals"}, 50);
}

TEST(TopologySectionsError, NegativeBalance) {
  expect_error(with("{ETH: 100,", "{ETH: -100,"), "accounts.alice.balances.ETH", 47,
               {"must not be negative, got -100"});
}

TEST(TopologySectionsError, BalanceOfUnknownAsset) {
  expect_error(with("{ETH: 100,", "{SOL: 100,"), "accounts.alice.balances.SOL", 47,
               {"unknown asset \"SOL\""}, 34);
}

TEST(TopologySectionsError, MalformedAndHugeBalances) {
  expect_error(with("{ETH: 100,", "{ETH: 1.5.5,"), "accounts.alice.balances.ETH", 47,
               {"invalid amount \"1.5.5\""});
  expect_error(with("WEIRD-X: 10M}", "WEIRD-X: 1" + std::string(40, '0') + "}"),
               "accounts.whale:1.x.balances.WEIRD-X", 48,
               {"is too large", "at most 170141183460469231731687303715884105727 WEIRD-X"});
}

TEST(TopologySectionsError, InvalidAccountName) {
  expect_error(with("  empty: {shard: perps}", "  \"em pty\": {shard: perps}"), "accounts.em pty",
               49, {"invalid account name \"em pty\""}, 3);
}

TEST(TopologySectionsError, DuplicateAccount) {
  expect_error(with("  empty: {shard: perps}", "  alice: {shard: perps}"), "accounts.alice", 49,
               {"duplicate key \"alice\", first given on line 47"});
}

// ---- user errors: faults --------------------------------------------------------------------

TEST(TopologySectionsError, FaultAtOrAfterTheEnd) {
  expect_error(with("{at: 6h10m,", "{at: 1d,"), "faults.0.at", 51,
               {"at 1d is not before the end of the run (duration 1d)", "below 1d"}, 10);
}

TEST(TopologySectionsError, FaultWithTwoKinds) {
  expect_error(with("{shard: perps, duration: 15m}}", "{shard: perps, duration: 15m}, "
                    "tx_drop: {shard: dex, probability: 1, duration: 1s}}"),
               "faults.0.tx_drop", 51,
               {"both \"shard_halt\" and \"tx_drop\" given", "exactly one of: shard_halt"});
}

TEST(TopologySectionsError, FaultKindFromALaterIssueIsUnknown) {
  expect_error(with("  - {at: 6h10m, shard_halt: {shard: perps, duration: 15m}}\n",
                    "  - {at: 6h, price_crash: {asset: ETH, move: -35%, over: 30m}}\n"),
               "faults.0.price_crash", 51,
               {"unknown key \"price_crash\"", "at, shard_halt, latency_spike, partition, oracle, "
                                               "tx_drop"});
}

TEST(TopologySectionsError, FaultWithoutKind) {
  expect_error(with("  - {at: 6h10m, shard_halt: {shard: perps, duration: 15m}}\n",
                    "  - {at: 6h10m}\n"),
               "faults.0", 51, {"no fault kind given"});
}

TEST(TopologySectionsError, FaultWithoutDuration) {
  expect_error(with("{shard: perps, duration: 15m}", "{shard: perps}"),
               "faults.0.shard_halt.duration", 51, {"missing required key \"duration\""});
}

TEST(TopologySectionsError, LatencySpikeNeedsAddOrFactor) {
  expect_error(with("add: 10s, duration: 5m", "duration: 5m"), "faults.1.latency_spike", 52,
               {"neither add nor factor given", "add: 10s and/or factor: 2"});
}

TEST(TopologySectionsError, LatencySpikeFactorBelowOne) {
  expect_error(with("factor: 2.5", "factor: 0.5"), "faults.2.latency_spike.factor", 53,
               {"factor \"0.5\" is below 1"});
}

TEST(TopologySectionsError, PartitionShardInTwoGroups) {
  expect_error(with("[[lend], [dex], [perps]]", "[[lend], [dex, lend], [perps]]"),
               "faults.4.partition.groups.1.1", 55, {"shard \"lend\" is already in group 0"});
}

TEST(TopologySectionsError, PartitionEmptyGroup) {
  expect_error(with("[[lend], [dex], [perps]]", "[[lend], [], [perps]]"),
               "faults.4.partition.groups.1", 55, {"empty group"});
}

TEST(TopologySectionsError, PartitionUnknownShard) {
  expect_error(with("[[lend, dex]]", "[[lend, cex]]"), "faults.3.partition.groups.0.1", 54,
               {"unknown shard \"cex\""});
}

TEST(TopologySectionsError, PartitionThatSeparatesNothing) {
  expect_error(with("[[lend, dex]]", "[[lend, dex, perps]]"), "faults.3.partition.groups", 54,
               {"separates nothing"});
}

TEST(TopologySectionsError, OracleFaultWithoutFeed) {
  expect_error(with("{shard: lend, asset: ETH, mode: stale",
                    "{shard: dex, asset: ETH, mode: stale"),
               "faults.5.oracle.asset", 56,
               {"shard \"dex\" has no oracle feed for ETH", "a feed for: USDC"});
}

TEST(TopologySectionsError, ManipulatedOracleNeedsValue) {
  expect_error(with("mode: manipulated, value: 1234.5,", "mode: manipulated,"),
               "faults.6.oracle.value", 57, {"missing required key \"value\""});
}

TEST(TopologySectionsError, OracleValueOnlyWhenManipulated) {
  expect_error(with("mode: stale,", "mode: stale, value: 5,"), "faults.5.oracle.value", 56,
               {"only used with mode manipulated"});
}

TEST(TopologySectionsError, UnknownOracleFaultMode) {
  expect_error(with("mode: stale,", "mode: frozen,"), "faults.5.oracle.mode", 56,
               {"unknown oracle fault mode \"frozen\"", "stale, manipulated, delayed"});
}

TEST(TopologySectionsError, DropProbabilityAboveOne) {
  expect_error(with("probability: 50%", "probability: 150%"), "faults.7.tx_drop.probability", 58,
               {"probability \"150%\" is above 1"});
}

// ---- user errors: script --------------------------------------------------------------------

TEST(TopologySectionsError, ScriptFromUnknownAccount) {
  expect_error(with("{from: alice, shard: dex, op: transfer",
                    "{from: carol, shard: dex, op: transfer"),
               "script.0.tx.from", 6,
               {"unknown account \"carol\"", "one of: alice, whale:1.x, empty"},
               16);
}

TEST(TopologySectionsError, ScriptTxOnAnotherShardThanTheAccount) {
  expect_error(with("{from: alice, shard: dex, op: transfer",
                    "{from: alice, shard: lend, op: transfer"),
               "script.0.tx.shard", 6,
               {"account \"alice\" lives on shard \"dex\", not \"lend\"", "shard: dex"});
}

TEST(TopologySectionsError, ScriptProtocolIsUnknownForNow) {
  expect_error(with("shard: dex, op: transfer", "shard: dex, protocol: uni, op: transfer"),
               "script.0.tx.protocol", 6, {"unknown protocol \"uni\""});
}

TEST(TopologySectionsError, ScriptUnknownOp) {
  expect_error(with("op: transfer", "op: swap"), "script.0.tx.op", 6,
               {"unknown op \"swap\"", "transfer or bridge"});
}

TEST(TopologySectionsError, ScriptZeroAmount) {
  expect_error(with("amount: 1.5}", "amount: 0}"), "script.0.tx.args.amount", 6,
               {"must be positive, got 0"});
}

TEST(TopologySectionsError, ScriptAmountFinerThanAsset) {
  expect_error(with("amount: 100.25}", "amount: 100.2500001}"), "script.1.tx.args.amount", 8,
               {"more decimals than USDC's 6"});
}

TEST(TopologySectionsError, ScriptUnknownArg) {
  expect_error(with("amount: 1.5}", "amount: 1.5, memo: hi}"), "script.0.tx.args.memo", 6,
               {"unknown key \"memo\"", "one of: to, asset, amount"});
}

TEST(TopologySectionsError, ScriptTransferToInvalidName) {
  expect_error(with("to: bob", "to: \"b b\""), "script.0.tx.args.to", 6,
               {"invalid account name \"b b\""});
}

TEST(TopologySectionsError, ScriptBridgeToItsOwnShard) {
  expect_error(with("to_shard: lend", "to_shard: dex"), "script.1.tx.args.to_shard", 8,
               {"bridge from \"dex\" to itself"});
}

TEST(TopologySectionsError, ScriptPriorityFeeWithoutFeeAsset) {
  expect_error(with("{from: alice, shard: dex, op: transfer",
                    "{from: empty, shard: perps, op: transfer"),
               "script.0.tx.priority_fee", 6, {"shard \"perps\" has no fee_asset"});
}

TEST(TopologySectionsError, ScriptPriceSetAndShock) {
  expect_error(with("{asset: ETH, set: 900}", "{asset: ETH, set: 900, shock: 5%}"),
               "script.2.price.shock", 10, {"both \"set\" and \"shock\" given"});
}

TEST(TopologySectionsError, ScriptPriceNeitherSetNorShock) {
  expect_error(with("{asset: ETH, set: 900}", "{asset: ETH}"), "script.2.price", 10,
               {"neither set nor shock given", "exactly one of: set, shock"});
}

TEST(TopologySectionsError, ScriptShockToZero) {
  expect_error(with("shock: -40%", "shock: -100%"), "script.3.price.shock", 12,
               {"would take the price to 0 or below", "above -100%"});
}

TEST(TopologySectionsError, ScriptPriceOfUnpricedAsset) {
  expect_error(with("{asset: ETH, set: 900}", "{asset: DAI, set: 900}"), "script.2.price.asset", 10,
               {"DAI has no price process"});
}

TEST(TopologySectionsError, ScriptOverWithSet) {
  expect_error(with("{asset: ETH, set: 900}", "{asset: ETH, set: 900, over: 1m}"),
               "script.2.price.over", 10, {"over is only used with shock"});
}

TEST(TopologySectionsError, ScriptEntryWithTxAndPrice) {
  expect_error(with("  - at: 3s\n", "  - at: 3s\n    tx: {from: alice}\n"), "script.2.price", 11,
               {"both \"tx\" and \"price\" given"});
}

TEST(TopologySectionsError, ScriptEntryAtNegativeTime) {
  expect_error(with("  - at: 2s\n", "  - at: -2s\n"), "script.1.at", 7, {"must not be negative"});
}

}  // namespace
}  // namespace shardsim::app
