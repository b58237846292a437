// Portfolio margin of one book: groups the positions by underlying, sums scan risk, basis and
// add-ons, subtracts the credits, and prices the same legs stand-alone for the gross margin.
#include "broker/margin_engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shardsim::broker {
namespace {

// |quantity * delta * price| summed over the legs; |value| for an instrument with no underlying.
double exposure_notional(std::size_t i, detail::Valuation& v) {
  const Position& p = v.positions[i];
  const auto& underlyings = p.instrument->underlyings;
  if (underlyings.empty()) return std::abs(v.s.base[i]);
  double exposure = 0;
  for (std::size_t k = 0; k < underlyings.size(); ++k) {
    exposure += std::abs(p.quantity * v.delta_per_unit({i, k}) * v.price(underlyings[k]));
  }
  return exposure;
}

// Every leg of the open positions, ordered by group (ascending underlying), then position.
void collect_legs(std::span<const Position> positions, MarginLegs& legs) {
  legs.clear();
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (positions[i].quantity == 0) continue;
    const auto& underlyings = positions[i].instrument->underlyings;
    for (std::size_t k = 0; k < underlyings.size(); ++k) legs.push_back({underlyings[k], 0, {i, k}, 0.0});
  }
  std::sort(legs.begin(), legs.end(), [](const detail::GroupLeg& a, const detail::GroupLeg& b) {
    if (a.group_underlying != b.group_underlying) return a.group_underlying < b.group_underlying;
    if (a.leg.position != b.leg.position) return a.leg.position < b.leg.position;
    return a.leg.underlying < b.leg.underlying;
  });
}

}  // namespace

double MarginResult::capital_efficiency() const {
  if (initial > 0) return gross / initial;
  return gross > 0 ? std::numeric_limits<double>::infinity() : 1.0;
}

void portfolio_margin(std::span<const Position> positions, const protocols::PriceVector& prices,
                      const MarginConfig& config, MarginScratch& scratch, MarginResult& r) {
  detail::Valuation v(positions, prices, scratch);
  collect_legs(positions, scratch.legs);
  r = MarginResult{std::move(r.groups), std::move(r.credits_applied)};
  r.groups.clear();
  const MarginLegs& legs = scratch.legs;
  for (std::size_t first = 0; first < legs.size();) {
    std::size_t last = first;
    while (last < legs.size() && legs[last].group_underlying == legs[first].group_underlying) ++last;
    r.groups.push_back(detail::margin_of_group(legs[first].group_underlying, first, last, v, config));
    for (std::size_t k = first; k < last; ++k) scratch.legs[k].group = r.groups.size() - 1;
    first = last;
  }
  detail::apply_credits(r.groups, config, scratch.credit_used, r.credits_applied);
  detail::outcome_margin(v, config, r);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (positions[i].quantity == 0) continue;
    const double haircut = exposure_notional(i, v) * config.haircut_of(positions[i].instrument->protocol);
    r.haircut_addon += haircut;
    r.gross += scratch.standalone_scan[i] + haircut;
  }
  detail::total(r, config);
}

MarginResult portfolio_margin(const std::vector<Position>& positions, const protocols::PriceVector& prices,
                              const MarginConfig& config) {
  MarginScratch scratch;
  MarginResult r;
  portfolio_margin(positions, prices, config, scratch, r);
  return r;
}

void refresh_latency(MarginResult& r, std::span<const Position> positions, const MarginLegs& legs,
                     const MarginConfig& config) {
  for (GroupMargin& g : r.groups) g.latency_addon = 0;
  double sigma = 0;
  for (std::size_t k = 0; k < legs.size(); ++k) {
    const detail::GroupLeg& l = legs[k];
    GroupMargin& g = r.groups[l.group];
    if (k == 0 || legs[k - 1].group != l.group) sigma = config.vol_annual_of(g.underlying);  // legs come by group
    g.latency_addon += detail::latency_of_leg(positions[l.leg.position], l.per_unit, g.price, sigma, config);
  }
  detail::total(r, config);
}

double standalone_margin(const Position& position, const protocols::PriceVector& prices, const MarginConfig& config) {
  return portfolio_margin(std::vector<Position>{position}, prices, config).gross;
}

void detail::total(MarginResult& r, const MarginConfig& config) {
  r.scan_risk = r.basis_charge = r.latency_addon = r.credits = 0;
  for (const GroupMargin& g : r.groups) {
    r.scan_risk += g.scan_risk;
    r.basis_charge += g.basis_charge;
    r.latency_addon += g.latency_addon;
    r.credits += g.credit;
  }
  const double charges =
      r.scan_risk + r.outcome_scan_risk + r.basis_charge + r.latency_addon + r.haircut_addon + r.resolution_addon;
  r.initial = std::max(0.0, charges - r.credits);
  r.maintenance = std::clamp(config.maintenance, 0.0, 1.0) * r.initial;
}

}  // namespace shardsim::broker
