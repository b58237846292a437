// The perps searcher: which pending perps trades are worth front-running on a vAMM, how large a
// front-run, and the two ways of doing it (see perps_searcher.hpp).
#include "agents/perps_searcher.hpp"

#include <algorithm>

namespace shardsim::agents {
namespace {

constexpr core::Duration kCallWait = core::Duration::min(2);  // how long a front-run waits for its call

std::optional<std::string_view> arg(const protocols::TxRequest& tx, std::string_view key) {
  for (const protocols::TxArg& a : tx.args) {
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

std::optional<i128> wad_arg(const protocols::TxRequest& tx, std::string_view key) {
  const auto text = arg(tx, key);
  if (!text) return std::nullopt;
  const auto v = core::Amount::parse(*text, 18);
  return v ? std::optional<i128>(v->raw()) : std::nullopt;
}

i128 magnitude(i128 x) { return x < 0 ? -x : x; }

}  // namespace

void PerpsSearcher::run(core::Actor& self, Worker& w) {
  deposit(self, w);
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

// Its whole spendable collateral goes to the exchange's margin once, at the start.
void PerpsSearcher::deposit(core::Actor& self, Worker& w) {
  const ShardReader& s = reader(w);
  const ProtocolRef* p = s.find_kind("perps");
  const protocols::AssetId collateral = p->queries.perps->perps_terms().collateral;
  const i128 amount = spendable(s, collateral);
  if (amount <= 0) return;
  execute(self, w, protocol_call(*p, "deposit", {{"amount", amount_text(collateral, amount)}}));
}

i128 PerpsSearcher::equity(const ShardReader& s, const ProtocolRef& p) const {
  const auto m = p.queries.perps->account_margin(*s.host, ctx_.account);
  return m ? m->equity : 0;
}

std::optional<PerpsSearcher::Target> PerpsSearcher::target(core::Actor& self, Worker& w,
                                                           const protocols::MempoolSeen& seen) const {
  const ShardReader& s = reader(w);
  const protocols::TxRequest& tx = seen.tx;
  if (!front_runnable(s, seen, "trade")) return std::nullopt;
  Target t;
  for (const ProtocolRef& p : s.protocols) {
    if (p.index == tx.protocol && p.kind == "perps") t.perps = &p;
  }
  const auto market = arg(tx, "market");
  const auto size = wad_arg(tx, "size");
  if (t.perps == nullptr || !market || !size || *size == 0) return std::nullopt;
  const protocols::PerpsQuery& q = *t.perps->queries.perps;
  const protocols::PerpsDepthQuery* depth = protocols::depth_query(&q);
  if (depth == nullptr) return std::nullopt;
  const protocols::PerpsTerms& terms = q.perps_terms();
  const auto mk = std::find_if(terms.markets.begin(), terms.markets.end(), [&](const auto& m) { return m.name == *market; });
  if (mk == terms.markets.end()) return std::nullopt;
  t.market = std::string(*market);
  t.market_index = static_cast<std::size_t>(mk - terms.markets.begin());
  if (depth->vamm_depth_wad(t.market_index) <= 0) return std::nullopt;
  t.victim_size = *size;
  std::optional<i128> limit;
  if (arg(tx, "limit_price")) {
    limit = wad_arg(tx, "limit_price");
    if (!limit) return std::nullopt;
  }
  const auto vamm = depth->vamm(*s.host, t.market_index);
  const auto index = q.mark_wad(*s.host, t.market_index);
  const auto margin = q.account_margin(*s.host, ctx_.account);
  if (!vamm || !index || !margin || margin->has_positions) return std::nullopt;
  // Half of what its free collateral carries at the initial margin fraction, and half the pool.
  const int dec = decimals(terms.collateral);
  const i128 free_wad = (margin->equity - margin->imr) * protocols::pow10(18 - dec);
  if (free_wad <= 0) return std::nullopt;
  const i128 by_margin = protocols::mul_div(free_wad, protocols::kWadUnit, protocols::wad_mul(*index, mk->imf_wad) * 2);
  const i128 cap = std::min(by_margin, vamm->state.base_wad / 2);
  if (cap <= 0) return std::nullopt;
  try {
    if (!plan(t, vamm->state, limit, cap, depth->spread_wad(), dec)) return std::nullopt;
  } catch (const protocols::ArithmeticError&) {
    return std::nullopt;  // a victim beyond the vAMM's integers reverts anyway
  }
  t.victim = tx.from;
  t.victim_fee = tx.priority_fee;
  t.victim_before = q.position_wad(tx.from, t.market_index);
  const core::SimTime now = self.now();
  const bool pending = tx.op == protocols::TxOp::protocol_call;
  const core::Amount tip = pending ? t.victim_fee + core::Amount::units(1) : core::Amount{};
  const double gas = gas_usd(s, now, tip) + gas_usd(s, now, pending ? t.victim_fee : core::Amount{});
  // One collateral unit counts as 1 USD on a perps exchange.
  if (core::Amount::units(t.gain_units).to_double(dec) <= gas + ctx_.min_profit_usd) return std::nullopt;
  return t;
}

bool PerpsSearcher::plan(Target& t, const protocols::VammState& s, std::optional<i128> victim_limit, i128 cap,
                         i128 spread_wad, int decimals) const {
  const i128 v = t.victim_size;
  const bool buy = v > 0;
  struct Outcome {
    i128 front = 0, victim = 0, back = 0;  // cash changes, raw collateral units
  };
  const auto simulate_exact = [&](i128 x) -> std::optional<Outcome> {
    const i128 fx = buy ? x : -x;
    const auto front = protocols::vamm_trade(s, fx);
    if (!front) return std::nullopt;
    const auto victim = protocols::vamm_trade(front->after, v);
    if (!victim) return std::nullopt;
    const auto back = protocols::vamm_trade(victim->after, -fx);
    if (!back) return std::nullopt;
    Outcome o{protocols::vamm_cash_units(front->quote_delta_wad, spread_wad, decimals),
              protocols::vamm_cash_units(victim->quote_delta_wad, spread_wad, decimals),
              protocols::vamm_cash_units(back->quote_delta_wad, spread_wad, decimals)};
    if (victim_limit) {
      const i128 avg = protocols::vamm_avg_price_wad(o.victim, v, decimals);
      if (buy ? avg > *victim_limit : avg < *victim_limit) return std::nullopt;
    }
    return o;
  };
  const auto simulate = [&](i128 x) -> std::optional<Outcome> {
    try {
      return simulate_exact(x);
    } catch (const protocols::ArithmeticError&) {
      return std::nullopt;  // beyond what the vAMM's integers hold: the protocol would revert too
    }
  };
  const auto clean = protocols::vamm_trade(s, v);
  if (!clean) return false;
  // The victim's price only worsens with the front-run's size: bisect for the largest one.
  i128 lo = 0;
  if (simulate(cap)) {
    lo = cap;
  } else {
    i128 hi = cap;
    while (hi - lo > 1) {
      const i128 mid = lo + (hi - lo) / 2;
      (simulate(mid) ? lo : hi) = mid;
    }
  }
  if (lo == 0) return false;
  const Outcome o = *simulate(lo);
  t.gain_units = o.front + o.back;
  if (t.gain_units <= 0) return false;
  t.front_size = buy ? lo : -lo;
  t.front_limit = protocols::vamm_avg_price_wad(o.front, t.front_size, decimals);
  const i128 lost = protocols::vamm_cash_units(clean->quote_delta_wad, spread_wad, decimals) - o.victim;
  t.loss_usd = core::Amount::units(lost).to_double(decimals);
  return true;
}

protocols::TxRequest PerpsSearcher::trade(const Target& t, i128 size, std::optional<i128> limit) const {
  std::vector<protocols::TxArg> args{{"market", t.market}, {"size", core::Amount::units(size).str(18)}};
  if (limit) args.push_back({"limit_price", core::Amount::units(*limit).str(18)});
  return protocol_call(*t.perps, "trade", std::move(args));
}

// Front-run and back-run go to the mempool together, both before the victim's block.
void PerpsSearcher::sandwich_pending(core::Actor& self, Worker& w, const Target& t, core::SimTime victim_block) {
  const ShardReader& s = reader(w);
  const core::Duration d_front = s.access.sample(self.rng());
  const core::Duration d_back = s.access.sample(self.rng());
  if (self.now() + std::max(d_front, d_back) >= victim_block) return;  // the victim is included first
  const Holdings before = holdings(s, {});
  const i128 equity_before = equity(s, *t.perps);
  protocols::TxRequest front = trade(t, t.front_size, t.front_limit);
  front.priority_fee = t.victim_fee + core::Amount::units(1);
  protocols::TxRequest back = trade(t, -t.front_size, t.front_limit);
  back.priority_fee = t.victim_fee;
  const std::uint64_t front_id = submit(self, w, std::move(front), d_front);
  const std::uint64_t back_id = submit(self, w, std::move(back), d_back);
  const bool front_ok = succeeded(await(self, w, front_id));
  bool back_ok = succeeded(await(self, w, back_id));
  if (front_ok && !back_ok) {  // it must not keep the position: close at any price
    back_ok = succeeded(await(self, w, submit(self, w, trade(t, -t.front_size, std::nullopt))));
  }
  settle(self, w, t, equity_before, before, front_ok + back_ok, 2 - front_ok - back_ok, front_ok && back_ok);
}

// The call runs when it reaches the shard: front-run now, back-run once the victim's position
// has moved by its size.
void PerpsSearcher::sandwich_call(core::Actor& self, Worker& w, const Target& t) {
  const ShardReader& s = reader(w);
  const Holdings before = holdings(s, {});
  const i128 equity_before = equity(s, *t.perps);
  const bool front_ok = succeeded(await(self, w, submit(self, w, trade(t, t.front_size, t.front_limit))));
  if (!front_ok) {
    settle(self, w, t, equity_before, before, 0, 1, false);
    return;
  }
  const protocols::PerpsQuery& q = *t.perps->queries.perps;
  const core::SimTime deadline = self.now() + kCallWait;
  bool landed = false;
  while (!landed && self.now() < deadline) {
    self.sleep_until(s.next_block_after(self.now()) + core::Duration::us(1));
    const i128 moved = q.position_wad(t.victim, t.market_index) - t.victim_before;
    landed = (t.victim_size > 0 ? moved : -moved) >= magnitude(t.victim_size);
  }
  // Without the victim in between, unwind at any price rather than hold the position.
  bool back_ok = succeeded(await(self, w, submit(self, w, trade(t, -t.front_size, landed ? std::optional<i128>(t.front_limit) : std::nullopt))));
  if (!back_ok) back_ok = succeeded(await(self, w, submit(self, w, trade(t, -t.front_size, std::nullopt))));
  settle(self, w, t, equity_before, before, 1 + back_ok, 1 - back_ok, back_ok && landed);
}

void PerpsSearcher::settle(core::Actor& self, Worker& w, const Target& t, i128 equity_before, const Holdings& before,
                           int ok_legs, int failed_legs, bool sandwiched) {
  const ShardReader& s = reader(w);
  w.stats.actions += static_cast<std::uint64_t>(ok_legs);
  w.stats.failed += static_cast<std::uint64_t>(failed_legs);
  const int dec = decimals(t.perps->queries.perps->perps_terms().collateral);
  w.stats.profit_usd += core::Amount::units(equity(s, *t.perps) - equity_before).to_double(dec) + gain_usd(s, before, self.now());
  if (!sandwiched) return;
  ++w.stats.sandwiches;
  w.stats.victim_loss_usd[t.victim] += t.loss_usd;
}

}  // namespace shardsim::agents
