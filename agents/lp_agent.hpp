// Models a liquidity provider on its home shard's AMM: it deposits at the start (setting the price
// from the oracle when the pool is empty), then at each decision either withdraws part of its LP
// share or re-adds what it holds, so liquidity comes and goes. The pool takes the amounts that
// match its ratio; what is left stays in the account.
#pragma once

#include "agents/amm_view.hpp"
#include "agents/protocol_agent.hpp"

namespace shardsim::agents {

class LiquidityProvider final : public ProtocolAgent {
 public:
  using ProtocolAgent::ProtocolAgent;

 private:
  bool acts_on(const ShardReader& s) const override {
    return s.shard == ctx_.shards.front().shard && s.find_kind("amm") != nullptr;
  }
  void run(core::Actor& self, Worker& w) override;
  bool add(core::Actor& self, Worker& w, const ProtocolRef& pool, double fraction);
  bool remove(core::Actor& self, Worker& w, const ProtocolRef& pool, double fraction);
};

}  // namespace shardsim::agents
