// Models an arbitrageur: on every AMM of its shards, when the pool's price differs from the
// oracle price by more than the pool fee, it swaps toward the oracle price with the optimal
// constant-product size (the marginal price after the trade equals the oracle's), capped by the
// capital it holds on that shard, and only when the gain at oracle prices beats gas + min_profit.
// Its min_out is the break-even output, so a sandwich or a stale view makes it revert, not lose.
// Synth peg gaps: a pool between a synth (e.g. sBTC) and sUSD of a synthetics protocol on the same
// shard is arbitraged against the protocol's exchange, which converts at the oracle price of what
// the synth tracks less the two synths' fee rates. With the pool rich it exchanges sUSD for the
// synth and sells the synth into the pool; with it cheap it buys the synth in the pool and
// exchanges it back to sUSD; each sized so the pool's marginal price lands on the exchange's
// (net of both fees), capped by its sUSD. Its sUSD is issued at the start against the synthetics
// collateral it holds (staked, issued to 90% of the issuance limit), so it carries a share of the
// debt pool. Gain is measured in sUSD at $1 and the synth at the oracle.
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

  struct SynthPool {  // a pool whose two assets are a synth and sUSD of one synthetics protocol
    const ProtocolRef* protocol = nullptr;
    protocols::AssetId synth = 0, susd = 0;
    std::string_view synth_symbol, susd_symbol;  // the registry's
    double oracle = 0;        // USD per synth: the oracle price of what it tracks
    double exchange_fee = 0;  // the two synths' fee rates, summed
  };
  std::optional<SynthPool> synth_pool(const ShardReader& s, const AmmView& view) const;  // synth_arb.cpp
  void issue_susd(core::Actor& self, Worker& w);
  void synth_peg(core::Actor& self, Worker& w, const ProtocolRef& pool, const AmmView& view, const SynthPool& sp);
};

}  // namespace shardsim::agents
