// Models the messages a broker receives besides shard results: client requests (from the script
// today, from agents later) and the protocol snapshots shards publish, each with link latency.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/amount.hpp"
#include "core/codec.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

enum class RequestOp : std::uint8_t { deposit, withdraw, order };

// One client request. Indexes are the broker's: clients and instruments in build order.
struct ClientRequest {
  static constexpr core::MsgKind kKind = 230;
  std::uint32_t client = 0;
  RequestOp op = RequestOp::order;
  std::uint32_t instrument = 0;   // order
  protocols::AssetId asset = 0;   // deposit, withdraw
  protocols::ShardId shard = 0;   // deposit: from; withdraw: to
  core::Amount amount;            // deposit, withdraw
  __int128 qty_wad = 0;           // order, signed
  __int128 limit_wad = 0;         // order: 0 = no limit

  void encode(core::ByteWriter& w) const;
  static ClientRequest decode(core::ByteReader& r);
};

// A protocol's published state (ProtocolSnapshot values) as it left its shard.
struct SnapshotMsg {
  static constexpr core::MsgKind kKind = 231;
  std::string protocol;
  std::int64_t taken_at_us = 0;
  std::vector<std::pair<std::string, double>> values;

  void encode(core::ByteWriter& w) const;
  static SnapshotMsg decode(core::ByteReader& r);
};

}  // namespace shardsim::broker
