// Models an arbitrageur: on every AMM of its shards, when the pool's price differs from the
// oracle price by more than the pool fee, it swaps toward the oracle price with the optimal
// constant-product size (the marginal price after the trade equals the oracle's), capped by the
// capital it holds on that shard, and only when the gain at oracle prices beats gas + min_profit.
// Its min_out is the break-even output, so a sandwich or a stale view makes it revert, not lose.
#pragma once

#include "agents/amm_view.hpp"
#include "agents/protocol_agent.hpp"

namespace shardsim::agents {

class Arbitrageur final : public ProtocolAgent {
 public:
  using ProtocolAgent::ProtocolAgent;

 private:
  bool acts_on(const ShardReader& s) const override { return s.find_kind("amm") != nullptr; }
  void run(core::Actor& self, Worker& w) override;
  void arbitrage(core::Actor& self, Worker& w, const ProtocolRef& pool);
};

}  // namespace shardsim::agents
