// Models an MEV searcher on a perps exchange whose markets have finite depth (a virtual AMM with
// price impact): the `searcher` kind on a home shard with a perps protocol and no amm. It deposits its collateral at the exchange on its home shard once, reads the
// public mempool feeds of its shard and of the brokers' homes (a broker's hedge arrives as a
// cross-shard `trade` call), and front-runs other accounts' market trades that will hit a vAMM:
// it trades the same way first and closes after the victim, keeping the impact the victim adds.
// - A cross-shard call executes on arrival, ahead of the block's transactions: it front-runs at
//   once, watches the victim's position until its trade lands, then back-runs (or unwinds at any
//   price after a timeout).
// - A public trade on its shard: the front-run pays a priority fee above the victim's, the
//   back-run the victim's fee with a later arrival, so fee-then-arrival ordering puts the victim
//   between them in one block; it skips a victim whose block comes before it can get in.
// Sizing, by exact vAMM simulation (protocols/api/vamm.hpp): the largest front-run that keeps the
// victim's average price within its limit_price, capped by half of what its free collateral
// carries at the market's initial margin fraction; it acts only when the planned gain beats gas
// for two calls + min_profit. The front-run carries its own expected price as its limit and the
// back-run break-even, so a sandwich that loses its place reverts. One sandwich at a time.
#pragma once

#include "agents/protocol_agent.hpp"
#include "protocols/api/vamm.hpp"

namespace shardsim::agents {

class PerpsSearcher final : public ProtocolAgent {
 public:
  using ProtocolAgent::ProtocolAgent;

 private:
  struct Target {
    const ProtocolRef* perps = nullptr;
    std::string market;
    std::size_t market_index = 0;
    i128 victim_size = 0;  // signed WAD
    i128 front_size = 0;   // signed WAD, the victim's sign
    i128 front_limit = 0;  // the front-run's expected average price (its limit)
    i128 gain_units = 0;   // planned: front + back cash, raw collateral units
    i128 victim_before = 0;  // the victim's position when it was seen
    double loss_usd = 0;   // planned: the victim's extra cost
    protocols::AccountId victim = 0;
    core::Amount victim_fee;
  };

  bool acts_on(const ShardReader& s) const override {
    return s.shard == ctx_.shards.front().shard && s.find_kind("perps") != nullptr;
  }
  void run(core::Actor& self, Worker& w) override;
  void deposit(core::Actor& self, Worker& w);
  std::optional<Target> target(core::Actor& self, Worker& w, const protocols::MempoolSeen& seen) const;
  // The largest front-run size (victim-signed) within the victim's limit and `cap` (> 0), with its
  // planned gain; nothing when no size gains.
  bool plan(Target& t, const protocols::VammState& s, std::optional<i128> victim_limit, i128 cap, i128 spread_wad,
            int decimals) const;
  void sandwich_pending(core::Actor& self, Worker& w, const Target& t, core::SimTime victim_block);
  void sandwich_call(core::Actor& self, Worker& w, const Target& t);
  protocols::TxRequest trade(const Target& t, i128 size, std::optional<i128> limit) const;
  i128 equity(const ShardReader& s, const ProtocolRef& p) const;
  void settle(core::Actor& self, Worker& w, const Target& t, i128 equity_before, const Holdings& before, int ok_legs,
              int failed_legs, bool sandwiched);
};

}  // namespace shardsim::agents
