// Models `--trace`: every message and settlement event of a run as one row of OUT/events.csv, for
// analysis in pandas or R. Rows are streamed to a temporary file in the order the run produced
// them (so time never decreases and the file is the same for the same seed) and renamed into
// place by commit(): a reader never sees a torn file.
//
// Columns (stable; a field is empty where it does not apply):
//   t_us    simulated time of the event, microseconds
//   kind    message | tx | receipt | call | liquidation | broker
//   event   message: the message kind (TxRequest, TxResult, Receipt, ClientRequest, ...);
//           tx: included | reverted | refused | dropped; receipt: consumed;
//           call: executed | reverted; liquidation: liquidate; broker: the saga or request step
//   src     message: the source LP's shard; tx, call, liquidation: the sender's account;
//           receipt: the emitting shard; broker: the broker
//   dst     message: the destination endpoint; tx: the receiving account; receipt: the credited
//           account; call: the protocol; broker: the client or venue concerned
//   shard   where it happened (message: the destination's shard)
//   actor   message: the reply-to endpoint of a call or reply; tx: the endpoint notified
//   id      message: the call id (calls and replies); tx, call: the tx id; receipt: its id;
//           broker: the settlement id or client index
//   detail  message: call | reply and its payload bytes; tx: the op (and protocol op), and why
//           it failed; call: the op and its outputs; broker: what the step did
//   asset   the asset of `amount`
//   amount  an exact decimal in the asset's units
//   op      tx: the protocol op, else the tx op (transfer, bridge, ...); call: the op
//   protocol  tx, call: the protocol called
//   status  tx, call: ok, or why it reverted or was refused (the revert reason)
//   quantity  tx, call: the size the op was asked for (its size, qty, amount, amount_in or shares arg)
//   price   tx, call: a limit or price arg, or for a call the average price it filled at (avg_price)
//
// --trace-kinds tx,broker keeps only those kinds (an hour of ping messages is not written).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/output/atomic_file.hpp"
#include "app/observe/trace_sink.hpp"

namespace shardsim::app {

// The readable name of a message kind (`kind1234` for one this build does not name).
std::string message_kind_name(core::MsgKind kind);


class TraceWriter final : public TraceSink {
 public:
  static constexpr const char* kHeader =
      "t_us,kind,event,src,dst,shard,actor,id,detail,asset,amount,op,protocol,status,quantity,price";
  static constexpr std::array<std::string_view, 6> kKinds = {"message", "tx", "receipt", "call", "liquidation", "broker"};

  // `kinds`: the row kinds to write (empty: every kind); each one of kKinds.
  TraceWriter(TraceNames names, const std::string& path, std::vector<std::string> kinds = {});
  void on_message(const core::Envelope& env) override;
  void on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus status,
                      std::uint64_t height) override;
  void on_tx_lost(protocols::ShardId shard, const protocols::TxRequest& tx,
                  std::optional<protocols::TxStatus> refused) override;
  void on_receipt(protocols::ShardId shard, const protocols::Receipt& r) override;
  void on_call(protocols::ShardId shard, const protocols::Receipt& r, const protocols::CrossCall& call,
               protocols::TxStatus status, const std::vector<protocols::TxOutput>& outputs) override;
  void on_broker(std::size_t broker, const broker::BrokerEvent& e) override;

  std::uint64_t rows() const { return rows_; }
  void commit();  // flushes and renames the file into place

 private:
  struct Row {
    std::string_view kind, event;
    std::string src, dst, shard, actor, id, detail;
    std::optional<protocols::AssetId> asset;
    core::Amount amount;
    std::string op, protocol, status, quantity, price;
  };
  bool wanted(std::string_view kind) const;
  void write(const Row& r);
  std::string account(protocols::AccountId a) const;
  std::string shard_name(protocols::ShardId s) const;
  std::string protocol_name(protocols::ShardId s, std::uint32_t p) const;
  void tx_row(protocols::ShardId shard, const protocols::TxRequest& tx, std::string_view event, std::string why);

  TraceNames names_;
  AtomicFileStream file_;
  std::string buffer_;
  std::uint64_t rows_ = 0;
  std::vector<std::string> kinds_;
};

}  // namespace shardsim::app
