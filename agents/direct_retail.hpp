// Models a retail trader that goes straight to one protocol instead of through a broker, from its
// own account on that protocol's shard: random directional trades at exponential gaps.
// - perps: it deposits its collateral once, then at each decision targets a position of random
//   side and size up to `leverage` x its deposit in notional on one of the markets (the trade is
//   the difference from what it holds), so open interest moves both ways; a trade the margin
//   rules refuse counts as failed.
// - amm: it sells a random share (up to a quarter) of what it holds of a random side of the pool,
//   with a 1% slippage bound on the output it expects.
// It seeks no profit: it pays gas and takes the price it gets.
#pragma once

#include "agents/protocol_agent.hpp"

namespace shardsim::agents {

class DirectRetail final : public ProtocolAgent {
 public:
  using ProtocolAgent::ProtocolAgent;

 private:
  const ProtocolRef* venue(const ShardReader& s) const;
  bool acts_on(const ShardReader& s) const override { return venue(s) != nullptr; }
  void run(core::Actor& self, Worker& w) override;
  bool deposit(core::Actor& self, Worker& w, const ProtocolRef& p);
  void trade_perps(core::Actor& self, Worker& w, const ProtocolRef& p);
  void trade_amm(core::Actor& self, Worker& w, const ProtocolRef& p);

  i128 deposited_ = 0;      // collateral raw units put into the perps account
  double deposit_usd_ = 0;  // their value when deposited: the base of its position sizes
};

}  // namespace shardsim::agents
