// Encoding of client requests to a broker.
#include "protocols/api/broker_api.hpp"

namespace shardsim::protocols {

void ClientRequest::encode(core::ByteWriter& w) const {
  w.pod(client);
  w.pod(op);
  w.pod(instrument);
  w.pod(asset);
  w.pod(shard);
  w.pod(amount);
  w.pod(qty_wad);
  w.pod(limit_wad);
  w.pod(time_in_force_us);
  if (op == RequestOp::pay) {  // only a payment names a payee
    w.pod(to_broker);
    w.pod(to_client);
  }
}

ClientRequest ClientRequest::decode(core::ByteReader& r) {
  ClientRequest q;
  q.client = r.pod<std::uint32_t>();
  q.op = r.pod<RequestOp>();
  q.instrument = r.pod<std::uint32_t>();
  q.asset = r.pod<AssetId>();
  q.shard = r.pod<ShardId>();
  q.amount = r.pod<core::Amount>();
  q.qty_wad = r.pod<__int128>();
  q.limit_wad = r.pod<__int128>();
  q.time_in_force_us = r.pod<std::int64_t>();
  if (q.op == RequestOp::pay) {
    q.to_broker = r.pod<std::uint32_t>();
    q.to_client = r.pod<std::uint32_t>();
  }
  return q;
}

}  // namespace shardsim::protocols
