// Models a liquidator: on each of its shards it reads the lending, perps and synthetics state
// and liquidates what the protocol allows when the reward beats gas + min_profit:
// - lending borrowers with health factor < 1: repays up to the close factor of a debt it holds
//   capital in (capped by its balance and by the collateral), for the liquidation bonus;
// - perps accounts below maintenance margin, for the protocol's liquidator share of the penalty
//   (penalty rate x closed notional at mark, capped by the account's equity), when that share
//   beats gas; a perps market that pays liquidators nothing is left alone;
// - synthetics stakers below the liquidation c-ratio: flags them, then after the delay burns
//   sUSD it holds for collateral worth the amount plus the penalty.
// Rewards are estimated with the spec's default bonus and penalty, which the published state
// does not carry; the realised gain is measured from its balances.
#pragma once

#include <map>
#include <string>
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

  // Per shard (each touched only by that shard's worker): staker -> when to try again.
  std::vector<std::map<std::string, core::SimTime>> retry_at_;
};

}  // namespace shardsim::agents
