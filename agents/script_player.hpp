// Models the topology's `script:`: deterministic transactions submitted at fixed times, each
// travelling the shard's access latency like any user's. One player per shard, on its LP.
#pragma once

#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/latency.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::agents {

struct ScriptedTx {
  core::SimTime at;
  protocols::TxRequest tx;
};

class ScriptPlayer {
 public:
  // `entries` in any order; they are submitted by (time, input order).
  ScriptPlayer(core::Engine& engine, core::LpId lp, std::string shard_name, core::EndpointId shard,
               std::vector<ScriptedTx> entries, core::LatencyModel access);
  std::uint64_t submitted() const { return submitted_; }

 private:
  void run(core::Actor& self);

  core::EndpointId shard_;
  std::vector<ScriptedTx> entries_;
  core::LatencyModel access_;
  std::uint64_t submitted_ = 0;
};

}  // namespace shardsim::agents
