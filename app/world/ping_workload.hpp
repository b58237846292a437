// Models the synthetic `ping` workload: every shard sends messages to uniformly random other
// shards as a Poisson process, each message delayed by the link's latency model. It exercises
// the RNG streams, the latency models, fibers and handlers with no protocols in the way, and is
// the load for throughput runs.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "app/topology/topology.hpp"
#include "core/actor.hpp"
#include "core/engine.hpp"
#include "core/histogram.hpp"
#include "core/latency.hpp"

namespace shardsim::app {

struct PingMsg {
  static constexpr core::MsgKind kKind = 500;
  std::int64_t sent_at_us = 0;
  std::uint32_t src_shard = 0;
  std::uint32_t seq = 0;
  std::uint32_t padding_bytes = 0;  // filler that makes the payload the configured size

  void encode(core::ByteWriter& w) const;
  static PingMsg decode(core::ByteReader& r);
};

class PingWorkload {
 public:
  // `shard_lps[i]` is the LP of topology shard i.
  PingWorkload(core::Engine& engine, const Topology& topology, const core::LinkTable& links,
               const std::vector<core::LpId>& shard_lps);
  nlohmann::ordered_json summary() const;

 private:
  struct Receiver : core::Handler {
    PingWorkload* owner = nullptr;
    std::uint32_t shard = 0;
    void on_message(const core::Envelope& env) override;
  };
  void sender(core::Actor& self, std::uint32_t shard);

  core::Engine& engine_;
  const Topology& topology_;
  const core::LinkTable& links_;
  std::vector<Receiver> receivers_;
  std::vector<core::EndpointId> receiver_eps_;
  std::vector<std::uint64_t> sent_;
  std::vector<std::uint64_t> received_;
  core::Histogram latency_us_;  // every delivered message
};

}  // namespace shardsim::app
