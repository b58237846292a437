// The broker's side of payments between clients and of the clearing cycles (broker/obligations.hpp):
// a client's payment moves its claim to the payee (same broker) or to a payable to the cycles,
// reported to the clearing house as an obligation; the house's notices credit this broker's
// payees; its payment orders run as a saga (a transfer, or a bridge when the receiver's home is
// another shard, expiring at the settlement timeout); a failed payment routed here is a loss.
#include <cmath>

#include "broker/broker.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {

void Broker::handle_pay(const ClientRequest& q) {
  auto reject = [&](const std::string& why) {
    ++clearing_.payments_rejected;
    ++reject_reasons_[why];
    if (observed()) note({"payment_rejected", q.client, env_.client_names[q.client], why, q.asset, q.amount});
  };
  if (frozen_) return reject("broker frozen (insolvent)");
  if (const auto why = book_.payment_refused(q.client, q.asset, q.amount)) return reject(*why);
  if (q.to_broker == env_.index) {
    book_.pay_client(q.client, q.to_client, q.asset, q.amount);
    ++clearing_.payments_internal;
    if (observed()) note({"payment", q.client, env_.client_names[q.client], "to " + env_.client_names[q.to_client], q.asset, q.amount});
    return;
  }
  // The loader allows a payment to another broker's client only with clearing cycles.
  SHARDSIM_ASSERT_MSG(env_.clearing_house.has_value(), "a payment between brokers without clearing cycles");
  book_.pay_out(q.client, q.asset, q.amount);
  ++clearing_.payments_out;
  ObligationMsg o;
  o.id = next_obligation_++;
  o.from_broker = env_.index;
  o.to_broker = q.to_broker;
  o.from_client = q.client;
  o.to_client = q.to_client;
  o.asset = q.asset;
  o.amount = q.amount;
  o.created_us = env_.engine->now().count_us();
  env_.engine->send(self_, *env_.clearing_house, env_.clearing_delay, o);
  if (observed()) note({"obligation", o.id, env_.client_names[q.client], "to broker " + std::to_string(q.to_broker), q.asset, q.amount});
}

bool Broker::on_clearing_message(const core::Envelope& env) {
  if (env.is<ObligationNotice>()) {
    const ObligationNotice n = env.as<ObligationNotice>();
    if (n.obligation.to_client == kHouseClient) {  // variation margin between the houses (interbroker.cpp)
      on_house_obligation(n.obligation);
      return true;
    }
    book_.pay_in(n.obligation.to_client, n.obligation.asset, n.obligation.amount);
    ++clearing_.payments_in;
    if (observed()) note({"payment_received", n.obligation.to_client, env_.client_names[n.obligation.to_client], {}, n.obligation.asset, n.obligation.amount});
    return true;
  }
  if (env.is<PayOrder>()) {
    const PayOrder o = env.as<PayOrder>();
    ++clearing_.orders;
    spawn("clearing_pay:" + std::to_string(o.pay_id), [this, o](core::Actor& a) { run_clearing_payment(a, o); });
    return true;
  }
  if (env.is<PayShortfall>()) {
    const PayShortfall s = env.as<PayShortfall>();
    refresh_marks();
    book_.clearing_loss(s.asset, s.amount);
    ++clearing_.shortfalls;
    clearing_.loss_usd += book_.value(s.asset, s.amount);
    if (ib_.trades_with(s.from_broker)) ib_stats_.counterparty_loss_usd += book_.value(s.asset, s.amount);
    if (observed()) note({"clearing_shortfall", s.pay_id, "broker " + std::to_string(s.from_broker), {}, s.asset, s.amount});
    return true;
  }
  return false;
}

void Broker::on_clearing_credit(protocols::AssetId asset, core::Amount amount) {
  book_.clearing_received(asset, amount);
  ++clearing_.received;
}

// A broker in default refuses; otherwise one transfer (bridge across shards) from the main
// account, which expires at the settlement timeout so a late one is known never to execute.
void Broker::run_clearing_payment(core::Actor& self, PayOrder o) {
  bool ok = false;
  if (!frozen_) {
    const core::SimTime expires = self.now() + config_.settlement.timeout;
    protocols::TxRequest tx = payout(o.to_account, o.to_shard, o.asset, o.amount, expires);
    ok = included_ok(self, tx, expires);
  }
  if (ok) {
    book_.clearing_paid(o.asset, o.amount);
    ++clearing_.paid;
  } else {
    ++clearing_.failed;
  }
  if (observed()) note({ok ? "clearing_paid" : "clearing_payment_failed", o.pay_id, "broker " + std::to_string(o.to_broker), {}, o.asset, o.amount});
  self.send(*env_.clearing_house, env_.clearing_delay, PayDone{o.pay_id, ok});
}

nlohmann::ordered_json Broker::clearing_report() const {
  double owed_to = 0, owed_by = 0;  // at the final marks
  for (protocols::AssetId a = 0; a < env_.decimals.size(); ++a) {
    const core::Amount b = book_.clearing_balance(a);
    if (b.is_negative()) owed_by += book_.value(a, -b);
    else owed_to += book_.value(a, b);
  }
  auto r6 = [](double x) { return std::round(x * 1e6) / 1e6; };
  return {{"payments_internal", clearing_.payments_internal},
          {"payments_out", clearing_.payments_out},
          {"payments_in", clearing_.payments_in},
          {"payments_rejected", clearing_.payments_rejected},
          {"transfers_ordered", clearing_.orders},
          {"transfers_paid", clearing_.paid},
          {"transfers_failed", clearing_.failed},
          {"transfers_received", clearing_.received},
          {"shortfalls", clearing_.shortfalls},
          {"loss_usd", r6(clearing_.loss_usd)},
          {"receivable_usd", r6(owed_to)},
          {"payable_usd", r6(owed_by)}};
}

}  // namespace shardsim::broker
