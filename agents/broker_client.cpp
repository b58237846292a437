// The broker clients' behaviour: deposit, then trade by kind. Quantities are WAD-rounded from the
// drawn notional at the home oracle's price; a rejected order is simply not held.
#include "agents/broker_client.hpp"

#include <cmath>

#include "protocols/api/fixed_point.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::agents {

BrokerClientAgent::BrokerClientAgent(core::Engine& engine, core::LpId lp, BrokerClientConfig config, PriceReader price,
                                     core::LatencyModel access, HealthReader health)
    : config_(std::move(config)), price_(std::move(price)), health_(std::move(health)), access_(std::move(access)),
      held_(config_.instruments.size(), 0.0) {
  engine.add_actor(lp, config_.name, [this](core::Actor& self) { run(self); }, core::SimTime::zero());
  if (config_.run && health_) {
    engine.add_actor(lp, config_.name + ":run", [this](core::Actor& self) { watch_health(self); }, core::SimTime::zero());
  }
}

double BrokerClientAgent::capital_usd() const {
  double v = 0;
  for (const auto& [asset, amount] : config_.capital) {
    const std::optional<double> p = price_(asset);
    v += amount.to_double(config_.decimals[asset]) * p.value_or(0.0);
  }
  return v;
}

void BrokerClientAgent::deposit(core::Actor& self) {
  for (const auto& [asset, amount] : config_.capital) {
    protocols::TxRequest tx;
    tx.from = config_.account;
    tx.op = protocols::TxOp::transfer;
    tx.asset = asset;
    tx.to = config_.deposit_account;
    tx.amount = amount;
    tx.submitted_at_us = self.now().count_us();
    self.send(config_.home_shard, access_.sample(self.rng()), tx);
  }
}

void BrokerClientAgent::order(core::Actor& self, std::size_t instrument, double qty) {
  if (stats_.ran) return;  // it has run: no more trading
  const protocols::i128 wad = protocols::double_to_wad(qty);
  if (wad == 0) return;
  protocols::ClientRequest q;
  q.client = config_.client;
  q.op = protocols::RequestOp::order;
  q.instrument = config_.instruments[instrument].index;
  q.qty_wad = wad;
  q.time_in_force_us = config_.time_in_force.count_us();
  self.send(config_.broker, access_.sample(self.rng()), q);
  held_[instrument] += qty;
  ++stats_.orders;
}

void BrokerClientAgent::retail_step(core::Actor& self) {
  const std::size_t i = self.rng().uniform_index(config_.instruments.size());
  if (held_[i] != 0 && self.rng().bernoulli(0.4)) {
    order(self, i, -held_[i]);
    ++stats_.closes;
    return;
  }
  const ClientInstrument& inst = config_.instruments[i];
  // A claim is sized by what a share can lose (1 each) and traded only while the broker marks it.
  const std::optional<double> p =
      inst.claim ? (config_.broker_mark && config_.broker_mark(inst.index) ? std::optional<double>(1.0) : std::nullopt)
                 : price_(inst.underlying);
  if (!p || *p <= 0) return;
  const double notional = capital_usd() * config_.leverage * self.rng().uniform(0.2, 1.0);
  const double side = self.rng().bernoulli(0.5) ? 1.0 : -1.0;
  order(self, i, side * notional / *p);
}

void BrokerClientAgent::run(core::Actor& self) {
  self.sleep_for(core::Duration::us(static_cast<std::int64_t>(self.rng().uniform(0, 1) * config_.every.count_us())));
  deposit(self);
  self.sleep_for(core::Duration::min(1));  // let the deposit land
  if (config_.instruments.empty()) return;
  switch (config_.kind) {
    case AgentKind::basis_trader: {
      // Long the first instrument, short the second, same notional: capital x leverage.
      const std::optional<double> p = price_(config_.instruments[0].underlying);
      if (!p || *p <= 0 || config_.instruments.size() < 2) return;
      const double qty = capital_usd() * config_.leverage / *p;
      order(self, 0, qty);
      order(self, 1, -qty);
      for (;;) {  // roll the trade now and then
        self.sleep_for(core::Duration::us(static_cast<std::int64_t>(self.rng().exponential(static_cast<double>(config_.every.count_us())))));
        if (stats_.ran) return;
        if (!self.rng().bernoulli(0.2)) continue;
        order(self, 0, -held_[0]);
        order(self, 1, -held_[1]);
        const std::optional<double> again = price_(config_.instruments[0].underlying);
        if (!again || *again <= 0) continue;
        const double q2 = capital_usd() * config_.leverage / *again;
        order(self, 0, q2);
        order(self, 1, -q2);
      }
    }
    case AgentKind::hedger: {
      // Short the perp against the spot collateral of its underlying, one for one.
      const protocols::AssetId u = config_.instruments[0].underlying;
      double spot = 0;
      for (const auto& [asset, amount] : config_.capital) {
        if (asset == u) spot += amount.to_double(config_.decimals[asset]);
      }
      if (spot > 0) order(self, 0, -spot);
      return;
    }
    default:
      for (;;) {
        self.sleep_for(core::Duration::us(static_cast<std::int64_t>(self.rng().exponential(static_cast<double>(config_.every.count_us())))));
        if (stats_.ran) return;
        retail_step(self);
      }
  }
}

}  // namespace shardsim::agents
