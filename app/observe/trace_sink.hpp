// Models an observer of a whole run: every message as it is delivered, and the settlement events
// around it (transactions included, refused or dropped on a shard, receipts consumed, cross-shard
// calls executed, broker request and saga steps). attach_trace (app/observe/trace_wiring.hpp) wires one to the engine,
// the shards and the brokers; the events.csv writer and the ledger auditor are both sinks.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "core/engine.hpp"
#include "core/message.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::protocols {
class Registry;
}

namespace shardsim::app {

// What a sink needs to turn ids into readable names (filled by World::trace_names).
struct TraceNames {
  const core::Engine* engine = nullptr;            // endpoint names, the time
  const protocols::Registry* registry = nullptr;   // account names
  std::vector<std::string> shards;                 // per ShardId
  std::vector<std::vector<std::string>> protocols; // per ShardId, per protocol index: its name
  std::vector<protocols::ShardId> lp_shard;        // per LP: its shard
  std::vector<std::string> asset_symbols;
  std::vector<int> asset_decimals;
  std::vector<std::string> brokers;                // per broker index
  std::vector<protocols::ShardId> broker_homes;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void on_message(const core::Envelope& env) { (void)env; }
  // In a block on `shard`: ok or reverted.
  virtual void on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus status,
                              std::uint64_t height) {
    (void)shard, (void)tx, (void)status, (void)height;
  }
  // Never in a block: refused with a status, or dropped (nothing) before the mempool.
  virtual void on_tx_lost(protocols::ShardId shard, const protocols::TxRequest& tx,
                          std::optional<protocols::TxStatus> refused) {
    (void)shard, (void)tx, (void)refused;
  }
  virtual void on_receipt(protocols::ShardId shard, const protocols::Receipt& r) { (void)shard, (void)r; }
  virtual void on_call(protocols::ShardId shard, const protocols::Receipt& r, const protocols::CrossCall& call,
                       protocols::TxStatus status, const std::vector<protocols::TxOutput>& outputs) {
    (void)shard, (void)r, (void)call, (void)status, (void)outputs;
  }
  virtual void on_broker(std::size_t broker, const broker::BrokerEvent& e) { (void)broker, (void)e; }
};

}  // namespace shardsim::app
