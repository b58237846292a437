// Models the broker's portfolio margin (spec/clearing.md §1, SPAN style): scan risk by
// revaluation per underlying group, basis charge, cross-group credits, protocol haircuts and the
// latency add-on. A pure function of (positions, snapshots, prices, config): no engine, no I/O.
//
// Rules where the spec leaves a choice:
// - Groups: an instrument belongs to the group of each of its underlyings. A multi-underlying
//   instrument (an LP share) is revalued under each group's scenarios with the other prices
//   fixed; joint moves are left to the credits.
// - Delta: from the descriptor's deltas_per_unit; by central difference if it gives none.
// - Basis: per group, net the delta notional of each protocol; offset = min(sum of long nets,
//   sum of short nets). Hedges inside one protocol carry no basis charge.
// - Credits: only between legs of opposite delta sign (CreditLegs::same for negatively
//   correlated pairs); the per-unit scan risk is the group's scan risk / |delta| before credits;
//   each pair uses the delta left by the pairs before it, so a group never gets more than its
//   scan risk back.
// - Haircut exposure: sum over legs of |quantity * delta * price|, |value| if no underlyings.
// - Latency: |unhedged * delta| * price * vol_annual * sqrt(settlement / 365 d) * z, per leg.
// - Stand-alone margin of a position (for gross): its own scan risk plus its haircut.
#pragma once

#include <cstddef>
#include <vector>

#include "broker/margin_config.hpp"
#include "broker/portfolio.hpp"

namespace shardsim::broker {

MarginResult portfolio_margin(const std::vector<Position>& positions, const protocols::PriceVector& prices,
                              const MarginConfig& config);

// One position alone: what a venue would ask for it. `gross` is the sum of these.
double standalone_margin(const Position& position, const protocols::PriceVector& prices, const MarginConfig& config);

namespace detail {

inline constexpr double kSecondsPerYear = 365.0 * 86'400.0;  // crypto trades every day

// One position's exposure to one of its underlyings.
struct Leg {
  std::size_t position = 0;
  std::size_t underlying = 0;  // index into the instrument's underlyings
};

// The revaluation state shared by every group of one computation.
struct Valuation {
  const std::vector<Position>& positions;
  const protocols::PriceVector& prices;
  std::vector<double> base;        // each position's value at the current prices
  protocols::PriceVector scratch;  // the current prices, with one entry moved at a time
  std::vector<double> standalone_scan;  // each position's own scan risk, summed over its groups

  Valuation(const std::vector<Position>& p, const protocols::PriceVector& px);
  double value(std::size_t position);  // at the scratch prices
  double price(protocols::AssetId asset) const;
  double delta_per_unit(const Leg& leg);  // d(value of one unit)/d(price)
};

// Scan risk, delta, basis and latency add-on of one group; adds each leg's own worst loss into
// v.standalone_scan.
GroupMargin margin_of_group(protocols::AssetId underlying, const std::vector<Leg>& legs, Valuation& v,
                            const MarginConfig& config);

// Applies the configured credits in order to the groups (ascending underlying), filling their
// `credit`, and reports what each pair gave.
std::vector<CreditApplied> apply_credits(std::vector<GroupMargin>& groups, const MarginConfig& config);

}  // namespace detail
}  // namespace shardsim::broker
