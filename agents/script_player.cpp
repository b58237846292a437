// The script player actor.
#include "agents/script_player.hpp"

#include <algorithm>

#include "agents/submitter.hpp"

namespace shardsim::agents {

ScriptPlayer::ScriptPlayer(core::Engine& engine, core::LpId lp, std::string shard_name, core::EndpointId shard,
                           std::vector<ScriptedTx> entries, core::LatencyModel access)
    : shard_(shard), entries_(std::move(entries)), access_(std::move(access)) {
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const ScriptedTx& a, const ScriptedTx& b) { return a.at < b.at; });
  engine.add_actor(lp, "script:" + shard_name, [this](core::Actor& self) { run(self); }, core::SimTime::zero());
}

void ScriptPlayer::run(core::Actor& self) {
  for (ScriptedTx& e : entries_) {
    self.sleep_until(e.at);
    e.tx.tx_id = ++submitted_;
    submit_tx(self, shard_, access_, e.tx);
  }
}

}  // namespace shardsim::agents
