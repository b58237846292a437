// Models the transaction messages between submitters (script, agents, keepers, brokers) and a
// shard: a TxRequest enters the shard's mempool after the access latency, and the shard answers
// with a TxResult once the transaction is in a block (or refused). Plain serialisable values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "core/codec.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols {

// cross_call: a protocol op executed on another shard, carried there by a receipt (optionally
// with value: `asset`/`amount` are bridged first and credited to `from` on the destination).
enum class TxOp : std::uint8_t { transfer, bridge, oracle_update, protocol_call, cross_call };
const char* tx_op_name(TxOp op);

// Why a transaction failed. Reverted transactions are in a block and pay their fee; refused ones
// never reach a block.
enum class TxStatus : std::uint8_t {
  ok,
  reverted_insufficient_balance,
  reverted_invalid,        // malformed for its op (zero amount, same shard bridge, ...)
  reverted_protocol,       // a protocol revert; the reason is in TxResult::reason
  refused_fee,             // cannot pay the fee: not included
  refused_mempool_full,
  refused_expired,         // still pending at TxRequest::expires_at_us: never included
};
const char* tx_status_text(TxStatus s);

struct TxArg {
  std::string key;
  std::string value;
};

// A value an operation reports to its sender: an exact integer and its decimals (raw 2500000
// with 6 decimals is 2.5). Readers take the integer; text() is for traces and reports only.
struct TxOutput {
  std::string key;
  __int128 raw = 0;
  std::uint8_t decimals = 0;
  std::string text() const;  // the exact decimal, e.g. "2.5"
};
// The output named `key`, or null.
const TxOutput* find_output(const std::vector<TxOutput>& outputs, std::string_view key);

struct TxRequest {
  static constexpr core::MsgKind kKind = 200;
  std::uint64_t tx_id = 0;          // unique per submitter endpoint
  core::EndpointId notify = kNoEndpoint;  // who gets the TxResult
  AccountId from = 0;
  TxOp op = TxOp::transfer;
  AssetId asset = 0;                // transfer, bridge, oracle_update
  AccountId to = 0;                 // transfer; bridge: the account credited on to_shard
  ShardId to_shard = 0;             // bridge
  core::Amount amount;              // transfer, bridge
  __int128 price_wad = 0;           // oracle_update
  core::Amount priority_fee;        // per gas, in the shard's fee asset
  std::int64_t submitted_at_us = 0;
  std::uint32_t protocol = 0;       // protocol_call: index of the protocol on the shard
  std::string protocol_op;          // protocol_call
  std::vector<TxArg> args;          // protocol_call
  std::int64_t expires_at_us = 0;   // 0: never; else refused if not included by then
  std::uint8_t flags = 0;           // kDryRun (cross_call), kPrivate, kLockWait, kUnlock
  // cross_call with kDryRun: a vote that succeeds locks the op's object (Protocol::lock_object)
  // for the sender until this time (0: no lock), or until its commit or release arrives.
  std::int64_t lock_until_us = 0;

  // cross_call: run the op on the destination and undo it, reporting only whether it would
  // succeed (a two-phase prepare vote). Any value carried is still credited.
  static constexpr std::uint8_t kDryRun = 1;
  // Sent through a private relay: never shown on the shard's public mempool feed.
  static constexpr std::uint8_t kPrivate = 2;
  // cross_call commit-reveal (spec/clearing.md §4): a commit is stored on the destination, not
  // run, and fixes its place in commit order; its feed copy shows no args (a hash) unless
  // kLeaked (searchers infer the intent from the sender's known address). Its args end with
  // {reveal_delay: N blocks}. A reveal (args {commitment: the commit's tx_id}) runs the stored
  // call no earlier than N blocks after the commitment was recorded.
  static constexpr std::uint8_t kCommit = 4;
  static constexpr std::uint8_t kReveal = 8;
  static constexpr std::uint8_t kLeaked = 16;
  // The lock a prepare takes makes other transactions wait (stay pending) rather than revert.
  static constexpr std::uint8_t kLockWait = 32;
  // cross_call (with kDryRun): run nothing, release the sender's lock on the op's object (a
  // two-phase abort).
  static constexpr std::uint8_t kUnlock = 64;
  // cross_call (with kDryRun): yank the whole venue to the sender's shard until its commit comes
  // back (or lock_until_us): no one else can use it meanwhile (contract yanking).
  static constexpr std::uint8_t kYank = 128;

  void encode(core::ByteWriter& w) const;
  static TxRequest decode(core::ByteReader& r);
};

struct TxResult {
  static constexpr core::MsgKind kKind = 201;
  std::uint64_t tx_id = 0;
  TxStatus status = TxStatus::ok;
  std::uint64_t block_height = 0;     // 0 when refused
  std::int64_t included_at_us = 0;
  std::int64_t submitted_at_us = 0;
  core::Amount fee_paid;
  std::string reason;  // a protocol's revert reason
  bool remote = false;  // the result of a cross_call's execution on the destination shard
  std::vector<TxOutput> outputs;  // what the protocol op reported (e.g. a fill price), when it succeeded

  void encode(core::ByteWriter& w) const;
  static TxResult decode(core::ByteReader& r);
};

// A value moving between shards: emitted by a block on `src`, consumed by a block on `dst`.
struct Receipt {
  static constexpr core::MsgKind kKind = 202;
  core::Amount amount;
  std::uint64_t receipt_id = 0;   // (src << 40) | per-source counter
  std::uint64_t src_height = 0;
  std::int64_t emitted_at_us = 0;
  ShardId src = 0;
  ShardId dst = 0;
  AccountId to = 0;
  AssetId asset = 0;
  std::uint64_t reserved = 0;     // keeps the struct free of padding (it is copied byte for byte)
};

// The call part of a cross-shard call: what the destination shard executes on arrival, and who
// hears about the outcome.
struct CrossCall {
  AccountId from = 0;
  std::uint32_t protocol = 0;  // index on the destination shard
  std::string op;
  std::vector<TxArg> args;
  core::EndpointId notify = kNoEndpoint;
  std::uint64_t tx_id = 0;
  std::int64_t submitted_at_us = 0;
  std::uint8_t flags = 0;  // TxRequest::kDryRun, kLockWait, kUnlock
  std::int64_t lock_until_us = 0;  // TxRequest::lock_until_us

  void encode(core::ByteWriter& w) const;
  static CrossCall decode(core::ByteReader& r);
};

// A receipt that also carries a call (the value part is an ordinary Receipt, possibly zero).
struct CallReceipt {
  static constexpr core::MsgKind kKind = 204;
  Receipt receipt;
  CrossCall call;

  void encode(core::ByteWriter& w) const;
  static CallReceipt decode(core::ByteReader& r);
};

// What a public-mempool subscriber sees of a pending transaction, after the observation delay.
struct MempoolSeen {
  static constexpr core::MsgKind kKind = 203;
  ShardId shard = 0;
  std::int64_t arrived_at_us = 0;
  TxRequest tx;

  void encode(core::ByteWriter& w) const;
  static MempoolSeen decode(core::ByteReader& r);
};

}  // namespace shardsim::protocols
