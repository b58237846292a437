// Models what a shard witnesses into its LP's fingerprint for every transaction it settles: the
// transaction's identity, its status (or that a fault dropped it), the fee paid, the revert
// reason and the outputs, and the same for every cross-shard call executed here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::shards {

// `status` nothing: dropped before the mempool. `height`: the block it was settled in (0: none).
std::uint64_t tx_outcome_digest(const protocols::TxRequest& tx, std::optional<protocols::TxStatus> status,
                                std::uint64_t height, core::Amount fee_paid, std::string_view reason,
                                const std::vector<protocols::TxOutput>& outputs);
std::uint64_t call_outcome_digest(const protocols::Receipt& receipt, const protocols::CrossCall& call,
                                  protocols::TxStatus status, std::uint64_t height, std::string_view reason,
                                  const std::vector<protocols::TxOutput>& outputs);

}  // namespace shardsim::shards
