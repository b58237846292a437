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
//
// Incremental use: the latency add-on is the only part that reads a position's unhedged
// quantity and expected settlement, so a caller that keeps a result and its legs
// (`MarginLegs`) can re-price the add-on alone with `refresh_latency`, bit for bit what a full
// computation gives. Everything else is a function of the positions' quantities, their
// snapshots' values and the prices of their underlyings (an instrument's `revalue` reads no
// other price, and of its snapshot only the values named by its `snapshot_keys`, when given).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/margin_config.hpp"
#include "broker/portfolio.hpp"

namespace shardsim::broker {

namespace detail {

// One position's exposure to one of its underlyings.
struct Leg {
  std::size_t position = 0;
  std::size_t underlying = 0;  // index into the instrument's underlyings
};

// A leg with the group it falls in and its delta: what the latency add-on needs of it.
struct GroupLeg {
  protocols::AssetId group_underlying = 0;
  std::size_t group = 0;  // index into MarginResult::groups
  Leg leg;
  double per_unit = 0;    // d(value of one unit)/d(price)
};

}  // namespace detail

// The legs of one computation in the order the engine summed them (group, then position).
using MarginLegs = std::vector<detail::GroupLeg>;

// Reusable buffers: a caller that keeps one (and its MarginResult) computes margins without
// allocating once the buffers have grown to its largest portfolio.
struct MarginScratch {
  MarginLegs legs;
  std::vector<double> base;             // each position's value at the current prices
  std::vector<double> standalone_scan;  // each position's own scan risk, summed over its groups
  std::vector<double> own_worst;        // per leg of the group being scanned
  std::vector<double> credit_used;      // per group, share of its delta used in spreads
  protocols::PriceVector prices;        // the current prices, with one entry moved at a time
  std::vector<std::pair<std::string_view, double>> net_by_protocol;
  std::vector<std::size_t> claims;      // positions that are outcome claims, by market
};

MarginResult portfolio_margin(const std::vector<Position>& positions, const protocols::PriceVector& prices,
                              const MarginConfig& config);
// The same into `out`, reusing its vectors and `scratch`; `scratch.legs` keeps the legs after.
void portfolio_margin(std::span<const Position> positions, const protocols::PriceVector& prices,
                      const MarginConfig& config, MarginScratch& scratch, MarginResult& out);

// Re-prices the latency add-on of `r`, computed earlier from `positions` with these `legs`,
// after only their unhedged quantities or expected settlements changed; then its totals.
void refresh_latency(MarginResult& r, std::span<const Position> positions, const MarginLegs& legs,
                     const MarginConfig& config);

// One position alone: what a venue would ask for it. `gross` is the sum of these.
double standalone_margin(const Position& position, const protocols::PriceVector& prices, const MarginConfig& config);

namespace detail {

inline constexpr double kSecondsPerYear = 365.0 * 86'400.0;  // crypto trades every day

// The revaluation state shared by every group of one computation.
struct Valuation {
  std::span<const Position> positions;
  const protocols::PriceVector& prices;
  MarginScratch& s;

  Valuation(std::span<const Position> p, const protocols::PriceVector& px, MarginScratch& scratch);
  double value(std::size_t position);  // at the scratch prices
  double price(protocols::AssetId asset) const;
  double delta_per_unit(const Leg& leg);  // d(value of one unit)/d(price)
};

// The latency add-on of one leg whose delta per unit is `per_unit`, in a group at `price`.
double latency_of_leg(const Position& p, double per_unit, double price, double sigma, const MarginConfig& config);

// Scan risk, delta, basis and latency add-on of one group (legs [first, last) of v.s.legs);
// adds each leg's own worst loss into v.s.standalone_scan and records each leg's delta.
GroupMargin margin_of_group(protocols::AssetId underlying, std::size_t first, std::size_t last, Valuation& v,
                            const MarginConfig& config);

// Outcome claims (broker/outcome_scan.cpp): per market, the worst loss over its resolutions (each
// outcome winning in turn, each claim paying its payoff_if), into r.outcome_scan_risk; each
// claim's own worst loss into v.s.standalone_scan; the resolution add-on into r.resolution_addon
// and, per claim, into r.gross.
void outcome_margin(Valuation& v, const MarginConfig& config, MarginResult& r);

// Applies the configured credits in order to the groups (ascending underlying), filling their
// `credit`, and reports what each pair gave into `out`.
void apply_credits(std::vector<GroupMargin>& groups, const MarginConfig& config, std::vector<double>& used,
                   std::vector<CreditApplied>& out);

// The result's totals from its groups, haircut add-on and gross: scan risk, basis, latency,
// credits, then initial and maintenance.
void total(MarginResult& r, const MarginConfig& config);

}  // namespace detail
}  // namespace shardsim::broker
