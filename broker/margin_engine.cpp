// Portfolio margin of one book: groups the positions by underlying, sums scan risk, basis and
// add-ons, subtracts the credits, and prices the same legs stand-alone for the gross margin.
#include "broker/margin_engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace shardsim::broker {
namespace {

// |quantity * delta * price| summed over the legs; |value| for an instrument with no underlying.
double exposure_notional(std::size_t i, detail::Valuation& v) {
  const Position& p = v.positions[i];
  const auto& underlyings = p.instrument->underlyings;
  if (underlyings.empty()) return std::abs(v.base[i]);
  double exposure = 0;
  for (std::size_t k = 0; k < underlyings.size(); ++k) {
    exposure += std::abs(p.quantity * v.delta_per_unit({i, k}) * v.price(underlyings[k]));
  }
  return exposure;
}

}  // namespace

double MarginResult::capital_efficiency() const {
  if (initial > 0) return gross / initial;
  return gross > 0 ? std::numeric_limits<double>::infinity() : 1.0;
}

MarginResult portfolio_margin(const std::vector<Position>& positions, const protocols::PriceVector& prices,
                              const MarginConfig& config) {
  detail::Valuation v(positions, prices);
  std::map<protocols::AssetId, std::vector<detail::Leg>> legs_by_group;  // ascending id: deterministic
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (positions[i].quantity == 0) continue;
    const auto& underlyings = positions[i].instrument->underlyings;
    for (std::size_t k = 0; k < underlyings.size(); ++k) legs_by_group[underlyings[k]].push_back({i, k});
  }

  MarginResult r;
  r.groups.reserve(legs_by_group.size());
  for (const auto& [underlying, legs] : legs_by_group) {
    r.groups.push_back(detail::margin_of_group(underlying, legs, v, config));
  }
  r.credits_applied = detail::apply_credits(r.groups, config);
  for (const GroupMargin& g : r.groups) {
    r.scan_risk += g.scan_risk;
    r.basis_charge += g.basis_charge;
    r.latency_addon += g.latency_addon;
    r.credits += g.credit;
  }
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (positions[i].quantity == 0) continue;
    const double haircut = exposure_notional(i, v) * config.haircut_of(positions[i].instrument->protocol);
    r.haircut_addon += haircut;
    r.gross += v.standalone_scan[i] + haircut;
  }
  const double charges = r.scan_risk + r.basis_charge + r.latency_addon + r.haircut_addon;
  r.initial = std::max(0.0, charges - r.credits);
  r.maintenance = std::clamp(config.maintenance, 0.0, 1.0) * r.initial;
  return r;
}

double standalone_margin(const Position& position, const protocols::PriceVector& prices, const MarginConfig& config) {
  return portfolio_margin({position}, prices, config).gross;
}

}  // namespace shardsim::broker
