// The searcher: which pending swaps are worth sandwiching, and the two ways of doing it.
#include "agents/searcher.hpp"

#include <algorithm>

namespace shardsim::agents {
namespace {

constexpr core::Duration kCallWait = core::Duration::min(10);  // how long a front-run waits for its call

std::optional<std::string_view> arg(const protocols::TxRequest& tx, std::string_view key) {
  for (const protocols::TxArg& a : tx.args) {
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

}  // namespace

double Searcher::loss_caused(protocols::AccountId victim) const {
  const AgentStats s = stats();
  const auto it = s.victim_loss_usd.find(victim);
  return it == s.victim_loss_usd.end() ? 0.0 : it->second;
}

void Searcher::run(core::Actor& self, Worker& w) {
  watch_feed(self, w, [&](const protocols::MempoolSeen& seen, std::optional<core::SimTime> victim_block) {
    const std::optional<Target> t = target(self, w, seen);
    if (!t) return;
    ++w.stats.decisions;
    if (victim_block) {
      sandwich_pending(self, w, *t, *victim_block);
    } else {
      sandwich_call(self, w, *t);
    }
  });
}

std::optional<Searcher::Target> Searcher::target(core::Actor& self, Worker& w,
                                                 const protocols::MempoolSeen& seen) const {
  const ShardReader& s = reader(w);
  const protocols::TxRequest& tx = seen.tx;
  if (!front_runnable(s, seen, "swap")) return std::nullopt;
  Target t;
  for (const ProtocolRef& p : s.protocols) {
    if (p.index == tx.protocol && p.kind == "amm") t.pool = &p;
  }
  const auto sell = arg(tx, "sell");
  const auto amount = arg(tx, "amount");
  if (t.pool == nullptr || !sell || !amount) return std::nullopt;
  const auto view = read_amm(t.pool->queries.pool, *ctx_.registry, ctx_.account);
  if (!view || view->empty() || (*sell != view->symbol_a && *sell != view->symbol_b)) return std::nullopt;
  t.view = *view;
  t.sell = *sell == view->symbol_a ? view->a : view->b;
  t.buy = t.sell == view->a ? view->b : view->a;
  const auto in = core::Amount::parse(*amount, decimals(t.sell));
  const auto min_text = arg(tx, "min_out");
  const std::optional<core::Amount> min_out =
      min_text ? core::Amount::parse(*min_text, decimals(t.buy)) : std::optional<core::Amount>(core::Amount{});
  if (!in || !min_out) return std::nullopt;
  t.victim_in = in->raw();
  const auto plan = plan_sandwich(view->selling(t.sell), t.victim_in, min_out->raw(), spendable(s, t.sell));
  if (!plan) return std::nullopt;
  t.plan = *plan;
  t.victim = tx.from;
  t.victim_fee = tx.priority_fee;
  const core::SimTime now = self.now();
  const bool pending = tx.op == protocols::TxOp::protocol_call;
  const core::Amount tip = pending ? t.victim_fee + core::Amount::units(1) : core::Amount{};
  const double gas = gas_usd(s, now, tip) + gas_usd(s, now, pending ? t.victim_fee : core::Amount{});
  if (usd(s, t.sell, plan->profit(), now) <= gas + ctx_.min_profit_usd) return std::nullopt;
  t.loss_usd = usd(s, t.buy, plan->victim_out_clean - plan->victim_out, now);
  return t;
}

protocols::TxRequest Searcher::swap(const Target& t, bool front, i128 min_out) const {
  const protocols::AssetId sell = front ? t.sell : t.buy;
  const protocols::AssetId buy = front ? t.buy : t.sell;
  return protocol_call(*t.pool, "swap",
                       {{"sell", std::string(t.view.symbol_of(sell))},
                        {"amount", amount_text(sell, front ? t.plan.front_in : t.plan.front_out)},
                        {"min_out", amount_text(buy, min_out)}});
}

// Front-run and back-run go to the mempool together, both before the victim's block.
void Searcher::sandwich_pending(core::Actor& self, Worker& w, const Target& t, core::SimTime victim_block) {
  const ShardReader& s = reader(w);
  const core::Duration d_front = s.access.sample(self.rng());
  const core::Duration d_back = s.access.sample(self.rng());
  if (self.now() + std::max(d_front, d_back) >= victim_block) return;  // the victim is included first
  const Holdings before = holdings(s, {t.sell, t.buy});
  protocols::TxRequest front = swap(t, true, t.plan.front_out);
  front.priority_fee = t.victim_fee + core::Amount::units(1);
  protocols::TxRequest back = swap(t, false, t.plan.front_in + 1);
  back.priority_fee = t.victim_fee;
  const std::uint64_t front_id = submit(self, w, std::move(front), d_front);
  const std::uint64_t back_id = submit(self, w, std::move(back), d_back);
  const bool front_ok = succeeded(await(self, w, front_id));
  const bool back_ok = succeeded(await(self, w, back_id));
  settle(self, w, t, before, front_ok + back_ok, 2 - front_ok - back_ok, front_ok && back_ok);
}

// The call runs when it reaches the shard: front-run now, back-run once its input is in the pool.
void Searcher::sandwich_call(core::Actor& self, Worker& w, const Target& t) {
  const ShardReader& s = reader(w);
  const Holdings before = holdings(s, {t.sell, t.buy});
  const bool front_ok = succeeded(await(self, w, submit(self, w, swap(t, true, t.plan.front_out))));
  if (!front_ok) {
    settle(self, w, t, before, 0, 1, false);
    return;
  }
  const i128 landed_at = (t.sell == t.view.a ? t.view.reserve_a : t.view.reserve_b) + t.plan.front_in + t.victim_in;
  const core::SimTime deadline = self.now() + kCallWait;
  bool landed = false;
  while (!landed && self.now() < deadline) {
    self.sleep_until(s.next_block_after(self.now()) + core::Duration::us(1));
    const auto view = read_amm(t.pool->queries.pool, *ctx_.registry, ctx_.account);
    landed = view && (t.sell == view->a ? view->reserve_a : view->reserve_b) >= landed_at;
  }
  // Without the victim in between, unwind at any price rather than hold the position.
  const bool back_ok = succeeded(await(self, w, submit(self, w, swap(t, false, landed ? t.plan.front_in + 1 : 0))));
  settle(self, w, t, before, 1 + back_ok, 1 - back_ok, back_ok && landed);
}

void Searcher::settle(core::Actor& self, Worker& w, const Target& t, const Holdings& before, int ok_legs,
                      int failed_legs, bool sandwiched) {
  w.stats.actions += static_cast<std::uint64_t>(ok_legs);
  w.stats.failed += static_cast<std::uint64_t>(failed_legs);
  w.stats.profit_usd += gain_usd(reader(w), before, self.now());
  if (!sandwiched) return;
  ++w.stats.sandwiches;
  w.stats.victim_loss_usd[t.victim] += t.loss_usd;
}

}  // namespace shardsim::agents
