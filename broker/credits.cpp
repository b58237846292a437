// Cross-group credits between correlated underlyings (CME inter-commodity spreads), applied in
// the configured priority order, each pair using the delta the pairs before it left.
#include <algorithm>
#include <cmath>

#include "broker/margin_engine.hpp"

namespace shardsim::broker::detail {
namespace {

GroupMargin* find_group(std::vector<GroupMargin>& groups, protocols::AssetId underlying) {
  const auto it = std::lower_bound(groups.begin(), groups.end(), underlying,
                                   [](const GroupMargin& g, protocols::AssetId u) { return g.underlying < u; });
  return it != groups.end() && it->underlying == underlying ? &*it : nullptr;
}

double delta_in(const GroupMargin& g, DeltaUnit unit) {
  return unit == DeltaUnit::underlying_units ? g.delta_units : g.delta_notional;
}

}  // namespace

void apply_credits(std::vector<GroupMargin>& groups, const MarginConfig& config, std::vector<double>& used,
                   std::vector<CreditApplied>& out) {
  // Share of each group's delta already used in spreads, 0..1 (unit-free, so pairs measured in
  // different units draw on one budget).
  used.assign(groups.size(), 0.0);
  out.clear();
  for (const CreditPair& c : config.credits) {
    CreditApplied& applied = out.emplace_back(CreditApplied{c.a, c.b, 0.0, 0.0});
    GroupMargin* ga = find_group(groups, c.a);
    GroupMargin* gb = find_group(groups, c.b);
    if (!ga || !gb || ga == gb || !(c.ratio_a > 0) || !(c.ratio_b > 0)) continue;
    const double delta_a = delta_in(*ga, c.unit);
    const double delta_b = delta_in(*gb, c.unit);
    if (delta_a == 0 || delta_b == 0 || !std::isfinite(delta_a) || !std::isfinite(delta_b)) continue;
    const bool opposite = (delta_a > 0) != (delta_b > 0);
    if (opposite != (c.legs == CreditLegs::opposite)) continue;

    double& used_a = used[static_cast<std::size_t>(ga - groups.data())];
    double& used_b = used[static_cast<std::size_t>(gb - groups.data())];
    const double spreads = std::min((1 - used_a) * std::abs(delta_a) / c.ratio_a,
                                    (1 - used_b) * std::abs(delta_b) / c.ratio_b);
    if (!(spreads > 0)) continue;
    const double rate = std::clamp(c.rate, 0.0, 1.0);
    const double credit_a = spreads * c.ratio_a * (ga->scan_risk / std::abs(delta_a)) * rate;
    const double credit_b = spreads * c.ratio_b * (gb->scan_risk / std::abs(delta_b)) * rate;
    used_a = std::min(1.0, used_a + spreads * c.ratio_a / std::abs(delta_a));
    used_b = std::min(1.0, used_b + spreads * c.ratio_b / std::abs(delta_b));
    // Guard against rounding: a group never gets back more than its scan risk.
    const double given_a = std::min(credit_a, ga->scan_risk - ga->credit);
    const double given_b = std::min(credit_b, gb->scan_risk - gb->credit);
    ga->credit += given_a;
    gb->credit += given_b;
    applied.spreads = spreads;
    applied.credit = given_a + given_b;
  }
}

}  // namespace shardsim::broker::detail
