// Encoding of transaction messages, and their names for reports.
#include "protocols/api/tx.hpp"

namespace shardsim::protocols {

const char* tx_op_name(TxOp op) {
  switch (op) {
    case TxOp::transfer: return "transfer";
    case TxOp::bridge: return "bridge";
    case TxOp::oracle_update: return "oracle_update";
    case TxOp::protocol_call: return "protocol_call";
    case TxOp::cross_call: return "cross_call";
  }
  return "?";
}

const char* tx_status_text(TxStatus s) {
  switch (s) {
    case TxStatus::ok: return "ok";
    case TxStatus::reverted_insufficient_balance: return "insufficient balance";
    case TxStatus::reverted_invalid: return "invalid transaction";
    case TxStatus::reverted_protocol: return "protocol revert";
    case TxStatus::refused_fee: return "cannot pay the fee";
    case TxStatus::refused_mempool_full: return "mempool full";
    case TxStatus::refused_expired: return "expired before inclusion";
  }
  return "?";
}

std::string TxOutput::text() const { return core::Amount::units(raw).str(decimals); }

const TxOutput* find_output(const std::vector<TxOutput>& outputs, std::string_view key) {
  for (const TxOutput& o : outputs) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

namespace {
void encode_outputs(core::ByteWriter& w, const std::vector<TxOutput>& outputs) {
  w.pod(static_cast<std::uint32_t>(outputs.size()));
  for (const TxOutput& o : outputs) {
    w.str(o.key);
    w.pod(o.raw);
    w.pod(o.decimals);
  }
}
std::vector<TxOutput> decode_outputs(core::ByteReader& r) {
  std::vector<TxOutput> outputs(r.pod<std::uint32_t>());
  for (TxOutput& o : outputs) {
    o.key = r.str();
    o.raw = r.pod<__int128>();
    o.decimals = r.pod<std::uint8_t>();
  }
  return outputs;
}
void encode_args(core::ByteWriter& w, const std::vector<TxArg>& args) {
  w.pod(static_cast<std::uint32_t>(args.size()));
  for (const TxArg& a : args) {
    w.str(a.key);
    w.str(a.value);
  }
}
std::vector<TxArg> decode_args(core::ByteReader& r) {
  std::vector<TxArg> args(r.pod<std::uint32_t>());
  for (TxArg& a : args) {
    a.key = r.str();
    a.value = r.str();
  }
  return args;
}
}  // namespace

void TxRequest::encode(core::ByteWriter& w) const {
  w.pod(tx_id);
  w.pod(notify);
  w.pod(from);
  w.pod(op);
  w.pod(asset);
  w.pod(to);
  w.pod(to_shard);
  w.pod(amount);
  w.pod(price_wad);
  w.pod(priority_fee);
  w.pod(submitted_at_us);
  w.pod(protocol);
  w.str(protocol_op);
  encode_args(w, args);
  w.pod(expires_at_us);
  w.pod(flags);
  w.pod(lock_until_us);
}

TxRequest TxRequest::decode(core::ByteReader& r) {
  TxRequest t;
  t.tx_id = r.pod<std::uint64_t>();
  t.notify = r.pod<core::EndpointId>();
  t.from = r.pod<AccountId>();
  t.op = r.pod<TxOp>();
  t.asset = r.pod<AssetId>();
  t.to = r.pod<AccountId>();
  t.to_shard = r.pod<ShardId>();
  t.amount = r.pod<core::Amount>();
  t.price_wad = r.pod<__int128>();
  t.priority_fee = r.pod<core::Amount>();
  t.submitted_at_us = r.pod<std::int64_t>();
  t.protocol = r.pod<std::uint32_t>();
  t.protocol_op = r.str();
  t.args = decode_args(r);
  t.expires_at_us = r.pod<std::int64_t>();
  t.flags = r.pod<std::uint8_t>();
  t.lock_until_us = r.pod<std::int64_t>();
  return t;
}

void TxResult::encode(core::ByteWriter& w) const {
  w.pod(tx_id);
  w.pod(status);
  w.pod(block_height);
  w.pod(included_at_us);
  w.pod(submitted_at_us);
  w.pod(fee_paid);
  w.str(reason);
  w.pod(static_cast<std::uint8_t>(remote));
  encode_outputs(w, outputs);
}

TxResult TxResult::decode(core::ByteReader& r) {
  TxResult t;
  t.tx_id = r.pod<std::uint64_t>();
  t.status = r.pod<TxStatus>();
  t.block_height = r.pod<std::uint64_t>();
  t.included_at_us = r.pod<std::int64_t>();
  t.submitted_at_us = r.pod<std::int64_t>();
  t.fee_paid = r.pod<core::Amount>();
  t.reason = r.str();
  t.remote = r.pod<std::uint8_t>() != 0;
  t.outputs = decode_outputs(r);
  return t;
}


void CrossCall::encode(core::ByteWriter& w) const {
  w.pod(from);
  w.pod(protocol);
  w.str(op);
  encode_args(w, args);
  w.pod(notify);
  w.pod(tx_id);
  w.pod(submitted_at_us);
  w.pod(flags);
  w.pod(lock_until_us);
}

CrossCall CrossCall::decode(core::ByteReader& r) {
  CrossCall c;
  c.from = r.pod<AccountId>();
  c.protocol = r.pod<std::uint32_t>();
  c.op = r.str();
  c.args = decode_args(r);
  c.notify = r.pod<core::EndpointId>();
  c.tx_id = r.pod<std::uint64_t>();
  c.submitted_at_us = r.pod<std::int64_t>();
  c.flags = r.pod<std::uint8_t>();
  c.lock_until_us = r.pod<std::int64_t>();
  return c;
}

void CallReceipt::encode(core::ByteWriter& w) const {
  w.pod(receipt);
  call.encode(w);
}

CallReceipt CallReceipt::decode(core::ByteReader& r) {
  CallReceipt c;
  c.receipt = r.pod<Receipt>();
  c.call = CrossCall::decode(r);
  return c;
}

void MempoolSeen::encode(core::ByteWriter& w) const {
  w.pod(shard);
  w.pod(arrived_at_us);
  tx.encode(w);
}

MempoolSeen MempoolSeen::decode(core::ByteReader& r) {
  MempoolSeen m;
  m.shard = r.pod<ShardId>();
  m.arrived_at_us = r.pod<std::int64_t>();
  m.tx = TxRequest::decode(r);
  return m;
}

}  // namespace shardsim::protocols
