// Models how an off-chain actor reaches a shard: a transaction travels the user-to-shard access
// latency before it enters the mempool. Actors live on the LP of the shard they talk to, so the
// access latency is a local timer and does not shrink the lookahead.
#pragma once

#include "core/actor.hpp"
#include "core/latency.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::agents {

// Stamps the submission time and sends `tx` to the shard after a draw of `access`.
inline void submit_tx(core::Actor& self, core::EndpointId shard, const core::LatencyModel& access,
                      protocols::TxRequest tx, core::Duration extra_delay = {}) {
  tx.submitted_at_us = self.now().count_us();
  self.send(shard, access.sample(self.rng()) + extra_delay, tx);
}

// A price as WAD fixed point (1e18 = 1.0), rounded to 8 decimals as oracle feeds publish it.
__int128 price_to_wad(double price);

}  // namespace shardsim::agents
