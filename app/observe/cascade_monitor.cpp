// Watches for failures as the run goes (a monitor per shard with protocols, sampling each
// protocol's bad debt and liquidation count once a minute on that shard's LP) and assembles the
// summary's `cascade`; every minute with new liquidations is a wave in the cause chain.
#include <cmath>

#include "app/observe/cascade_monitor.hpp"

#include "app/observe/cascade.hpp"
#include "core/actor.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::app {
namespace {

constexpr core::Duration kWatchEvery = core::Duration::min(1);
constexpr double kFailureUsd = 1.0;  // bad debt above this is a protocol failure

// USD a protocol owes that nothing backs, from its typed risk query (protocols/api/queries.hpp):
// lending debt above its borrower's collateral, perps losses socialised, a synthetics debt pool
// above its staked collateral, prediction shares their markets cannot pay.
double bad_debt_usd(const protocols::Protocol& p, const protocols::ShardContext& ctx) {
  const protocols::RiskQuery* risk = p.queries().risk;
  return risk == nullptr ? 0.0 : protocols::wad_to_nearest_double(risk->bad_debt_usd_wad(ctx));
}

std::string fault_name(const FaultSpec& f, const Topology& t) {
  switch (f.kind) {
    case FaultKind::shard_halt: return "shard_halt " + t.shards[f.shard].id;
    case FaultKind::latency_spike: return "latency_spike " + t.shards[f.from].id + "->" + t.shards[f.to].id;
    case FaultKind::partition: return "partition";
    case FaultKind::oracle: return "oracle " + t.shards[f.shard].id + " " + t.assets[f.asset].symbol;
    case FaultKind::tx_drop: return "tx_drop " + t.shards[f.shard].id;
    case FaultKind::price_crash: return "price_crash " + t.assets[f.asset].symbol;
    case FaultKind::depeg: return "depeg " + t.assets[f.asset].symbol;
    case FaultKind::protocol_insolvency: return "protocol_insolvency " + f.protocol;
    case FaultKind::broker_default: return "broker_default " + t.brokers[f.broker].name;
    case FaultKind::gas_spike: return "gas_spike " + t.shards[f.shard].id;
    case FaultKind::receipt_drop: return "receipt_drop " + t.shards[f.from].id + "->" + t.shards[f.to].id;
  }
  return "fault";
}

}  // namespace

CascadeMonitor::CascadeMonitor(World& world) : world_(world) {
  const Topology& topology = world.topology();
  for (std::uint32_t i = 0; i < world.shard_count(); ++i) {
    const auto& ps = topology.shards[i].protocols;
    if (ps.empty()) continue;
    const std::size_t first = watches_.size();
    for (const ProtocolSpec& p : ps) watches_.push_back(ProtocolWatch{p.name, p.kind, 0, std::nullopt});
    shards::Shard* shard = &world.shard(i);
    world.engine().add_actor(world.shard_lp(i), "cascade:" + topology.shards[i].id, [this, shard, first](core::Actor& self) {
      for (;;) {
        self.sleep_for(kWatchEvery);
        for (std::size_t k = 0; k < shard->protocols().size(); ++k) {
          ProtocolWatch& w = watches_[first + k];
          w.bad_debt_usd = bad_debt_usd(*shard->protocols()[k], shard->host());
          if (w.bad_debt_usd > kFailureUsd && !w.failed_at_us) w.failed_at_us = self.now().count_us();
          const auto& liq = shard->stats().liquidations;
          const auto it = liq.find(w.name);
          const std::uint64_t n = it == liq.end() ? 0 : it->second;
          if (n > w.liquidations_seen) w.liquidation_waves_us.push_back(self.now().count_us());
          w.liquidations_seen = n;
        }
      }
    }, core::SimTime::zero());
  }
}

double CascadeMonitor::protocol_bad_debt_usd() const {
  double sum = 0;
  for (const ProtocolWatch& w : watches_) sum += w.bad_debt_usd;
  return sum;
}

nlohmann::ordered_json CascadeMonitor::results() const {
  const Topology& topology = world_.topology();
  std::vector<CascadeEvent> events;
  for (const FaultSpec& f : topology.faults) events.push_back(CascadeEvent{"fault:" + fault_name(f, topology), "fault", f.at.count_us(), {}});
  for (const ProtocolWatch& w : watches_) {
    if (w.failed_at_us) events.push_back(CascadeEvent{"protocol:" + w.name, "bad debt", *w.failed_at_us, {}});
    // Each minute in which liquidations happened is one wave; a wave follows the event before it.
    for (const std::int64_t t : w.liquidation_waves_us) {
      events.push_back(CascadeEvent{"liquidations:" + w.name + "@" + std::to_string(t / 1'000'000) + "s", "liquidations", t, {}});
    }
  }
  for (std::size_t b = 0; b < world_.broker_count(); ++b) {
    const broker::Broker* br = &world_.broker(b);
    if (br->insolvent_at()) events.push_back(CascadeEvent{"broker:" + br->config().name, "insolvent", br->insolvent_at()->count_us(), {}});
  }
  const std::size_t depth = link_causes(events);
  nlohmann::ordered_json j;
  nlohmann::ordered_json liq_protocols = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < world_.shard_count(); ++i) {
    for (const auto& [name, n] : world_.shard(i).stats().liquidations) liq_protocols[name] = n;
  }
  nlohmann::ordered_json liq_brokers = nlohmann::ordered_json::object();
  double broker_bad = 0, fund = 0, socialised = 0, broker_loss = 0;
  for (std::size_t b = 0; b < world_.broker_count(); ++b) {
    const broker::Broker* br = &world_.broker(b);
    const nlohmann::ordered_json r = br->report();
    liq_brokers[br->config().name] = r.at("liquidations");
    broker_bad += r.at("bad_debt").get<double>();
    fund += r.at("default_fund_used").get<double>() +
            std::min(r.at("shortfall").get<double>(), std::max(0.0, r.at("shortfall").get<double>() - r.at("client_shortfall").get<double>()));
    socialised += r.at("socialised").get<double>() + r.at("client_shortfall").get<double>();
    broker_loss += std::max(0.0, -r.at("pnl").get<double>());
  }
  double protocol_bad = 0;
  nlohmann::ordered_json per_protocol = nlohmann::ordered_json::object();
  for (const ProtocolWatch& w : watches_) {
    protocol_bad += w.bad_debt_usd;
    per_protocol[w.name] = w.bad_debt_usd;
  }
  j["liquidations"] = {{"protocols", liq_protocols}, {"brokers", liq_brokers}};
  j["bad_debt"] = {{"protocol", protocol_bad}, {"broker", broker_bad}, {"default_fund", fund},
                   {"socialised", socialised}, {"per_protocol", per_protocol}};
  j["failures"] = cascade_events_json(events);
  j["depth"] = depth;
  j["losses"] = {{"protocols", protocol_bad}, {"brokers", broker_loss}, {"default_fund", fund}, {"clients", socialised}};
  return j;
}

}  // namespace shardsim::app
