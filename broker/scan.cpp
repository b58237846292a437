// Scan risk of one underlying group by revaluation under the SPAN price scenarios, with the
// group's delta, its basis charge across protocols and its latency add-on.
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <string_view>
#include <utility>

#include "broker/margin_engine.hpp"

namespace shardsim::broker::detail {
namespace {

const protocols::ProtocolSnapshot& snapshot_of(const Position& p) {
  static const protocols::ProtocolSnapshot kEmpty{};
  return p.snapshot ? *p.snapshot : kEmpty;
}

// A price move as a multiple of the scan range; extremes count only `extreme_fraction`.
struct Scenario {
  double range_multiple;
  bool extreme;
};

std::array<Scenario, 8> scenarios(const MarginConfig& config) {
  const double m = config.extreme_multiplier;
  return {{{1.0 / 3, false},
           {-1.0 / 3, false},
           {2.0 / 3, false},
           {-2.0 / 3, false},
           {1.0, false},
           {-1.0, false},
           {m, true},
           {-m, true}}};
}

}  // namespace

Valuation::Valuation(std::span<const Position> p, const protocols::PriceVector& px, MarginScratch& scratch)
    : positions(p), prices(px), s(scratch) {
  s.prices = px;
  s.base.assign(p.size(), 0.0);
  s.standalone_scan.assign(p.size(), 0.0);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    assert(positions[i].instrument != nullptr && positions[i].instrument->revalue);
    s.base[i] = value(i);
  }
}

double Valuation::value(std::size_t i) {
  const Position& p = positions[i];
  return p.instrument->revalue(p.quantity, snapshot_of(p), s.prices);
}

double Valuation::price(protocols::AssetId asset) const { return asset < prices.size() ? prices[asset] : 0.0; }

double Valuation::delta_per_unit(const Leg& leg) {
  const Position& p = positions[leg.position];
  const protocols::InstrumentDescriptor& d = *p.instrument;
  if (d.deltas_per_unit.size() == d.underlyings.size()) return d.deltas_per_unit[leg.underlying];
  // The descriptor gives no deltas: central difference on one unit, 0.01% of the price.
  const protocols::AssetId u = d.underlyings[leg.underlying];
  const double p0 = price(u);
  if (!(p0 > 0) || u >= s.prices.size()) return 0.0;
  const double h = p0 * 1e-4;
  s.prices[u] = p0 + h;
  const double up = d.revalue(1.0, snapshot_of(p), s.prices);
  s.prices[u] = p0 - h;
  const double down = d.revalue(1.0, snapshot_of(p), s.prices);
  s.prices[u] = p0;
  return (up - down) / (2 * h);
}

double latency_of_leg(const Position& p, double per_unit, double price, double sigma, const MarginConfig& config) {
  const double years = std::max(0.0, p.expected_settlement.seconds()) / kSecondsPerYear;
  if (p.unhedged_quantity == 0 || !(sigma > 0) || !(years > 0)) return 0.0;
  const double exposure = std::abs(p.unhedged_quantity * per_unit) * price;
  return exposure * sigma * std::sqrt(years) * config.latency_z;
}

GroupMargin margin_of_group(protocols::AssetId underlying, std::size_t first, std::size_t last, Valuation& v,
                            const MarginConfig& config) {
  MarginLegs& legs = v.s.legs;
  GroupMargin g;
  g.underlying = underlying;
  g.legs = last - first;
  g.price = v.price(underlying);
  g.scan_range = config.scan_range_of(underlying);

  // Scan risk: the worst loss of the whole group, and of each leg on its own (for gross).
  std::vector<double>& own_worst = v.s.own_worst;
  own_worst.assign(last - first, 0.0);
  if (g.price > 0 && g.scan_range > 0 && underlying < v.s.prices.size()) {
    double worst = 0;
    for (const Scenario& s : scenarios(config)) {
      v.s.prices[underlying] = std::max(0.0, g.price * (1 + s.range_multiple * g.scan_range));
      const double counts = s.extreme ? config.extreme_fraction : 1.0;
      double change = 0;
      for (std::size_t k = first; k < last; ++k) {
        const std::size_t i = legs[k].leg.position;
        const double leg_change = v.value(i) - v.s.base[i];
        change += leg_change;
        own_worst[k - first] = std::max(own_worst[k - first], -leg_change * counts);
      }
      worst = std::max(worst, -change * counts);
    }
    v.s.prices[underlying] = g.price;
    g.scan_risk = worst;
  }
  for (std::size_t k = first; k < last; ++k) v.s.standalone_scan[legs[k].leg.position] += own_worst[k - first];

  // Delta, per-protocol net notional (for the basis charge) and the latency add-on.
  auto& net_by_protocol = v.s.net_by_protocol;
  net_by_protocol.clear();
  const double sigma = config.vol_annual_of(underlying);
  for (std::size_t k = first; k < last; ++k) {
    GroupLeg& l = legs[k];
    const Position& p = v.positions[l.leg.position];
    l.per_unit = v.delta_per_unit(l.leg);
    const double notional = p.quantity * l.per_unit * g.price;
    g.delta_units += p.quantity * l.per_unit;
    const std::string_view protocol = p.instrument->protocol;
    auto it = std::find_if(net_by_protocol.begin(), net_by_protocol.end(), [&](const auto& e) {
      return (e.first.data() == protocol.data() && e.first.size() == protocol.size()) || e.first == protocol;
    });
    if (it == net_by_protocol.end()) {
      net_by_protocol.emplace_back(protocol, notional);
    } else {
      it->second += notional;
    }
    g.latency_addon += latency_of_leg(p, l.per_unit, g.price, sigma, config);
  }
  g.delta_notional = g.delta_units * g.price;
  double longs = 0;
  double shorts = 0;
  for (const auto& [protocol, net] : net_by_protocol) (net > 0 ? longs : shorts) += std::abs(net);
  g.offset_notional = std::min(longs, shorts);
  g.basis_charge = config.basis_charge * g.offset_notional;
  return g;
}

}  // namespace shardsim::broker::detail
