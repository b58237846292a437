// Test support for the topology section tests: a full valid topology and helpers that edit it
// and expect one TopologyError at a key path and line.
#pragma once
// links receipts, accounts, faults and script. One full topology must load to the exact values,
// and each mistake must give one line naming the key path, the line and what was expected.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::sections_test {

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
inline std::string with_in(std::string_view base, std::string_view from, std::string_view to) {
  std::string text(base);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not in the text: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

inline std::string with(std::string_view from, std::string_view to) { return with_in(kFull, from, to); }

inline TopologyError error_of(std::string_view yaml) {
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
inline void expect_error(std::string_view yaml, std::string_view key_path, int line,
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

inline Amount units(core::i128 v) { return Amount::units(v); }

}  // namespace shardsim::app::sections_test
