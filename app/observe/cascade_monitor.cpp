// Watches for failures as the run goes (a monitor per shard with protocols, sampling each
// protocol's bad debt and liquidation count once a minute on that shard's LP) and assembles the
// summary's `cascade`; every minute with new liquidations is a wave in the cause chain.
#include <cmath>

#include "app/observe/cascade_monitor.hpp"

#include "core/actor.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::app {
namespace {

constexpr core::Duration kWatchEvery = core::Duration::min(1);
constexpr double kFailureUsd = 1.0;  // bad debt above this is a protocol failure
constexpr double kMoveFraction = 0.01;  // a feed moving this much within one sample is a price move
constexpr std::int64_t kRootWindowUs = 10LL * 60 * 1'000'000;  // how long after its end a root explains moves

// USD a protocol owes that nothing backs, from its typed risk query (protocols/api/queries.hpp):
// lending debt above its borrower's collateral, perps losses socialised, a synthetics debt pool
// above its staked collateral, prediction shares their markets cannot pay.
double bad_debt_usd(const protocols::Protocol& p, const protocols::ShardContext& ctx) {
  const protocols::RiskQuery* risk = p.queries().risk;
  return risk == nullptr ? 0.0 : protocols::wad_to_nearest_double(risk->bad_debt_usd_wad(ctx));
}

// Its insurance fund, what the fund paid and what was socialised (RiskQuery), USD.
void sample_absorbers(const protocols::Protocol& p, const protocols::ShardContext& ctx, double& fund, double& drawn,
                      double& socialised) {
  const protocols::RiskQuery* risk = p.queries().risk;
  if (risk == nullptr) return;
  fund = protocols::wad_to_nearest_double(risk->insurance_fund_usd_wad(ctx));
  drawn = protocols::wad_to_nearest_double(risk->insurance_drawn_usd_wad(ctx));
  socialised = protocols::wad_to_nearest_double(risk->socialised_usd_wad(ctx));
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
  price_moves_.resize(world.shard_count());
  for (std::uint32_t i = 0; i < world.shard_count(); ++i) {
    const auto& ps = topology.shards[i].protocols;
    if (ps.empty()) continue;
    const std::size_t first = watches_.size();
    for (const ProtocolSpec& p : ps) watches_.push_back(ProtocolWatch{.name = p.name, .kind = p.kind, .shard = i});
    shards::Shard* shard = &world.shard(i);
    std::vector<std::uint32_t> feeds;
    if (topology.shards[i].oracles) feeds = topology.shards[i].oracles->assets;
    auto oracle = world.oracle_reader(i);
    world.engine().add_actor(world.shard_lp(i), "cascade:" + topology.shards[i].id,
                             [this, shard, first, i, feeds, oracle](core::Actor& self) {
      std::vector<std::optional<double>> last(feeds.size());
      for (;;) {
        self.sleep_for(kWatchEvery);
        // The feeds the shard's protocols read: a move over the sample is a price move.
        for (std::size_t f = 0; f < feeds.size(); ++f) {
          const std::optional<double> p = oracle(feeds[f]);
          if (p && last[f] && *last[f] > 0 && std::abs(*p / *last[f] - 1.0) >= kMoveFraction) {
            price_moves_[i].push_back(PriceMoveSeen{i, feeds[f], self.now().count_us(), *p / *last[f] - 1.0});
          }
          last[f] = p;
        }
        for (std::size_t k = 0; k < shard->protocols().size(); ++k) {
          ProtocolWatch& w = watches_[first + k];
          w.bad_debt_usd = bad_debt_usd(*shard->protocols()[k], shard->host());
          sample_absorbers(*shard->protocols()[k], shard->host(), w.insurance_usd, w.insurance_drawn_usd, w.socialised_usd);
          if (!w.insurance_start_usd) w.insurance_start_usd = w.insurance_usd;
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

// Faults, and the scripted events that can move a price (shocks, swaps), as the chain's roots.
void CascadeMonitor::add_root_events(std::vector<CascadeEvent>& events) const {
  const Topology& topology = world_.topology();
  for (const FaultSpec& f : topology.faults) {
    CascadeEvent e{.who = "fault:" + fault_name(f, topology), .what = "fault", .at_us = f.at.count_us(), .kind = CascadeKind::fault};
    e.until_us = (f.at + f.duration).count_us() + kRootWindowUs;
    switch (f.kind) {
      case FaultKind::oracle: e.shard = f.shard; e.asset = f.asset; break;
      case FaultKind::price_crash:
      case FaultKind::depeg: e.asset = f.asset; break;
      case FaultKind::shard_halt:
      case FaultKind::tx_drop:
      case FaultKind::gas_spike: e.shard = f.shard; break;
      case FaultKind::protocol_insolvency: e.protocol = f.protocol; break;
      case FaultKind::broker_default: e.broker = topology.brokers[f.broker].name; break;
      default: break;
    }
    events.push_back(std::move(e));
  }
  for (const ScriptEntry& s : topology.script) {
    const std::int64_t at = s.at.count_us();
    const std::string when = "@" + std::to_string(at / 1'000'000) + "s";
    if (s.price) {
      CascadeEvent e{.who = "script:price " + topology.assets[s.price->asset].symbol + when, .what = "script", .at_us = at,
                     .kind = CascadeKind::script};
      e.asset = s.price->asset;
      e.until_us = at + s.price->over.count_us() + kRootWindowUs;
      events.push_back(std::move(e));
    }
    if (!s.tx || s.tx->op.find("swap") == std::string::npos) continue;
    // A scripted swap moves the pools of its shard, so every feed priced there (named by the
    // assets its arguments name: `sell: ETH`).
    std::string named;
    for (const ScriptArg& a : s.tx->args) {
      for (const AssetSpec& asset : topology.assets) {
        if (asset.symbol == a.value) named += " " + a.value;
      }
    }
    CascadeEvent e{.who = "script:" + s.tx->from + " " + s.tx->op + " " + s.tx->protocol + named + when, .what = "script",
                   .at_us = at, .kind = CascadeKind::script};
    e.shard = s.tx->shard;
    e.until_us = at + kRootWindowUs;
    events.push_back(std::move(e));
  }
}

nlohmann::ordered_json CascadeMonitor::results() const {
  const Topology& topology = world_.topology();
  std::vector<CascadeEvent> events;
  add_root_events(events);
  for (const std::vector<PriceMoveSeen>& seen : price_moves_) {
    for (const PriceMoveSeen& m : seen) {
    CascadeEvent e{.who = "price:" + topology.assets[m.asset].symbol + "@" + topology.shards[m.shard].id + "@" +
                          std::to_string(m.at_us / 1'000'000) + "s",
                   .what = "price move", .at_us = m.at_us, .kind = CascadeKind::price_move};
    e.shard = m.shard;
    e.asset = m.asset;
    e.move = m.move;
    events.push_back(std::move(e));
    }
  }
  for (const ProtocolWatch& w : watches_) {
    if (w.failed_at_us) {
      CascadeEvent e{.who = "protocol:" + w.name, .what = "bad debt", .at_us = *w.failed_at_us, .kind = CascadeKind::bad_debt};
      e.shard = w.shard;
      e.protocol = w.name;
      e.amount_usd = w.bad_debt_usd;
      events.push_back(std::move(e));
    }
    // Each minute in which liquidations happened is one wave.
    for (const std::int64_t t : w.liquidation_waves_us) {
      CascadeEvent e{.who = "liquidations:" + w.name + "@" + std::to_string(t / 1'000'000) + "s", .what = "liquidations",
                     .at_us = t, .kind = CascadeKind::liquidations};
      e.shard = w.shard;
      e.protocol = w.name;
      events.push_back(std::move(e));
    }
  }
  for (std::size_t b = 0; b < world_.broker_count(); ++b) {
    const broker::Broker* br = &world_.broker(b);
    if (!br->insolvent_at()) continue;
    const nlohmann::ordered_json r = br->report();
    CascadeEvent e{.who = "broker:" + br->config().name, .what = "insolvent", .at_us = br->insolvent_at()->count_us(),
                   .kind = CascadeKind::insolvent};
    e.broker = br->config().name;
    e.amount_usd = std::max(0.0, -r.at("pnl").get<double>());
    e.clearing_loss = r.contains("clearing") && r.at("clearing").value("loss_usd", 0.0) > 0;
    events.push_back(std::move(e));
    if (!br->shortfall_at()) continue;
    // Its own loss past its capital: what its waterfall's fund layers and its clients bore.
    CascadeEvent s{.who = "broker:" + br->config().name + " shortfall", .what = "loss beyond capital",
                   .at_us = br->shortfall_at()->count_us(), .kind = CascadeKind::shortfall};
    s.broker = br->config().name;
    s.amount_usd = r.at("waterfall").at("house_shortfall_usd").get<double>();
    events.push_back(std::move(s));
  }
  const std::size_t depth = link_causes(events);
  nlohmann::ordered_json j;
  nlohmann::ordered_json liq_protocols = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < world_.shard_count(); ++i) {
    for (const auto& [name, n] : world_.shard(i).stats().liquidations) liq_protocols[name] = n;
  }
  nlohmann::ordered_json liq_brokers = nlohmann::ordered_json::object();
  nlohmann::ordered_json waterfalls = nlohmann::ordered_json::object();
  double broker_bad = 0, fund = 0, socialised = 0, broker_loss = 0;
  for (std::size_t b = 0; b < world_.broker_count(); ++b) {
    const broker::Broker* br = &world_.broker(b);
    const nlohmann::ordered_json r = br->report();
    liq_brokers[br->config().name] = r.at("liquidations");
    waterfalls[br->config().name] = r.at("waterfall");
    // The broker's own waterfall figures, as its summary entry reports them (ClearingBook::waterfall).
    broker_bad += r.at("bad_debt").get<double>();
    fund += r.at("default_fund_used").get<double>();
    socialised += r.at("socialised").get<double>();
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
  j["edges"] = cascade_edges_json(events);
  j["depth"] = depth;
  j["losses"] = {{"protocols", protocol_bad}, {"brokers", broker_loss}, {"default_fund", fund}, {"clients", socialised}};
  j["waterfall"] = waterfalls;
  // Per protocol, its own loss absorbers: bad debt, the insurance fund (first and last sample,
  // and what it paid toward losses) and socialised loss.
  nlohmann::ordered_json protocols = nlohmann::ordered_json::object();
  for (const ProtocolWatch& w : watches_) {
    protocols[w.name] = {{"kind", w.kind},
                         {"bad_debt_usd", w.bad_debt_usd},
                         {"insurance_fund_start_usd", w.insurance_start_usd.value_or(0.0)},
                         {"insurance_fund_end_usd", w.insurance_usd},
                         {"insurance_fund_drawn_usd", w.insurance_drawn_usd},
                         {"socialised_usd", w.socialised_usd}};
  }
  j["protocols"] = protocols;  // per broker, each layer (the same object as its summary entry)
  return j;
}

}  // namespace shardsim::app
