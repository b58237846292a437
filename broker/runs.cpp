// Models a run on the broker: a client's request to withdraw amount 0 means "everything": the
// broker closes the client's positions at the mark (a frozen broker cannot), then queues one
// withdrawal per asset the client has a claim in, each through the broker's withdrawal delay and
// settlement queue like any other. What the run got out and what it was refused (the broker
// frozen, or its custody short) is the summary's `runs`.
#include <cmath>

#include "broker/broker.hpp"

namespace shardsim::broker {

void Broker::handle_run(const ClientRequest& q) {
  refresh_marks();
  if (!ran_.insert(q.client).second) return;  // one run per client
  ++runs_.clients_ran;
  if (!runs_.first_at) runs_.first_at = env_.engine->now();
  if (observed()) note({"run", q.client, env_.client_names[q.client], {}, {}, {}});
  if (!frozen_) {
    const std::vector<ClientPosition> open = book_.client(q.client).positions;
    for (const ClientPosition& p : open) {
      const OrderOutcome o = book_.order(q.client, p.instrument, -p.qty_wad, std::nullopt);
      if (!o.filled) continue;  // (not an order request: orders.filled counts those)
      for (const protocols::AssetId u : book_.instruments()[p.instrument].descriptor->underlyings) {
        owe(u, config_.settlement.order_deadline, "order");
      }
    }
    if (config_.hedging.policy == HedgePolicy::immediate || config_.hedging.policy == HedgePolicy::threshold) {
      plan_hedges(false);
    }
  }
  for (protocols::AssetId a = 0; a < env_.decimals.size(); ++a) {
    const core::Amount claim = book_.ledger().claim(BrokerLedger::Key{Book::client, q.client, a});
    if (claim <= core::Amount{}) continue;
    ClientRequest w = q;
    w.asset = a;
    w.amount = claim;
    spawn("run:" + env_.client_names[q.client], [this, w](core::Actor& act) { queue_withdrawal(act, w); });
  }
}

void Broker::run_withdrawal_ended(const ClientRequest& q, bool paid, bool refused) {
  if (!ran_.contains(q.client)) return;
  const double usd = book_.value(q.asset, q.amount);
  if (paid) {
    ++runs_.withdrawals_paid;
    runs_.withdrawn_usd += usd;
  } else if (refused) {
    ++runs_.withdrawals_refused;
    runs_.refused_usd += usd;
  } else {
    ++runs_.withdrawals_compensated;  // its transfer missed: the claim is back with the client
  }
}

nlohmann::ordered_json Broker::runs_report() const {
  auto r6 = [](double x) { return std::round(x * 1e6) / 1e6; };
  return {{"clients_ran", runs_.clients_ran},
          {"first_at_s", runs_.first_at ? nlohmann::ordered_json(runs_.first_at->count_us() / 1'000'000.0) : nlohmann::ordered_json(nullptr)},
          {"withdrawals_paid", runs_.withdrawals_paid},
          {"withdrawals_refused", runs_.withdrawals_refused},
          {"withdrawals_compensated", runs_.withdrawals_compensated},
          {"withdrawn_usd", r6(runs_.withdrawn_usd)},
          {"refused_usd", r6(runs_.refused_usd)},
          {"health_end", r6(health_)}};
}

}  // namespace shardsim::broker
