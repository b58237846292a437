// Encoding of the broker's messages.
#include "broker/messages.hpp"

namespace shardsim::broker {

void ClientRequest::encode(core::ByteWriter& w) const {
  w.pod(client);
  w.pod(op);
  w.pod(instrument);
  w.pod(asset);
  w.pod(shard);
  w.pod(amount);
  w.pod(qty_wad);
  w.pod(limit_wad);
}

ClientRequest ClientRequest::decode(core::ByteReader& r) {
  ClientRequest q;
  q.client = r.pod<std::uint32_t>();
  q.op = r.pod<RequestOp>();
  q.instrument = r.pod<std::uint32_t>();
  q.asset = r.pod<protocols::AssetId>();
  q.shard = r.pod<protocols::ShardId>();
  q.amount = r.pod<core::Amount>();
  q.qty_wad = r.pod<__int128>();
  q.limit_wad = r.pod<__int128>();
  return q;
}

void SnapshotMsg::encode(core::ByteWriter& w) const {
  w.str(protocol);
  w.pod(taken_at_us);
  w.pod(static_cast<std::uint32_t>(values.size()));
  for (const auto& [k, v] : values) {
    w.str(k);
    w.pod(v);
  }
}

SnapshotMsg SnapshotMsg::decode(core::ByteReader& r) {
  SnapshotMsg m;
  m.protocol = r.str();
  m.taken_at_us = r.pod<std::int64_t>();
  m.values.resize(r.pod<std::uint32_t>());
  for (auto& [k, v] : m.values) {
    k = r.str();
    v = r.pod<double>();
  }
  return m;
}

}  // namespace shardsim::broker
