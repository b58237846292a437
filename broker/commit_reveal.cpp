// Models the broker's side of commit-reveal hedging (spec/clearing.md §4): a leg's call goes out
// first as a commit (gas; the venue stores it, its place fixed in commit order; the public feed
// shows a hash unless searchers infer the intent from the broker's known address, which happens
// to a `commit_leak` share of commits), then, once the commit is included, as a reveal naming it
// (gas again), which the venue runs `reveal_delay` of its blocks after recording the commit. And
// what the hedges' transactions paid for gas, in USD.
#include <string>

#include "broker/broker.hpp"

namespace shardsim::broker {

void Broker::seal(core::Actor& self, protocols::TxRequest& tx) const {
  tx.flags = static_cast<std::uint8_t>(tx.flags | protocols::TxRequest::kCommit);
  const double leak = config_.hedging.commit_leak;
  if (leak > 0 && self.rng().bernoulli(leak)) tx.flags = static_cast<std::uint8_t>(tx.flags | protocols::TxRequest::kLeaked);
  tx.args.push_back(protocols::TxArg{"reveal_delay", std::to_string(config_.hedging.reveal_delay)});
}

void Broker::send_reveal(core::Actor& self, const Leg& leg, std::uint64_t commit_id, std::uint64_t reveal_id,
                         core::SimTime expires) {
  protocols::TxRequest tx = cross_call(book_.venues()[leg.venue], "reveal",
                                       {protocols::TxArg{"commitment", std::to_string(commit_id)}}, core::Amount{},
                                       protocols::TxRequest::kReveal, expires);
  submit(self, tx, reveal_id);
}

void Broker::charge_gas(core::Amount fee_paid) {
  hedge_gas_usd_ += gas_usd(fee_paid);
  if (env_.fee_asset && !fee_paid.is_zero()) {
    hedge_gas_wad_ += units_to_usd_wad(fee_paid, env_.decimals[*env_.fee_asset], book_.price_wad(*env_.fee_asset), Toward::ceil);
  }
}

void Broker::charge_private_fee(i128 qty_wad, double decision_mark) {
  private_cost_ += config_.hedging.private_fee * std::abs(protocols::wad_to_double(qty_wad)) * decision_mark;
  if (!std::isfinite(decision_mark)) return;
  const i128 notional = usd_wad_of(abs_wad(qty_wad), abs_wad(quantise_price(decision_mark)), Toward::ceil);
  private_cost_wad_ += rate_of(protocols::double_to_wad(config_.hedging.private_fee), notional, Toward::ceil);
}

double Broker::gas_usd(core::Amount fee_paid) const {
  if (!env_.fee_asset || fee_paid.is_zero()) return 0;
  return fee_paid.to_double(env_.decimals[*env_.fee_asset]) * book_.price(*env_.fee_asset);
}

}  // namespace shardsim::broker
