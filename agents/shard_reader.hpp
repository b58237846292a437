// Models what a protocol-side agent may know of one shard without naming the shard type: where
// to send transactions, the protocols it hosts (kind, name, index) and their typed queries (read
// against the shard's context), its last included oracle values, the agent's own balances, its
// block schedule and gas prices. The world builder (app/) fills it with readers bound to the shard; an agent reads it
// only from a fiber on that shard's LP, between events, so it never reads another LP's state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/amount.hpp"
#include "core/engine.hpp"
#include "core/latency.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/queries.hpp"

namespace shardsim::agents {

struct ProtocolRef {
  std::uint32_t index = 0;  // TxRequest::protocol of calls to it
  std::string kind;         // amm | lending | synthetics | perps | prediction
  std::string name;
  protocols::ProtocolQueries queries;  // its typed views, read with ShardReader::host
};

struct ShardReader {
  explicit ShardReader(core::LatencyModel access_latency) : access(std::move(access_latency)) {}

  protocols::ShardId shard = 0;
  std::string name;
  core::EndpointId endpoint = 0;
  core::LpId lp = 0;
  core::LatencyModel access;  // user -> mempool
  core::Duration slot;
  core::Duration slot_offset;  // the first block is at slot_offset, or one slot in when it is 0
  std::vector<ProtocolRef> protocols;
  std::optional<protocols::AssetId> fee_asset;  // with base_fee_at: every transaction pays gas x base fee
  // The base fee per gas at a time, in fee_asset units: read live at each decision, so a gas
  // spike in force is what the agent prices its calls at. Absent: no fee.
  std::function<core::Amount(core::SimTime)> base_fee_at;
  std::uint64_t call_gas = 0;                   // gas of a protocol call
  std::uint64_t bridge_gas = 0;

  const protocols::ShardContext* host = nullptr;  // the shard's context: what protocol queries read
  std::function<std::optional<double>(protocols::AssetId)> oracle_price;  // USD, last included value
  std::function<core::Amount(protocols::AccountId, protocols::AssetId)> balance;

  // The first block strictly after `t` (halts aside).
  core::SimTime next_block_after(core::SimTime t) const {
    const std::int64_t first = (slot_offset.count_us() > 0 ? slot_offset : slot).count_us();
    const std::int64_t now = t.count_us();
    if (now < first) return core::SimTime::from_us(first);
    const std::int64_t s = slot.count_us();
    return core::SimTime::from_us(first + ((now - first) / s + 1) * s);
  }
  const ProtocolRef* find_kind(std::string_view kind) const {
    for (const ProtocolRef& p : protocols) {
      if (p.kind == kind) return &p;
    }
    return nullptr;
  }
};

}  // namespace shardsim::agents
