// The events.csv writer: one row per message and settlement event, names resolved, fields CSV
// quoted, buffered and streamed to the temporary file.
#include "app/output/trace_writer.hpp"

#include <algorithm>

#include "app/output/csv.hpp"

#include "broker/messages.hpp"
#include "protocols/api/broker_api.hpp"
#include "protocols/api/registry.hpp"

namespace shardsim::app {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

std::string args_text(const std::vector<protocols::TxArg>& args) {
  std::string out;
  for (const protocols::TxArg& a : args) out += (out.empty() ? "" : " ") + a.key + "=" + a.value;
  return out;
}

// The first arg among `keys` (in that order of preference), or "".
template <std::size_t N>
std::string arg_of(const std::vector<protocols::TxArg>& args, const std::array<std::string_view, N>& keys) {
  for (const std::string_view k : keys) {
    for (const protocols::TxArg& a : args) {
      if (a.key == k) return a.value;
    }
  }
  return {};
}
constexpr std::array<std::string_view, 5> kQuantityArgs = {"size", "qty", "amount", "amount_in", "shares"};
constexpr std::array<std::string_view, 2> kPriceArgs = {"price", "limit"};

}  // namespace

std::string message_kind_name(core::MsgKind kind) {
  switch (kind) {
    case protocols::TxRequest::kKind: return "TxRequest";
    case protocols::TxResult::kKind: return "TxResult";
    case protocols::Receipt::kKind: return "Receipt";
    case protocols::MempoolSeen::kKind: return "MempoolSeen";
    case protocols::CallReceipt::kKind: return "CallReceipt";
    case 210: return "BlockTick";   // shards::Shard, private
    case 211: return "FaultEdge";   // shards::Shard, private
    case 212: return "Resend";      // shards::Shard, private
    case 213: return "ResultHome";  // shards::Shard, private
    case protocols::ClientRequest::kKind: return "ClientRequest";
    case broker::SnapshotMsg::kKind: return "Snapshot";
    case 232: return "BrokerTick";  // broker::Broker, private
    case 500: return "Ping";        // app::PingWorkload
    default: return "kind" + std::to_string(kind);
  }
}

TraceWriter::TraceWriter(TraceNames names, const std::string& path, std::vector<std::string> kinds)
    : names_(std::move(names)), file_(path), kinds_(std::move(kinds)) {
  buffer_ = std::string(kHeader) + "\n";
}

bool TraceWriter::wanted(std::string_view kind) const {
  return kinds_.empty() || std::find(kinds_.begin(), kinds_.end(), kind) != kinds_.end();
}

std::string TraceWriter::account(protocols::AccountId a) const {
  return names_.registry != nullptr && a < names_.registry->account_count() ? names_.registry->account_name(a)
                                                                              : "account" + std::to_string(a);
}

std::string TraceWriter::shard_name(protocols::ShardId s) const {
  return s < names_.shards.size() ? names_.shards[s] : "shard" + std::to_string(s);
}

std::string TraceWriter::protocol_name(protocols::ShardId s, std::uint32_t p) const {
  if (s < names_.protocols.size() && p < names_.protocols[s].size()) return names_.protocols[s][p];
  return "protocol" + std::to_string(p);
}

void TraceWriter::write(const Row& r) {
  if (!wanted(r.kind)) return;
  const core::Engine& engine = *names_.engine;
  buffer_ += std::to_string(engine.now().count_us());
  for (const std::string_view f : {r.kind, r.event}) (buffer_ += ',') += csv_field(f);
  for (const std::string* f : {&r.src, &r.dst, &r.shard, &r.actor, &r.id, &r.detail}) (buffer_ += ',') += csv_field(*f);
  buffer_ += ',';
  if (r.asset && *r.asset < names_.asset_symbols.size()) {
    buffer_ += csv_field(names_.asset_symbols[*r.asset]);
    buffer_ += ',';
    buffer_ += r.amount.str(names_.asset_decimals[*r.asset]);
  } else {
    buffer_ += ',';
  }
  for (const std::string* f : {&r.op, &r.protocol, &r.status, &r.quantity, &r.price}) (buffer_ += ',') += csv_field(*f);
  buffer_ += '\n';
  ++rows_;
  if (buffer_.size() >= kFlushBytes) {
    file_.write(buffer_);
    buffer_.clear();
  }
}

void TraceWriter::on_message(const core::Envelope& env) {
  if (!wanted("message")) return;
  const core::Engine& engine = *names_.engine;
  Row r;
  r.kind = "message";
  const std::string kind = message_kind_name(env.kind);
  r.event = kind;
  r.src = env.src_lp < names_.lp_shard.size() ? shard_name(names_.lp_shard[env.src_lp]) : "lp" + std::to_string(env.src_lp);
  r.dst = engine.endpoint_name(env.dst);
  const core::LpId lp = engine.lp_of(env.dst);
  r.shard = lp < names_.lp_shard.size() ? shard_name(names_.lp_shard[lp]) : "lp" + std::to_string(lp);
  if (env.is_call || env.is_reply) {
    r.actor = engine.endpoint_name(env.call.reply_to);
    r.id = std::to_string(env.call.call_id);
    r.detail = env.is_call ? "call " : "reply ";
  }
  r.detail += "bytes=" + std::to_string(env.payload.size());
  write(r);
}

void TraceWriter::tx_row(protocols::ShardId shard, const protocols::TxRequest& tx, std::string_view event, std::string why) {
  Row r;
  r.kind = "tx";
  r.event = event;
  r.src = account(tx.from);
  if (tx.op == protocols::TxOp::transfer || tx.op == protocols::TxOp::bridge || tx.op == protocols::TxOp::cross_call) {
    r.dst = account(tx.to);
  }
  r.shard = shard_name(shard);
  if (tx.notify != protocols::kNoEndpoint) r.actor = names_.engine->endpoint_name(tx.notify);
  r.id = std::to_string(tx.tx_id);
  r.detail = protocols::tx_op_name(tx.op);
  if (tx.op == protocols::TxOp::bridge || tx.op == protocols::TxOp::cross_call) r.detail += " to=" + shard_name(tx.to_shard);
  if (tx.op == protocols::TxOp::protocol_call) r.detail += " protocol=" + protocol_name(shard, tx.protocol);
  if (tx.op == protocols::TxOp::cross_call) r.detail += " protocol=" + protocol_name(tx.to_shard, tx.protocol);
  if (!tx.protocol_op.empty()) r.detail += " op=" + tx.protocol_op;
  if (!why.empty()) r.detail += ": " + why;
  r.op = tx.protocol_op.empty() ? std::string(protocols::tx_op_name(tx.op)) : tx.protocol_op;
  if (tx.op == protocols::TxOp::protocol_call) r.protocol = protocol_name(shard, tx.protocol);
  if (tx.op == protocols::TxOp::cross_call) r.protocol = protocol_name(tx.to_shard, tx.protocol);
  r.status = event == "included" ? "ok" : why;
  r.quantity = arg_of(tx.args, kQuantityArgs);
  r.price = arg_of(tx.args, kPriceArgs);
  if (!tx.amount.is_zero()) {
    r.asset = tx.asset;
    r.amount = tx.amount;
  }
  write(r);
}

void TraceWriter::on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus status,
                                 std::uint64_t height) {
  const bool ok = status == protocols::TxStatus::ok;
  tx_row(shard, tx, ok ? "included" : "reverted", ok ? std::string() : protocols::tx_status_text(status));
  (void)height;
  if (ok && tx.op == protocols::TxOp::protocol_call && tx.protocol_op == "liquidate") {
    Row r;
    r.kind = "liquidation";
    r.event = "liquidate";
    r.src = account(tx.from);
    r.shard = shard_name(shard);
    r.id = std::to_string(tx.tx_id);
    r.detail = args_text(tx.args);
    write(r);
  }
}

void TraceWriter::on_tx_lost(protocols::ShardId shard, const protocols::TxRequest& tx,
                             std::optional<protocols::TxStatus> refused) {
  tx_row(shard, tx, refused ? "refused" : "dropped", refused ? protocols::tx_status_text(*refused) : "tx_drop fault");
}

void TraceWriter::on_receipt(protocols::ShardId shard, const protocols::Receipt& rc) {
  Row r;
  r.kind = "receipt";
  r.event = "consumed";
  r.src = shard_name(rc.src);
  r.dst = account(rc.to);
  r.shard = shard_name(shard);
  r.id = std::to_string(rc.receipt_id);
  r.asset = rc.asset;
  r.amount = rc.amount;
  write(r);
}

void TraceWriter::on_call(protocols::ShardId shard, const protocols::Receipt& rc, const protocols::CrossCall& call,
                          protocols::TxStatus status, const std::vector<protocols::TxOutput>& outputs) {
  const bool ok = status == protocols::TxStatus::ok;
  Row r;
  r.kind = "call";
  r.event = ok ? "executed" : "reverted";
  r.src = account(call.from);
  r.dst = protocol_name(shard, call.protocol);
  r.shard = shard_name(shard);
  if (call.notify != protocols::kNoEndpoint) r.actor = names_.engine->endpoint_name(call.notify);
  r.id = std::to_string(call.tx_id);
  r.detail = "op=" + call.op + ((call.flags & protocols::TxRequest::kDryRun) ? " dry_run" : "");
  if (!ok) r.detail += std::string(": ") + protocols::tx_status_text(status);
  r.op = call.op;
  r.protocol = r.dst;
  r.status = ok ? "ok" : protocols::tx_status_text(status);
  r.quantity = arg_of(call.args, kQuantityArgs);
  r.price = arg_of(call.args, kPriceArgs);
  if (!outputs.empty()) {
    r.detail += " ->";
    for (const protocols::TxOutput& o : outputs) {
      r.detail += " " + o.key + "=" + o.text();
      if (o.key == "avg_price" || o.key == "price") r.price = o.text();
    }
  }
  if (!rc.amount.is_zero()) {
    r.asset = rc.asset;
    r.amount = rc.amount;
  }
  write(r);
  if (ok && call.op == "liquidate" && (call.flags & protocols::TxRequest::kDryRun) == 0) {
    Row l;
    l.kind = "liquidation";
    l.event = "liquidate";
    l.src = r.src;
    l.shard = r.shard;
    l.id = r.id;
    l.detail = args_text(call.args);
    write(l);
  }
}

void TraceWriter::on_broker(std::size_t broker, const broker::BrokerEvent& e) {
  Row r;
  r.kind = "broker";
  r.event = e.event;
  r.src = broker < names_.brokers.size() ? names_.brokers[broker] : "broker" + std::to_string(broker);
  r.dst = e.subject;
  if (broker < names_.broker_homes.size()) r.shard = shard_name(names_.broker_homes[broker]);
  r.id = std::to_string(e.id);
  r.detail = e.detail;
  r.asset = e.asset;
  r.amount = e.amount;
  write(r);
}

void TraceWriter::commit() {
  file_.write(buffer_);
  buffer_.clear();
  file_.commit();
}

}  // namespace shardsim::app
