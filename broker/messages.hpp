// Models the messages a broker receives besides shard results and client requests
// (protocols/api/broker_api.hpp): the protocol snapshots shards publish, with link latency.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/amount.hpp"
#include "core/codec.hpp"
#include "protocols/api/broker_api.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

// Client requests are part of protocols/api, so that agents can send them.
using protocols::ClientRequest;
using protocols::RequestOp;

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
