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

Valuation::Valuation(const std::vector<Position>& p, const protocols::PriceVector& px)
    : positions(p), prices(px), base(p.size(), 0.0), scratch(px), standalone_scan(p.size(), 0.0) {
  for (std::size_t i = 0; i < positions.size(); ++i) {
    assert(positions[i].instrument != nullptr && positions[i].instrument->revalue);
    base[i] = value(i);
  }
}

double Valuation::value(std::size_t i) {
  const Position& p = positions[i];
  return p.instrument->revalue(p.quantity, snapshot_of(p), scratch);
}

double Valuation::price(protocols::AssetId asset) const { return asset < prices.size() ? prices[asset] : 0.0; }

double Valuation::delta_per_unit(const Leg& leg) {
  const Position& p = positions[leg.position];
  const protocols::InstrumentDescriptor& d = *p.instrument;
  if (d.deltas_per_unit.size() == d.underlyings.size()) return d.deltas_per_unit[leg.underlying];
  // The descriptor gives no deltas: central difference on one unit, 0.01% of the price.
  const protocols::AssetId u = d.underlyings[leg.underlying];
  const double p0 = price(u);
  if (!(p0 > 0) || u >= scratch.size()) return 0.0;
  const double h = p0 * 1e-4;
  scratch[u] = p0 + h;
  const double up = d.revalue(1.0, snapshot_of(p), scratch);
  scratch[u] = p0 - h;
  const double down = d.revalue(1.0, snapshot_of(p), scratch);
  scratch[u] = p0;
  return (up - down) / (2 * h);
}

GroupMargin margin_of_group(protocols::AssetId underlying, const std::vector<Leg>& legs, Valuation& v,
                            const MarginConfig& config) {
  GroupMargin g;
  g.underlying = underlying;
  g.legs = legs.size();
  g.price = v.price(underlying);
  g.scan_range = config.scan_range_of(underlying);

  // Scan risk: the worst loss of the whole group, and of each leg on its own (for gross).
  std::vector<double> own_worst(legs.size(), 0.0);
  if (g.price > 0 && g.scan_range > 0 && underlying < v.scratch.size()) {
    double worst = 0;
    for (const Scenario& s : scenarios(config)) {
      v.scratch[underlying] = std::max(0.0, g.price * (1 + s.range_multiple * g.scan_range));
      const double counts = s.extreme ? config.extreme_fraction : 1.0;
      double change = 0;
      for (std::size_t k = 0; k < legs.size(); ++k) {
        const double leg_change = v.value(legs[k].position) - v.base[legs[k].position];
        change += leg_change;
        own_worst[k] = std::max(own_worst[k], -leg_change * counts);
      }
      worst = std::max(worst, -change * counts);
    }
    v.scratch[underlying] = g.price;
    g.scan_risk = worst;
  }
  for (std::size_t k = 0; k < legs.size(); ++k) v.standalone_scan[legs[k].position] += own_worst[k];

  // Delta, per-protocol net notional (for the basis charge) and the latency add-on.
  std::vector<std::pair<std::string_view, double>> net_by_protocol;
  const double sigma = config.vol_annual_of(underlying);
  for (const Leg& leg : legs) {
    const Position& p = v.positions[leg.position];
    const double per_unit = v.delta_per_unit(leg);
    const double notional = p.quantity * per_unit * g.price;
    g.delta_units += p.quantity * per_unit;
    auto it = std::find_if(net_by_protocol.begin(), net_by_protocol.end(),
                           [&](const auto& e) { return e.first == p.instrument->protocol; });
    if (it == net_by_protocol.end()) {
      net_by_protocol.emplace_back(p.instrument->protocol, notional);
    } else {
      it->second += notional;
    }
    const double years = std::max(0.0, p.expected_settlement.seconds()) / kSecondsPerYear;
    if (p.unhedged_quantity != 0 && sigma > 0 && years > 0) {
      const double exposure = std::abs(p.unhedged_quantity * per_unit) * g.price;
      g.latency_addon += exposure * sigma * std::sqrt(years) * config.latency_z;
    }
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
