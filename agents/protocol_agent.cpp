// The shared machinery of protocol-side agents: workers, capital distribution, valuation, gas,
// and submitting transactions and waiting for their results.
#include "agents/protocol_agent.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace shardsim::agents {

namespace {
constexpr i128 kGasReserveCalls = 20;  // calls' worth of fees kept back in the fee asset
}  // namespace

void AgentStats::merge(const AgentStats& o) {
  decisions += o.decisions;
  actions += o.actions;
  failed += o.failed;
  profit_usd += o.profit_usd;
  for (const auto& [k, v] : o.liquidations) liquidations[k] += v;
  sandwiches += o.sandwiches;
  for (const auto& [k, v] : o.victim_loss_usd) victim_loss_usd[k] += v;
}

void ProtocolAgent::start(core::Engine& engine) {
  for (std::size_t i = 0; i < ctx_.shards.size(); ++i) {
    const ShardReader& s = ctx_.shards[i];
    if (i != 0 && !acts_on(s)) continue;
    workers_.push_back(Worker{});
    workers_.back().shard = i;
    Worker& w = workers_.back();
    w.endpoint = engine.add_actor(
        s.lp, "agent:" + ctx_.name + "@" + s.name,
        [this, &w](core::Actor& self) {
          if (w.shard == 0) distribute_capital(self, w);
          if (acts_on(reader(w))) run(self, w);
        },
        core::SimTime::zero());
  }
}

AgentStats ProtocolAgent::stats() const {
  AgentStats total;
  for (const Worker& w : workers_) total.merge(w.stats);
  return total;
}

std::optional<core::EndpointId> ProtocolAgent::endpoint_on(protocols::ShardId shard) const {
  for (const Worker& w : workers_) {
    if (ctx_.shards[w.shard].shard == shard) return w.endpoint;
  }
  return std::nullopt;
}

// Equal shares of every asset held at home go to each shard that needs capital.
void ProtocolAgent::distribute_capital(core::Actor& self, Worker& w) {
  std::vector<std::size_t> away;
  for (std::size_t i = 1; i < ctx_.shards.size(); ++i) {
    if (needs_capital(ctx_.shards[i])) away.push_back(i);
  }
  if (away.empty()) return;
  const ShardReader& home = reader(w);
  const i128 parts = static_cast<i128>(away.size()) + (needs_capital(home) ? 1 : 0);
  for (protocols::AssetId a = 0; a < ctx_.registry->asset_count(); ++a) {
    const i128 share = spendable(home, a) / parts;
    if (share <= 0) continue;
    for (const std::size_t i : away) {
      protocols::TxRequest tx;
      tx.op = protocols::TxOp::bridge;
      tx.asset = a;
      tx.amount = core::Amount::units(share);
      tx.to_shard = ctx_.shards[i].shard;
      tx.to = ctx_.account;
      execute(self, w, std::move(tx));
    }
  }
}

double ProtocolAgent::price(const ShardReader& s, protocols::AssetId a, core::SimTime now) const {
  if (s.oracle_price) {
    if (const auto p = s.oracle_price(a); p && *p > 0) return *p;
  }
  if (ctx_.true_price) {
    if (const auto p = ctx_.true_price(a, now); p && *p > 0) return *p;
  }
  return 0;
}

double ProtocolAgent::usd(const ShardReader& s, protocols::AssetId a, i128 raw, core::SimTime now) const {
  return core::Amount::units(raw).to_double(decimals(a)) * price(s, a, now);
}

double ProtocolAgent::gas_usd(const ShardReader& s, core::SimTime now, core::Amount tip) const {
  if (!s.fee_asset) return 0;
  const i128 per_gas = base_fee(s, now).raw() + tip.raw();
  return usd(s, *s.fee_asset, per_gas * static_cast<i128>(s.call_gas), now);
}

core::Amount ProtocolAgent::base_fee(const ShardReader& s, core::SimTime now) const {
  return s.base_fee_at ? s.base_fee_at(now) : core::Amount{};
}

i128 ProtocolAgent::spendable(const ShardReader& s, protocols::AssetId a) const {
  i128 bal = s.balance(ctx_.account, a).raw();
  if (s.fee_asset && *s.fee_asset == a) {
    // Kept back at the unspiked fee: a spike should not lock up the capital it needs for gas.
    bal -= base_fee(s, core::SimTime::zero()).raw() * static_cast<i128>(std::max(s.call_gas, s.bridge_gas)) * kGasReserveCalls;
  }
  return std::max<i128>(bal, 0);
}

ProtocolAgent::Holdings ProtocolAgent::holdings(const ShardReader& s,
                                                const std::vector<protocols::AssetId>& assets) const {
  Holdings h;
  for (const protocols::AssetId a : assets) h.emplace_back(a, s.balance(ctx_.account, a));
  if (s.fee_asset && std::find(assets.begin(), assets.end(), *s.fee_asset) == assets.end()) {
    h.emplace_back(*s.fee_asset, s.balance(ctx_.account, *s.fee_asset));
  }
  return h;
}

double ProtocolAgent::gain_usd(const ShardReader& s, const Holdings& before, core::SimTime now) const {
  double gain = 0;
  for (const auto& [a, amount] : before) gain += usd(s, a, s.balance(ctx_.account, a).raw() - amount.raw(), now);
  return gain;
}

protocols::TxRequest ProtocolAgent::protocol_call(const ProtocolRef& p, std::string op,
                                                  std::vector<protocols::TxArg> args) const {
  protocols::TxRequest tx;
  tx.op = protocols::TxOp::protocol_call;
  tx.protocol = p.index;
  tx.protocol_op = std::move(op);
  tx.args = std::move(args);
  return tx;
}

std::uint64_t ProtocolAgent::submit(core::Actor& self, Worker& w, protocols::TxRequest tx,
                                    std::optional<core::Duration> delay) {
  const ShardReader& s = reader(w);
  const core::Duration d = delay ? *delay : s.access.sample(self.rng());
  tx.tx_id = ++w.next_tx;
  tx.notify = self.id();
  tx.from = ctx_.account;
  tx.submitted_at_us = self.now().count_us();
  tx.expires_at_us = (self.now() + d + expiry(s)).count_us();
  if (ctx_.private_txs) tx.flags = static_cast<std::uint8_t>(tx.flags | protocols::TxRequest::kPrivate);
  self.send(s.endpoint, d, tx);
  // An expired transaction is refused by the first block after its expiry.
  w.deadline = std::max(w.deadline, self.now() + d + expiry(s) + s.slot * 2);
  return tx.tx_id;
}

std::optional<protocols::TxResult> ProtocolAgent::await(core::Actor& self, Worker& w, std::uint64_t tx_id,
                                                        const std::function<void(const core::Message&)>& other) {
  const core::SimTime deadline = w.deadline;
  while (self.now() < deadline) {
    const std::optional<core::Message> m = self.receive_for(deadline - self.now());
    if (!m) break;
    if (m->is<protocols::TxResult>()) {
      protocols::TxResult r = m->as<protocols::TxResult>();
      if (r.tx_id == tx_id) return r;
      continue;  // a late result of an abandoned transaction
    }
    if (other) other(*m);
  }
  return std::nullopt;
}

std::optional<protocols::TxResult> ProtocolAgent::execute(core::Actor& self, Worker& w, protocols::TxRequest tx) {
  const std::uint64_t id = submit(self, w, std::move(tx));
  std::optional<protocols::TxResult> r = await(self, w, id);
  ++(succeeded(r) ? w.stats.actions : w.stats.failed);
  return r;
}

void ProtocolAgent::sleep_gap(core::Actor& self) {
  const double us = self.rng().exponential(static_cast<double>(ctx_.every.count_us()));
  self.sleep_for(core::Duration::us(std::max<std::int64_t>(1, std::llround(us))));
}

void ProtocolAgent::watch_feed(
    core::Actor& self, Worker& w, const std::function<void(const protocols::MempoolSeen&, std::optional<core::SimTime>)>& act) {
  const ShardReader& s = reader(w);
  for (;;) {
    const core::Message m = self.receive();
    if (!m.is<protocols::MempoolSeen>()) continue;  // late results of abandoned transactions
    const protocols::MempoolSeen seen = m.as<protocols::MempoolSeen>();
    const bool pending = seen.tx.op == protocols::TxOp::protocol_call;
    if (!pending && self.now() - m.time > s.slot) continue;
    act(seen, pending ? std::optional<core::SimTime>(s.next_block_after(core::SimTime::from_us(seen.arrived_at_us)))
                      : std::nullopt);
  }
}

bool ProtocolAgent::front_runnable(const ShardReader& s, const protocols::MempoolSeen& seen, std::string_view op) const {
  const protocols::TxRequest& tx = seen.tx;
  if (tx.from == ctx_.account || tx.protocol_op != op) return false;
  const bool pending = tx.op == protocols::TxOp::protocol_call && seen.shard == s.shard;
  const bool call =
      tx.op == protocols::TxOp::cross_call && tx.to_shard == s.shard && (tx.flags & protocols::TxRequest::kDryRun) == 0;
  return (pending && s.fee_asset) || call;
}

}  // namespace shardsim::agents
