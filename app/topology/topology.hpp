// Models a loaded topology as plain data: what one YAML file says about a run (its shards,
// links, workload, limits and outputs), already validated, before anything is built from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agents/agent_config.hpp"
#include "agents/price_csv.hpp"
#include "agents/price_config.hpp"
#include "broker/broker_config.hpp"
#include "broker/clearing_config.hpp"
#include "core/amount.hpp"
#include "core/latency_spec.hpp"
#include "core/time.hpp"

namespace shardsim::app {

using agents::CorrelationSpec;
using agents::PriceAssetSpec;
using agents::PriceModelKind;
using agents::PricesSpec;

// `assets:` entry. Amounts of the asset are counted in units of 10^-decimals.
struct AssetSpec {
  std::string symbol;  // e.g. USDC, sBTC: letters, digits, `_`, `-`
  int decimals = 18;   // 0..30
};

// Gas charged per operation type; a block holds transactions up to gas_per_block.
struct GasCosts {
  std::uint64_t transfer = 21'000;
  std::uint64_t bridge = 60'000;
  std::uint64_t oracle_update = 50'000;
  std::uint64_t protocol_call = 150'000;  // default for protocol ops (issue 4 refines per op)
};

// `shards[].oracles`: Chainlink-style feeds on this shard, one per asset.
struct OracleSpec {
  std::vector<std::uint32_t> assets;          // indexes into Topology::assets
  double deviation = 0.005;                   // update when the true price moved more than this
  core::Duration heartbeat = core::Duration::h(1);  // or when this long has passed
  core::Duration check_every = core::Duration::s(1); // how often the keeper looks
  // `source: uni`: an AMM on this shard whose pool price the feed publishes for the pair's assets
  // instead of the true price (a DEX-priced feed, which trades can move).
  std::string source;
};

struct ProtocolParams;  // app/topology/protocol_kinds.hpp: each kind's parsed `params:`

// `shards[].protocols` entry: a protocol deployed on the shard.
struct ProtocolSpec {
  std::string kind;  // amm | lending | synthetics | perps | prediction
  std::string name;  // unique in the topology; instrument ids are NAME.SYMBOL
  std::shared_ptr<const ProtocolParams> params;
  std::size_t line = 0;
};

struct ShardSpec {
  std::string id;                 // unique among shards: letters, digits, `_`, `-`
  core::Duration slot;            // block interval, > 0
  core::Duration slot_offset;     // first block at this offset, 0 <= offset < slot
  std::uint64_t gas_per_block = 0;  // > 0
  std::size_t line = 0;           // 1-based line of the shard's entry, for later messages
  std::optional<std::uint32_t> fee_asset;      // index into assets; required when base_fee > 0
  core::Amount base_fee;                       // per gas unit, in fee_asset units (0: no fees)
  std::optional<core::LatencySpec> access_latency;  // user -> mempool; default links.access_latency
  core::Duration mempool_observe_delay = core::Duration::ms(100);  // public feed lag
  GasCosts gas;                                // `gas: {transfer: 21000, ...}`
  std::optional<OracleSpec> oracles;
  std::vector<ProtocolSpec> protocols;  // in file order; a TxRequest names one by its index
};

// The latency of messages sent from shard `from` to shard `to` (directional: the reverse
// direction uses its own pair or the default).
struct LinkPair {
  std::uint32_t from = 0;  // index into Topology::shards
  std::uint32_t to = 0;    // index into Topology::shards, != from
  core::LatencySpec latency;
};

enum class ReceiptMode : std::uint8_t { optimistic, finalized };

struct LinksSpec {
  core::LatencySpec default_latency;  // every ordered pair of shards not listed in `pairs`
  std::vector<LinkPair> pairs;        // each ordered (from, to) at most once
  ReceiptMode receipts = ReceiptMode::optimistic;
  std::uint32_t finality = 64;              // blocks deep, with receipts: finalized
  std::uint32_t receipts_per_block = 256;   // receipts a block takes in, >= 1
  // User -> shard mempool latency, for shards without their own (`links.access_latency`).
  core::LatencySpec access_latency = constant_latency(core::Duration::ms(100));

  static core::LatencySpec constant_latency(core::Duration d) {
    core::LatencySpec s;
    s.kind = core::LatencyKind::constant;
    s.value = d;
    return s;
  }
};

// `accounts:` opening balances, minted at genesis on the account's shard.
struct AccountSpec {
  std::string name;
  std::uint32_t shard = 0;
  std::vector<std::pair<std::uint32_t, core::Amount>> balances;  // (asset index, amount)
};

// `faults:` timed faults.
enum class FaultKind : std::uint8_t {
  shard_halt, latency_spike, partition, oracle, tx_drop,
  price_crash,          // {asset, move: -35%, over: 30m}: the true price moves by `move` over `over`
  depeg,                // {asset: sBTC, to: 0.92, over: 2h}: a synth's market price goes to `to` x its peg
  protocol_insolvency,  // {protocol: aave, loss: 30%}: an exploit drains `loss` of the pool's tokens
  broker_default,       // {broker: prime}: the broker's capital is wiped
  gas_spike,            // {shard, factor: 10, duration: 10m}: the base fee multiplies
  receipt_drop,         // {from, to, rate: 50%, over: 10m}: receipts on the from->to link are lost, then resent
};
enum class OracleFaultMode : std::uint8_t { stale, manipulated, delayed };

struct FaultSpec {
  FaultKind kind = FaultKind::shard_halt;
  core::SimTime at;
  core::Duration duration;
  std::size_t line = 0;
  std::uint32_t shard = 0;                  // shard_halt, oracle, tx_drop
  std::uint32_t from = 0, to = 0;           // latency_spike, receipt_drop (directed)
  core::Duration add;                       // latency_spike: add this ...
  double factor = 1;                        // ... and/or multiply by this (>= 1)
  std::vector<std::vector<std::uint32_t>> groups;  // partition: shard groups; shards in no group form one more
  std::uint32_t asset = 0;                  // oracle
  OracleFaultMode mode = OracleFaultMode::stale;
  double value = 0;                         // oracle manipulated: the price published
  double probability = 0;                   // tx_drop; receipt_drop's `rate`; in [0, 1]
  double move = 0;                          // price_crash: relative move, e.g. -0.35
  double depeg_to = 1;                      // depeg `to`: market price / peg, e.g. 0.92
  std::string protocol;                     // protocol_insolvency: a protocol name of the topology
  double loss = 0;                          // protocol_insolvency: share of each token drained, (0, 1]
  std::uint32_t broker = 0;                 // broker_default: index into brokers
  // price_crash, depeg: `duration` is the `over` of the move; gas_spike uses `factor` and `shard`.
};

// `script:` deterministic actions at fixed times.
struct ScriptArg {
  std::string key;
  std::string value;  // scalar text as written; typed per op when the script runs
  std::size_t line = 0;
};
struct ScriptTx {
  std::string from;          // account name
  std::uint32_t shard = 0;
  std::string protocol;      // empty for shard-native ops
  std::uint32_t protocol_index = 0;  // index of `protocol` in the shard's protocols
  std::string op;            // transfer | bridge, or a protocol op
  std::vector<ScriptArg> args;
  core::Amount priority_fee;  // per gas, in the shard's fee asset
  bool private_flow = false;  // `privacy: private`: through a private relay, never on the public feed
  // Typed fields, filled and validated at load for the shard-native ops:
  std::string to;                // transfer: destination account
  std::uint32_t to_shard = 0;    // bridge
  std::uint32_t asset = 0;       // transfer, bridge
  core::Amount amount;           // transfer, bridge (> 0)
};
// `script: broker:` a client's request to a broker (spec/clearing.md §5): a deposit from a shard,
// a withdrawal to a shard, an order in a protocol instrument, or a payment to another client.
// pledge {instrument, qty}: collateral in an instrument (an LP share moved to the broker's account
// at its protocol with transfer_lp beforehand).
enum class BrokerOp : std::uint8_t { deposit, withdraw, order, pay, pledge };
struct ScriptBrokerAction {
  std::string client;          // a declared account
  std::uint32_t broker = 0;    // index into Topology::brokers
  BrokerOp op = BrokerOp::order;
  std::uint32_t shard = 0;     // deposit: from_shard; withdraw: to_shard
  std::uint32_t asset = 0;     // deposit, withdraw
  core::Amount amount;         // deposit, withdraw (> 0)
  std::string instrument;      // order, pledge: NAME.SYMBOL, NAME a protocol of the topology
  __int128 qty_wad = 0;        // order: signed, != 0; pledge: > 0; in whole units as WAD
  std::optional<__int128> limit_wad;  // order: the worst mark accepted (USD per unit, WAD)
  std::string to_client;       // pay: the payee, a declared account (a client of to_broker)
  std::uint32_t to_broker = 0; // pay: the payee's broker (default: this one)
};
struct ScriptEntry {
  core::SimTime at;
  std::size_t line = 0;
  std::optional<ScriptTx> tx;
  std::optional<ScriptBrokerAction> broker;
  std::optional<agents::PriceMove> price;  // its `at` equals the entry's
};

struct WorkloadSpec {
  std::string kind = "none";          // "none" or "ping"
  double per_shard_per_second = 0;    // ping rate per shard, >= 0
  std::uint32_t payload_bytes = 8;
};

struct LimitsSpec {
  std::uint64_t max_pending_events = 50'000'000;  // >= 1
  std::uint64_t max_events = 0;                   // 0 = unlimited
  std::uint32_t max_inflight_calls = 10'000;      // >= 1
};

struct OutputsSpec {
  core::Duration timeseries_every = core::Duration::min(1);  // > 0
  bool trace = false;
};

struct Topology {
  std::string file;  // the file it was loaded from, as given
  std::string name;
  std::uint64_t seed = 1;
  core::Duration duration;  // > 0
  std::vector<AssetSpec> assets;  // in file order
  PricesSpec prices;
  std::vector<agents::PricePoint> price_replay;  // prices model replay: the CSV's rows, read at load
  std::vector<ShardSpec> shards;  // non-empty, in file order
  LinksSpec links;
  std::vector<AccountSpec> accounts;  // in file order; names unique
  std::vector<FaultSpec> faults;      // in file order
  // Input that loads but looks wrong (a volatility of 80,000%), each one line as an error's;
  // validate and run print them on stderr.
  std::vector<std::string> warnings;
  std::vector<broker::BrokerConfig> brokers;  // in file order; names unique
  // `clearing: {cycle: 1m, mode: multilateral}`: the cycles that settle obligations between
  // brokers (broker/obligations.hpp); none when absent (then no payment may cross brokers).
  std::optional<broker::ClearingConfig> clearing;
  std::vector<agents::AgentSpec> agents;      // in file order
  std::vector<ScriptEntry> script;    // in file order (not necessarily by time)
  WorkloadSpec workload;
  LimitsSpec limits;
  OutputsSpec outputs;

  std::optional<std::uint32_t> asset_index(std::string_view symbol) const {
    for (std::size_t i = 0; i < assets.size(); ++i) {
      if (assets[i].symbol == symbol) return static_cast<std::uint32_t>(i);
    }
    return std::nullopt;
  }

  std::optional<std::uint32_t> shard_index(std::string_view id) const {
    for (std::size_t i = 0; i < shards.size(); ++i) {
      if (shards[i].id == id) return static_cast<std::uint32_t>(i);
    }
    return std::nullopt;
  }
};

}  // namespace shardsim::app
