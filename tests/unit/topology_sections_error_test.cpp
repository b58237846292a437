// Tests the topology loader's one-line errors for the assets, prices, shards, links, accounts,
// faults and script sections: key path, line and message words of each.
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

// A fault or script entry at or after the end never happens: it loads (so a shorter
// `--param duration=...` still runs) with a warning at its `at`, in the error's format.
TEST(TopologySectionsError, FaultAtOrAfterTheEndIsAWarning) {
  const Topology t = load_topology_string(with("{at: 6h10m,", "{at: 1d,"), "t.yaml");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_EQ(t.warnings[0], "t.yaml:51:10: faults.0.at: at 1d is not before the end of the run (duration 1d): it never "
                           "happens (expected a time below 1d)");
}

TEST(TopologySectionsError, FaultWithTwoKinds) {
  expect_error(with("{shard: perps, duration: 15m}}", "{shard: perps, duration: 15m}, "
                    "tx_drop: {shard: dex, probability: 1, duration: 1s}}"),
               "faults.0.tx_drop", 51,
               {"both \"shard_halt\" and \"tx_drop\" given", "exactly one of: shard_halt"});
}

TEST(TopologySectionsError, UnknownFaultKindListsTheKinds) {
  expect_error(with("  - {at: 6h10m, shard_halt: {shard: perps, duration: 15m}}\n",
                    "  - {at: 6h, meteor_strike: {asset: ETH, move: -35%, over: 30m}}\n"),
               "faults.0.meteor_strike", 51,
               {"unknown key \"meteor_strike\"", "shard_halt", "price_crash", "depeg", "protocol_insolvency",
                "broker_default", "gas_spike"});
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

TEST(TopologySectionsError, ScriptEntryAtOrAfterTheEndIsAWarning) {
  const Topology t = load_topology_string(with("  - at: 4m\n", "  - at: 1d\n"), "t.yaml");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_EQ(t.warnings[0].rfind("t.yaml:11:9: script.3.at: at 1d is not before the end of the run (duration 1d)", 0), 0u)
      << t.warnings[0];
  EXPECT_TRUE(load_topology_string(kFull, "t.yaml").warnings.empty());
}

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
