// Models an MEV searcher on its home shard's AMM. It reads the public mempool feed of its shard
// and of the shards whose transactions reach its pool (broker hedges arrive as cross-shard calls)
// and sandwiches swaps that carry a slippage bound: the front-run is the most profitable size that
// keeps the victim's output >= its min_out (exact constant-product simulation), capped by its
// capital, and it acts only when the gross gain beats gas for two swaps + min_profit.
// - A public swap on its shard: the front-run pays a priority fee above the victim's and the
//   back-run the victim's fee with a later arrival, so fee-then-arrival ordering puts the victim
//   between them in one block; it skips a victim whose block comes before it can get in.
// - A cross-shard call executes on arrival, ahead of the block's transactions: it front-runs at
//   once on its shard, watches the pool until the victim's input lands, then back-runs (or
//   unwinds after a timeout).
// Both legs set min_out (the front-run its exact expected output, the back-run break-even), so a
// sandwich that loses its place reverts instead of losing. One sandwich at a time.
#pragma once

#include "agents/amm_view.hpp"
#include "agents/protocol_agent.hpp"

namespace shardsim::agents {

class Searcher final : public ProtocolAgent {
 public:
  using ProtocolAgent::ProtocolAgent;
  // USD (at the oracle) of output it planned to take from `victim`'s swaps, as estimated before
  // each front-run of a completed sandwich (the loss measured on the chain is app/'s business).
  double loss_caused(protocols::AccountId victim) const;

 private:
  struct Target {
    const ProtocolRef* pool = nullptr;
    AmmView view;
    protocols::AssetId sell = 0, buy = 0;
    i128 victim_in = 0;
    SandwichPlan plan;
    double loss_usd = 0;
    protocols::AccountId victim = 0;
    core::Amount victim_fee;
  };

  bool acts_on(const ShardReader& s) const override {
    return s.shard == ctx_.shards.front().shard && s.find_kind("amm") != nullptr;
  }
  void run(core::Actor& self, Worker& w) override;
  std::optional<Target> target(core::Actor& self, Worker& w, const protocols::MempoolSeen& seen) const;
  void sandwich_pending(core::Actor& self, Worker& w, const Target& t, core::SimTime victim_block);
  void sandwich_call(core::Actor& self, Worker& w, const Target& t);
  protocols::TxRequest swap(const Target& t, bool front, i128 min_out) const;
  void settle(core::Actor& self, Worker& w, const Target& t, const Holdings& before, int ok_legs, int failed_legs,
              bool sandwiched);
};

}  // namespace shardsim::agents
