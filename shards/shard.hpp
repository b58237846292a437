// Models one shard (or rollup) as a logical process: a slot clock that builds a block every slot
// up to its gas limit, a fee-ordered mempool with a public feed, a token ledger, oracle feed
// values, and cross-shard receipts delivered FIFO per channel with a per-block quota (lost ones,
// under a receipt_drop fault, resent after a timeout and deduplicated by id), and the results of
// cross-shard calls riding the same channels back. All of it runs as run-to-completion handlers
// on the shard's own LP; nothing here ever waits.
#pragma once

#include <deque>
#include <optional>
#include <map>
#include <memory>
#include <set>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine.hpp"
#include "core/histogram.hpp"
#include "core/latency.hpp"
#include "core/rng.hpp"
#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"
#include "protocols/api/tx.hpp"
#include "shards/commitments.hpp"
#include "shards/ledger.hpp"
#include "shards/locks.hpp"
#include "shards/mempool.hpp"
#include "shards/protocol_host.hpp"
#include "shards/shard_config.hpp"

namespace shardsim::shards {

struct ShardStats {
  std::uint64_t blocks = 0;
  std::uint64_t blocks_skipped_halted = 0;
  std::uint64_t txs_included = 0;
  std::uint64_t txs_reverted = 0;
  std::uint64_t txs_refused = 0;
  std::uint64_t txs_dropped = 0;  // lost before the mempool by a tx_drop fault
  std::uint64_t receipts_emitted = 0;
  std::uint64_t receipts_consumed = 0;
  std::uint64_t oracle_updates = 0;
  std::uint64_t calls_executed = 0;  // cross-shard calls run here on arrival
  std::uint64_t receipts_dropped = 0;    // transmissions of receipts sent here that a receipt_drop lost
  std::uint64_t receipts_resent = 0;     // retransmissions by this shard after its timeout
  std::uint64_t receipts_duplicate = 0;  // receipts arriving here a second time, discarded by id
  double gas_utilization_sum = 0;  // sum over blocks of gas used / gas_per_block
  std::size_t mempool_max = 0;
  core::Histogram inclusion_delay_us;      // submission -> inclusion, per included tx
  core::Histogram cross_shard_latency_us;  // emitting block -> consuming block, per receipt consumed here
  std::map<std::string, std::uint64_t> revert_reasons;  // protocol revert reason -> count
  std::map<std::string, std::uint64_t> liquidations;    // protocol name -> successful `liquidate` ops
};

struct OracleValue {
  __int128 price_wad = 0;
  std::int64_t updated_at_us = 0;
  std::uint64_t round = 0;  // 0: never updated
};

struct FaultLogEntry {
  std::int64_t at_us = 0;
  std::uint32_t fault_index = 0;
  bool start = true;
  std::string label;
};

class Shard final : public core::Handler {
 public:
  Shard(core::Engine& engine, core::LpId lp, ShardConfig config, const core::LinkTable& links,
        const protocols::Registry& registry, std::uint64_t seed);

  core::EndpointId endpoint() const { return self_; }
  const ShardConfig& config() const { return config_; }
  // Build-time wiring: every shard's endpoint by ShardId, then the first block and fault timers.
  void connect(std::vector<core::EndpointId> shard_endpoints);
  void subscribe_mempool(core::EndpointId subscriber) { subscribers_.push_back(subscriber); }
  // Observers for traces and tests: called when a receipt is consumed and a tx is included.
  using ReceiptObserver = std::function<void(const protocols::Receipt&, core::SimTime consumed_at)>;
  using TxObserver = std::function<void(const protocols::TxRequest&, protocols::TxStatus, std::uint64_t height)>;
  void observe_receipts(ReceiptObserver f) { on_receipt_.push_back(std::move(f)); }
  void observe_txs(TxObserver f) { on_tx_.push_back(std::move(f)); }
  // A transaction that never reached a block: refused with `status`, or dropped (nothing) by a
  // tx_drop fault before the mempool.
  using TxLostObserver = std::function<void(const protocols::TxRequest&, std::optional<protocols::TxStatus>)>;
  void observe_lost_txs(TxLostObserver f) { on_lost_.push_back(std::move(f)); }
  // A cross-shard call executed here on arrival, with its outcome (and outputs when it succeeded).
  using CallObserver = std::function<void(const protocols::Receipt&, const protocols::CrossCall&, protocols::TxStatus,
                                          const std::vector<protocols::TxOutput>& outputs)>;
  void observe_calls(CallObserver f) { on_call_.push_back(std::move(f)); }
  // A protocol op that ran here and changed state (a transaction's, or an arriving cross-shard
  // call's; never a dry run), called right after it with the protocol's state as the op left it:
  // its protocol index, sender, op, args, status and outputs (empty unless ok). Read-only.
  struct ProtocolOpRun {
    std::uint32_t protocol = 0;
    protocols::AccountId from = 0;
    std::string_view op;
    const std::vector<protocols::TxArg>& args;
    protocols::TxStatus status = protocols::TxStatus::ok;
    const std::vector<protocols::TxOutput>& outputs;
    bool cross_call = false;
  };
  using ProtocolOpObserver = std::function<void(const ProtocolOpRun&)>;
  void observe_protocol_ops(ProtocolOpObserver f) { on_op_.push_back(std::move(f)); }
  void start();
  // Hosts a protocol; its index is the TxRequest::protocol of calls to it.
  std::uint32_t add_protocol(std::unique_ptr<protocols::Protocol> protocol);
  const std::vector<std::unique_ptr<protocols::Protocol>>& protocols() const { return protocols_; }
  // The view hosted protocols get (for state dumps and snapshots between events).
  ProtocolHost& host() { return host_; }
  const ProtocolHost& host() const { return host_; }

  Ledger& ledger() { return ledger_; }
  const Ledger& ledger() const { return ledger_; }
  const ShardStats& stats() const { return stats_; }
  const LockStats& lock_stats() const { return locks_.stats(); }
  const LockStats& yank_stats() const { return yanks_.stats(); }
  std::uint64_t height() const { return height_; }
  std::size_t mempool_size() const { return mempool_.size(); }
  std::size_t take_mempool_peak() { return mempool_.take_peak(); }  // Mempool::take_peak
  const std::vector<OracleValue>& oracles() const { return oracles_; }
  const std::vector<FaultLogEntry>& fault_log() const { return fault_log_; }

  void on_message(const core::Envelope& env) override;

 private:
  struct BlockTick {
    static constexpr core::MsgKind kKind = 210;
  };
  struct FaultEdge {
    static constexpr core::MsgKind kKind = 211;
    std::uint32_t logged_index = 0;
    std::uint32_t start = 1;  // 1 start, 0 end (no bool: the struct is copied byte for byte)
  };
  // A receipt this shard sent and must send again (its timeout fired without an acknowledgement).
  struct Resend {
    static constexpr core::MsgKind kKind = 212;
    std::uint64_t receipt_id = 0;
  };
  // The result of a cross-shard call, travelling back to the calling (source) shard, which hands
  // it to `notify` on arrival.
  struct ResultHome {
    static constexpr core::MsgKind kKind = 213;
    core::EndpointId notify = 0;
    protocols::TxResult result;
    void encode(core::ByteWriter& w) const;
    static ResultHome decode(core::ByteReader& r);
  };
  // A receipt, and the call it carries if it is a cross-shard call.
  struct Transit {
    protocols::Receipt receipt;
    std::optional<protocols::CrossCall> call;
  };
  struct HeldReceipt {
    std::uint64_t release_height = 0;
    Transit transit;
  };

  void admit(protocols::TxRequest tx);
  void build_block();
  void consume_receipts();
  void include_transactions();
  // Executes one transaction; returns the gas it used (0 if it was refused and not included).
  std::uint64_t execute(const PendingTx& pending, std::uint64_t gas);
  protocols::TxStatus apply(const protocols::TxRequest& tx, std::string& reason);
  protocols::TxStatus apply_protocol(const protocols::TxRequest& tx, std::string& reason);
  bool charge_fee(const protocols::TxRequest& tx, std::uint64_t gas, core::Amount& fee_paid);
  void emit_receipt(const protocols::TxRequest& tx);
  // `resends`: how often this receipt was sent again before (0 for its first transmission).
  void dispatch_receipt(const Transit& t, std::uint32_t resends = 0);
  // Whether a receipt_drop fault on the link to `dst` loses a transmission sent now.
  bool drop_receipt(protocols::ShardId dst);
  core::Duration resend_timeout(protocols::ShardId dst, std::uint32_t resends) const;
  void resend(std::uint64_t receipt_id);
  // Queues an arrived receipt (and its call) for the next block, unless its id was seen before.
  void arrive(Transit t);
  void execute_call(const protocols::Receipt& r, const protocols::CrossCall& call);
  // The object `op` of protocol `protocol` would touch, for the prepare locks.
  std::optional<LockTable::Object> lock_object(std::uint32_t protocol, std::string_view op,
                                               const std::vector<protocols::TxArg>& args) const;
  const LockTable::Lock* blocker(std::uint32_t protocol, std::string_view op, const std::vector<protocols::TxArg>& args,
                                 protocols::AccountId from, LockTable*& table);
  // Runs a call against the protocol, under the prepare locks: a status and reason.
  protocols::TxStatus run_call(const protocols::CrossCall& call, std::string& reason, std::vector<protocols::TxOutput>& outputs);
  void commit_or_reveal(const protocols::Receipt& r, const protocols::CrossCall& call);
  // Counts, digests and reports a call's outcome (to its observers and its sender).
  void finish_call(const protocols::Receipt& r, const protocols::CrossCall& call, protocols::TxStatus status,
                   std::string reason, std::vector<protocols::TxOutput> outputs);
  static protocols::TxRequest feed_copy(const protocols::TxRequest& tx);
  void send_result_home(protocols::ShardId src, core::EndpointId notify, const protocols::TxResult& res);
  // When a message sent now on the channel to `dst` arrives there (and the channel's new tail).
  core::SimTime channel_arrival(protocols::ShardId dst);
  core::SimTime arrival_with_faults(protocols::ShardId dst, core::Duration latency) const;
  void notify(const protocols::TxRequest& tx, protocols::TxStatus status, core::Amount fee_paid,
              std::string reason = {});
  bool drop_submission();

  core::Engine& engine_;
  core::EndpointId self_;
  ShardConfig config_;
  const core::LinkTable& links_;
  core::Rng rng_;
  Ledger ledger_;
  Mempool mempool_;
  LockTable locks_;  // two-phase prepares' locks
  LockTable yanks_;  // venues yanked to a broker's shard (object "*": the whole protocol)
  std::uint64_t height_ = 0;
  std::vector<core::EndpointId> shard_eps_;
  std::vector<core::EndpointId> subscribers_;
  std::deque<Transit> inbound_;  // arrived receipts and calls, in arrival order (so FIFO per channel)
  std::vector<core::SimTime> channel_last_arrival_;      // per destination shard: FIFO delivery
  std::deque<HeldReceipt> held_for_finality_;
  struct Unacknowledged {
    Transit transit;
    std::uint32_t resends = 0;  // before the transmission the timer is for
  };
  std::map<std::uint64_t, Unacknowledged> awaiting_resend_;  // by receipt id: sent, timer set
  std::set<std::uint64_t> seen_receipts_;              // ids arrived here, kept when dedup_receipts
  std::uint64_t next_receipt_ = 0;
  std::vector<OracleValue> oracles_;
  ProtocolHost host_;
  Commitments commitments_;
  std::vector<std::unique_ptr<protocols::Protocol>> protocols_;
  std::vector<FaultLogEntry> fault_log_;
  ShardStats stats_;
  std::vector<ReceiptObserver> on_receipt_;
  std::vector<protocols::TxOutput> outputs_;  // of the transaction being executed, for its TxResult
  std::vector<TxObserver> on_tx_;
  std::vector<TxLostObserver> on_lost_;
  std::vector<CallObserver> on_call_;
  std::vector<ProtocolOpObserver> on_op_;
  void op_ran(const ProtocolOpRun& run) const {
    for (const ProtocolOpObserver& f : on_op_) f(run);
  }
  void lost(const protocols::TxRequest& tx, std::optional<protocols::TxStatus> status) const {
    for (const TxLostObserver& f : on_lost_) f(tx, status);
  }
};

}  // namespace shardsim::shards
