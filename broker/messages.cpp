// Encoding of the broker's messages.
#include "broker/messages.hpp"

namespace shardsim::broker {

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
