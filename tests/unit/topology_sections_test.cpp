// Tests the topology sections beyond shards and links: assets, prices, shard fees/gas/oracles,
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/topology/units.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;

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
    std::ofstream(dir_ / "prices.csv") << "time,asset,price\n0s,ETH,2000\n0s,BTC,50000\n0s,USDC,1\n0s,DAI,1\n";
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
    // With replay every asset with rows in the file has a price process, so DAI may have a feed.
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

}  // namespace
}  // namespace shardsim::app
