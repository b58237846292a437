// Digests of transaction and cross-shard call outcomes, for the run fingerprint.
#include "shards/outcome_digest.hpp"

#include "core/state_digest.hpp"

namespace shardsim::shards {
namespace {

constexpr std::uint64_t kDropped = 0xFF;

void digest_result(core::StateDigest& d, std::uint64_t status, std::uint64_t height, std::string_view reason,
                   const std::vector<protocols::TxOutput>& outputs) {
  d.u64(status);
  d.u64(height);
  d.str(reason);
  d.u64(outputs.size());
  for (const protocols::TxOutput& o : outputs) {
    d.str(o.key);
    d.int128(o.raw);
    d.u64(o.decimals);
  }
}

}  // namespace

std::uint64_t tx_outcome_digest(const protocols::TxRequest& tx, std::optional<protocols::TxStatus> status,
                                std::uint64_t height, core::Amount fee_paid, std::string_view reason,
                                const std::vector<protocols::TxOutput>& outputs) {
  core::StateDigest d;
  d.u64(1);  // a transaction
  d.u64(tx.tx_id);
  d.u64(tx.notify);
  d.u64(tx.from);
  d.u64(static_cast<std::uint64_t>(tx.op));
  d.amount(fee_paid);
  digest_result(d, status ? static_cast<std::uint64_t>(*status) : kDropped, height, reason, outputs);
  return d.value();
}

std::uint64_t call_outcome_digest(const protocols::Receipt& receipt, const protocols::CrossCall& call,
                                  protocols::TxStatus status, std::uint64_t height, std::string_view reason,
                                  const std::vector<protocols::TxOutput>& outputs) {
  core::StateDigest d;
  d.u64(2);  // a cross-shard call
  d.u64(receipt.receipt_id);
  d.u64(call.tx_id);
  d.u64(call.notify);
  d.u64(call.from);
  d.str(call.op);
  digest_result(d, static_cast<std::uint64_t>(status), height, reason, outputs);
  return d.value();
}

}  // namespace shardsim::shards
