// Models a liquidator: on each of its shards it asks the lending, perps and synthetics protocols
// for their accounts at risk (typed queries, exact) and liquidates what the protocol allows when
// the reward, computed from the terms the protocol was configured with, beats gas + min_profit:
// - lending borrowers with health factor < 1: repays up to the close factor of a debt it holds
//   capital in (capped by its balance and by the collateral), for the collateral's liquidation
//   bonus;
// - perps accounts below maintenance margin, for the exact reward the protocol would pay (its
//   liquidator share of the penalty on the closed notional, capped by the account's equity);
//   a perps market that pays liquidators nothing is left alone;
// - synthetics stakers past the liquidation ratio: flags them, then after the configured delay
//   burns sUSD it holds for collateral worth the amount plus the configured penalty.
// Each pass decides from one reading of each protocol; the realised gain is measured from its
// balances.
#pragma once

#include <map>
#include <vector>

#include "agents/protocol_agent.hpp"

namespace shardsim::agents {

class Liquidator final : public ProtocolAgent {
 public:
  explicit Liquidator(AgentContext ctx) : ProtocolAgent(std::move(ctx)), retry_at_(ctx_.shards.size()) {}

 private:
  bool acts_on(const ShardReader& s) const override;
  bool needs_capital(const ShardReader& s) const override;
  void run(core::Actor& self, Worker& w) override;
  void lending(core::Actor& self, Worker& w, const ProtocolRef& p);
  // Sells collateral it just seized into an AMM pool on the same shard (a liquidator does not
  // keep the collateral): the price impact is how liquidations feed a spiral.
  void sell_seized(core::Actor& self, Worker& w, protocols::AssetId asset, i128 seized);
  void perps(core::Actor& self, Worker& w, const ProtocolRef& p);
  void synthetics(core::Actor& self, Worker& w, const ProtocolRef& p);
  void record(core::Actor& self, Worker& w, const ProtocolRef& p, const Holdings& before,
              const std::optional<protocols::TxResult>& r);
  // The protocol's liquidatable accounts other than its own, by account name.
  std::vector<protocols::AccountHealth> liquidatable(const ShardReader& s, const ProtocolRef& p, bool by_name) const;

  // Per shard (each touched only by that shard's worker): staker -> when to try again.
  std::vector<std::map<protocols::AccountId, core::SimTime>> retry_at_;
};

}  // namespace shardsim::agents
