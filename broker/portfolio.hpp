// Models what the margin engine reads and reports: a portfolio of positions in protocol
// instruments (each revalued from the last snapshot its shard published) and its margin.
#pragma once

#include <cstddef>
#include <vector>

#include "broker/margin_config.hpp"
#include "core/time.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::broker {

// One holding. The descriptor and snapshot are borrowed: the broker's LP owns them (they arrive
// in shard snapshots) and keeps them alive while it computes margin.
struct Position {
  const protocols::InstrumentDescriptor* instrument = nullptr;
  double quantity = 0;                                   // signed, whole units of the instrument
  const protocols::ProtocolSnapshot* snapshot = nullptr;  // null: an empty snapshot
  double unhedged_quantity = 0;    // units not hedged yet or whose hedge is in flight (sign ignored)
  core::Duration expected_settlement{};  // expected settlement time of that hedge on its link
};

// The margin of one underlying group (BTC, ETH, ...), before and after credits.
struct GroupMargin {
  protocols::AssetId underlying = 0;
  std::size_t legs = 0;         // positions (or legs of multi-underlying ones) in the group
  double price = 0;             // current price of the underlying
  double scan_range = 0;
  double scan_risk = 0;         // worst scenario loss, >= 0
  double delta_units = 0;       // sum of quantity * d(value)/d(price)
  double delta_notional = 0;    // delta_units * price (USD)
  double offset_notional = 0;   // min(long, short) of the per-protocol net notionals
  double basis_charge = 0;
  double latency_addon = 0;
  double credit = 0;            // credit this group received from all pairs
};

// What one configured credit pair gave, in configured order (zero when it did not apply).
struct CreditApplied {
  protocols::AssetId a = 0;
  protocols::AssetId b = 0;
  double spreads = 0;  // in the pair's delta unit
  double credit = 0;   // both legs
};

struct MarginResult {
  std::vector<GroupMargin> groups;  // ascending underlying id
  std::vector<CreditApplied> credits_applied;
  double scan_risk = 0;      // sums over groups
  double basis_charge = 0;
  double latency_addon = 0;
  double haircut_addon = 0;  // sum over positions of exposure * haircut(protocol)
  // Outcome claims (broker/outcome_scan.cpp): the worst loss over each market's resolutions,
  // summed over markets, and the resolution-risk add-on.
  double outcome_scan_risk = 0;
  double resolution_addon = 0;
  double credits = 0;
  double initial = 0;        // scan + outcome scan + basis + add-ons - credits, floored at 0
  double maintenance = 0;    // config.maintenance * initial
  double gross = 0;          // sum of stand-alone margins: what each venue would ask for each leg
  double net() const { return initial; }
  // gross / net; +infinity for a fully offset book that still has gross margin, 1 when both are 0.
  double capital_efficiency() const;
};

}  // namespace shardsim::broker
