// What report.html and timeseries.csv show of a run: the time series sampled between engine runs
// (true and oracle prices, broker net exposure, margin and capital, bad debt, mempool peak), the
// topology as a diagram sees it, latency distributions as percentiles, and the cascade.
#include <charconv>
#include <cmath>

#include "app/observe/time_series.hpp"

#include <algorithm>
#include "protocols/api/fixed_point.hpp"

namespace shardsim::app {
namespace {

double ms(core::Duration d) { return static_cast<double>(d.count_us()) / 1000.0; }

// A link's typical latency: the constant, the lognormal median, the uniform midpoint, the normal
// mean, or the mean of an empirical table.
nlohmann::ordered_json latency_json(const core::LatencySpec& l) {
  using core::LatencyKind;
  double typical = 0;
  std::string label;
  switch (l.kind) {
    case LatencyKind::constant: typical = ms(l.value); label = l.value.str(); break;
    case LatencyKind::lognormal: typical = ms(l.median); label = std::string("~").append(l.median.str()); break;
    case LatencyKind::uniform: typical = (ms(l.low) + ms(l.high)) / 2; label = l.low.str().append("-").append(l.high.str()); break;
    case LatencyKind::normal: typical = ms(l.mean); label = std::string("~").append(l.mean.str()); break;
    case LatencyKind::empirical: {
      double w = 0, sum = 0;
      for (const core::EmpiricalPoint& p : l.table) {
        w += p.weight;
        sum += p.weight * ms(p.value);
      }
      typical = w > 0 ? sum / w : 0;
      label = "~" + std::to_string(std::llround(typical)) + "ms";
      break;
    }
  }
  return {{"latency_ms", typical}, {"latency", label}};
}

// Percentiles 1..100 in milliseconds (`p_ms[i]` is percentile i + 1); a page draws them as a CDF.
nlohmann::ordered_json percentiles_json(const std::string& name, const core::Histogram& us) {
  nlohmann::ordered_json p = nlohmann::ordered_json::array();
  if (us.count() > 0) {
    for (int i = 1; i <= 100; ++i) p.push_back(static_cast<double>(us.percentile(i)) / 1000.0);
  }
  return {{"name", name}, {"count", us.count()}, {"p_ms", p}};
}

}  // namespace

void TimeSeries::define() {
  const Topology& topology = world_.topology();
  const agents::PricePath* prices = world_.prices();
  const auto add = [this](std::string name, std::string group, std::string unit, std::string asset) {
    series_.push_back(Series{std::move(name), std::move(group), std::move(unit), std::move(asset), {}});
  };
  for (std::uint32_t a = 0; a < topology.assets.size(); ++a) {
    const std::string& sym = topology.assets[a].symbol;
    if (prices && prices->has(a)) add(sym + " true", "prices", "USD", sym);
    for (const ShardSpec& s : topology.shards) {
      if (!s.oracles) continue;
      for (const std::uint32_t o : s.oracles->assets) {
        if (o == a) add(sym + " oracle@" + s.id, "prices", "USD", sym);
      }
    }
  }
  const std::size_t brokers = world_.broker_count();
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " net exposure", "exposure", "USD", "");
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " clients' net delta", "exposure", "USD", "");
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " margin", "margin", "USD", "");
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " capital", "capital", "USD", "");
  if (cascade_.watches_protocols()) add("protocol bad debt", "bad_debt", "USD", "");
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " bad debt", "bad_debt", "USD", "");
  // The waterfall's layers past the house capital (ClearingBook::waterfall), as the summary reports them.
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " default fund used", "bad_debt", "USD", "");
  for (std::size_t b = 0; b < brokers; ++b) add(world_.broker(b).config().name + " socialised", "bad_debt", "USD", "");
  for (const ShardSpec& s : topology.shards) add("mempool " + s.id, "mempool", "txs (peak)", "");
}

core::Duration TimeSeries::interval(const Topology& topology) {
  constexpr std::int64_t kMaxSamples = 50'000;
  return core::Duration::us(std::max(topology.outputs.timeseries_every.count_us(),
                                     (topology.duration.count_us() + kMaxSamples - 1) / kMaxSamples));
}

// In define() order.
void TimeSeries::sample(core::SimTime t) {
  const Topology& topology = world_.topology();
  const agents::PricePath* prices = world_.prices();
  if (t_us_.empty()) define();
  t_us_.push_back(t.count_us());
  std::size_t k = 0;
  const auto put = [this, &k](std::optional<double> v) { series_[k++].values.push_back(v); };
  for (std::uint32_t a = 0; a < topology.assets.size(); ++a) {
    if (prices && prices->has(a)) put(prices->price(a, t));
    for (std::uint32_t i = 0; i < topology.shards.size(); ++i) {
      const ShardSpec& s = topology.shards[i];
      if (!s.oracles) continue;
      for (const std::uint32_t o : s.oracles->assets) {
        if (o == a) put(world_.oracle_reader(i)(a));
      }
    }
  }
  // Net exposure: the house's delta (client legs reversed, hedges held and in flight) in USD at
  // the broker's marks; beside it what its clients hold, which the house nets and hedges.
  const auto usd = [](const broker::ClearingBook& book, const std::vector<double>& delta) {
    double sum = 0;
    for (std::size_t a = 0; a < delta.size(); ++a) sum += delta[a] * book.price(static_cast<protocols::AssetId>(a));
    return sum;
  };
  std::vector<const broker::Broker*> brokers;
  for (std::size_t b = 0; b < world_.broker_count(); ++b) brokers.push_back(&world_.broker(b));
  for (const auto* br : brokers) put(usd(br->book(), br->book().house_delta()));
  for (const auto* br : brokers) put(usd(br->book(), br->book().client_delta()));
  for (const auto* br : brokers) {
    double net = 0;
    for (std::size_t c = 0; c < br->book().clients(); ++c) net += br->book().margin(c).initial;
    put(net);
  }
  for (const auto* br : brokers) put(br->equity_usd());
  if (cascade_.watches_protocols()) put(cascade_.protocol_bad_debt_usd());
  for (const auto* br : brokers) put(br->book().bad_debt());
  for (const auto* br : brokers) put(br->book().default_fund_used());
  for (const auto* br : brokers) put(br->book().socialised());
  for (std::size_t i = 0; i < world_.shard_count(); ++i) put(static_cast<double>(world_.shard(i).take_mempool_peak()));
}

nlohmann::ordered_json TimeSeries::report_data() const {
  using nlohmann::ordered_json;
  const Topology& topology = world_.topology();
  ordered_json run;
  run["name"] = topology.name;
  run["topology_file"] = topology.file;
  run["seed"] = world_.seed();
  run["duration_s"] = static_cast<double>(topology.duration.count_us()) / 1e6;
  run["timeseries_every_s"] = static_cast<double>(interval(topology).count_us()) / 1e6;

  ordered_json topo;
  ordered_json shards = ordered_json::array();
  for (const ShardSpec& s : topology.shards) {
    ordered_json protocols = ordered_json::array();
    for (const ProtocolSpec& p : s.protocols) protocols.push_back({{"name", p.name}, {"kind", p.kind}});
    ordered_json oracles = ordered_json::array();
    if (s.oracles) {
      for (const std::uint32_t a : s.oracles->assets) oracles.push_back(topology.assets[a].symbol);
    }
    shards.push_back({{"id", s.id}, {"slot_ms", ms(s.slot)}, {"protocols", protocols}, {"oracles", oracles}});
  }
  topo["shards"] = shards;
  ordered_json brokers = ordered_json::array();
  for (const broker::BrokerConfig& b : topology.brokers) {
    brokers.push_back({{"name", b.name}, {"home", topology.shards[b.home_shard].id}});
  }
  topo["brokers"] = brokers;
  ordered_json links = ordered_json::array();
  for (const LinkPair& l : topology.links.pairs) {
    ordered_json e{{"from", topology.shards[l.from].id}, {"to", topology.shards[l.to].id}};
    e.update(latency_json(l.latency));
    links.push_back(e);
  }
  topo["links"] = links;
  topo["default_link"] = latency_json(topology.links.default_latency);
  run["topology"] = topo;

  ordered_json ts;
  ordered_json t_s = ordered_json::array();
  for (const std::int64_t t : t_us_) t_s.push_back(static_cast<double>(t) / 1e6);
  ts["t_s"] = t_s;
  ordered_json series = ordered_json::array();
  for (const Series& s : series_) {
    ordered_json values = ordered_json::array();
    for (const std::optional<double>& v : s.values) {
      values.push_back(v && std::isfinite(*v) ? ordered_json(*v) : ordered_json(nullptr));
    }
    ordered_json e{{"name", s.name}, {"group", s.group}, {"unit", s.unit}};
    if (!s.asset.empty()) e["asset"] = s.asset;
    e["values"] = values;
    series.push_back(e);
  }
  ts["series"] = series;
  run["timeseries"] = ts;

  ordered_json settlement = ordered_json::array();
  for (std::size_t b = 0; b < world_.broker_count(); ++b) {
    const broker::Broker& br = world_.broker(b);
    settlement.push_back(percentiles_json(br.config().name, br.settlement_latency_us()));
  }
  ordered_json inclusion = ordered_json::array();
  for (std::size_t i = 0; i < world_.shard_count(); ++i) {
    inclusion.push_back(percentiles_json(topology.shards[i].id, world_.shard(i).stats().inclusion_delay_us));
  }
  ordered_json cross = ordered_json::array();
  for (std::size_t i = 0; i < world_.shard_count(); ++i) {
    const core::Histogram& h = world_.shard(i).stats().cross_shard_latency_us;
    if (h.count() > 0) cross.push_back(percentiles_json("into " + topology.shards[i].id, h));
  }
  run["distributions"] = {{"settlement_latency_ms", {{"series", settlement}}},
                          {"inclusion_delay_ms", {{"series", inclusion}}},
                          {"cross_shard_latency_ms", {{"series", cross}}}};
  run["cascade"] = cascade_.results();
  return run;
}

}  // namespace shardsim::app
