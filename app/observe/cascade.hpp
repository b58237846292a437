// Models the cascade measures of spec/clearing.md §7 as a graph of who lost to whom: roots
// (faults, scripted price shocks and swaps, price moves nothing explains), then price moves of an
// oracle feed, liquidation waves on a protocol, a protocol's bad debt and a broker's insolvency,
// each linked to the events whose exposure it followed from (not merely the latest earlier event),
// with the edges' amounts where known, and the longest chain (`depth`).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardsim::app {

enum class CascadeKind : std::uint8_t { fault, script, price_move, liquidations, bad_debt, insolvent, shortfall };

struct CascadeEvent {
  std::string who;    // unique: "fault:oracle lend ETH", "price:ETH@lend@660s", "protocol:aave", "broker:giant"
  std::string what;   // "fault", "script", "price move", "liquidations", "bad debt", "insolvent"
  std::int64_t at_us = 0;
  CascadeKind kind = CascadeKind::fault;
  // What it touches: a fault's or script entry's shard and asset (none: every shard / no asset),
  // a price move's feed, a protocol event's shard and protocol, a broker event's broker.
  std::optional<std::uint32_t> shard, asset;
  std::string protocol, broker;
  std::int64_t until_us = 0;  // a root's effect lasts until then (its duration plus a window)
  std::optional<double> amount_usd;  // a protocol's bad debt, a broker's loss, a decree's write-off
  double move = 0;                   // a price move: relative change over the sample
  bool clearing_loss = false;        // an insolvent broker that booked unpaid obligations of others
  std::vector<std::size_t> causes;   // indexes of the events it followed from, primary first
};

// Orders events by time (at equal times, roots before price moves before liquidations before bad
// debt before insolvency), links each to its causes by exposure, drops scripted events that
// caused nothing, and returns the depth: the number of events on the longest cause chain (0
// without events).
//   price move of asset A on shard S: the liquidation waves on S in the window before it (their
//     sales moved the feed), else the root that moves A (a price fault or shock, an oracle fault
//     on S, a scripted swap on S: it moves S's pools) still in effect; none: a market move (root).
//   liquidations on a protocol of S: the price moves on S in the window before them, else the
//     roots in effect on S.
//   bad debt of a protocol: a protocol_insolvency fault on it, else its liquidation waves before
//     it, else the price moves on its shard, else the roots in effect on its shard.
//   insolvency of a broker: a broker_default fault on it; the latest price move in the window
//     before it or price root in effect; other brokers insolvent before it when it booked unpaid
//     obligations.
//   a broker's shortfall (its own loss past its capital, into its waterfall): its insolvency, a
//     decree on it, and the latest price move or price root as above (the loss it booked).
std::size_t link_causes(std::vector<CascadeEvent>& events);

nlohmann::ordered_json cascade_events_json(const std::vector<CascadeEvent>& events);
// Every cause as an edge {from, to, amount_usd}: amount_usd is what the later event lost (null
// when unknown).
nlohmann::ordered_json cascade_edges_json(const std::vector<CascadeEvent>& events);

}  // namespace shardsim::app
