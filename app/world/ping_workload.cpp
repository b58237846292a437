// The `ping` workload: Poisson senders (fibers) and receiving handlers on every shard's LP.
#include "app/world/ping_workload.hpp"

#include <algorithm>

#include "app/world/stats.hpp"

namespace shardsim::app {

void PingMsg::encode(core::ByteWriter& w) const {
  w.pod(sent_at_us);
  w.pod(src_shard);
  w.pod(seq);
  w.pod(padding_bytes);
  for (std::uint32_t i = 0; i < padding_bytes; ++i) w.pod(static_cast<std::uint8_t>(seq + i));
}

PingMsg PingMsg::decode(core::ByteReader& r) {
  PingMsg m;
  m.sent_at_us = r.pod<std::int64_t>();
  m.src_shard = r.pod<std::uint32_t>();
  m.seq = r.pod<std::uint32_t>();
  m.padding_bytes = r.pod<std::uint32_t>();
  for (std::uint32_t i = 0; i < m.padding_bytes; ++i) r.pod<std::uint8_t>();
  return m;
}

PingWorkload::PingWorkload(core::Engine& engine, const Topology& topology, const core::LinkTable& links,
                           const std::vector<core::LpId>& shard_lps)
    : engine_(engine), topology_(topology), links_(links) {
  const auto n = static_cast<std::uint32_t>(shard_lps.size());
  receivers_.resize(n);
  sent_.assign(n, 0);
  received_.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    receivers_[i].owner = this;
    receivers_[i].shard = i;
    receiver_eps_.push_back(engine.add_handler(shard_lps[i], receivers_[i], "ping-rx:" + topology.shards[i].id));
  }
  if (topology.workload.per_shard_per_second <= 0) return;
  for (std::uint32_t i = 0; i < n; ++i) {
    engine.add_actor(shard_lps[i], "ping-tx:" + topology.shards[i].id,
                     [this, i](core::Actor& self) { sender(self, i); }, core::SimTime{});
  }
}

void PingWorkload::sender(core::Actor& self, std::uint32_t shard) {
  const auto n = static_cast<std::uint32_t>(receiver_eps_.size());
  const double mean_gap_us = 1e6 / topology_.workload.per_shard_per_second;
  const std::uint32_t header_bytes = 20;
  const std::uint32_t padding =
      topology_.workload.payload_bytes > header_bytes ? topology_.workload.payload_bytes - header_bytes : 0;
  for (std::uint32_t seq = 0;; ++seq) {
    self.sleep_for(core::Duration::us(1 + static_cast<std::int64_t>(self.rng().exponential(mean_gap_us))));
    std::uint32_t dst = shard;
    if (n > 1) {
      dst = static_cast<std::uint32_t>(self.rng().uniform_index(n - 1));
      if (dst >= shard) ++dst;  // uniform over the other shards
    }
    const core::Duration latency = links_.get(shard, dst).sample(self.rng());
    self.send(receiver_eps_[dst], std::max(latency, engine_.lookahead()),
              PingMsg{self.now().count_us(), shard, seq, padding});
    ++sent_[shard];
  }
}

void PingWorkload::Receiver::on_message(const core::Envelope& env) {
  const PingMsg m = env.as<PingMsg>();
  ++owner->received_[shard];
  owner->latency_us_.add(env.time.count_us() - m.sent_at_us);
}

nlohmann::ordered_json PingWorkload::summary() const {
  nlohmann::ordered_json j;
  j["kind"] = "ping";
  std::uint64_t sent = 0, received = 0;
  for (std::size_t i = 0; i < sent_.size(); ++i) {
    sent += sent_[i];
    received += received_[i];
  }
  j["sent"] = sent;
  j["received"] = received;
  j["in_flight"] = sent - received;
  j["latency_us"] = percentiles_json(latency_us_);
  nlohmann::ordered_json per_shard = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < sent_.size(); ++i) {
    per_shard[topology_.shards[i].id] = {{"sent", sent_[i]}, {"received", received_[i]}};
  }
  j["per_shard"] = per_shard;
  return j;
}

}  // namespace shardsim::app
