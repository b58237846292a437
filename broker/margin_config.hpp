// Models the parameters of the broker's portfolio margin (spec/clearing.md §1), as the topology's
// `margin:` block sets them: scan ranges, extreme moves, basis charge, credits, haircuts, latency.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/api/ids.hpp"

namespace shardsim::broker {

// How a credit pair measures delta, and so what its ratio means.
enum class DeltaUnit {
  notional_usd,      // delta * price: ratio 1:1 means equal dollar exposure (default, fits crypto)
  underlying_units,  // whole units of the underlying, as CME counts contracts (e.g. 2 corn : 1 soy)
};

// Which legs of a pair offset each other. Correlated underlyings (BTC, ETH) offset when their
// deltas have opposite signs (long A / short B); negatively correlated ones when they agree.
enum class CreditLegs { opposite, same };

// One inter-group credit: `spreads = min(|delta_a| / ratio_a, |delta_b| / ratio_b)` and
// `credit = spreads * ratio * (scan risk per unit of delta) * rate`, summed over both legs.
struct CreditPair {
  protocols::AssetId a = 0;
  protocols::AssetId b = 0;
  double rate = 0;  // 0..1 of the scan risk of the delta used in spreads
  double ratio_a = 1;
  double ratio_b = 1;
  DeltaUnit unit = DeltaUnit::notional_usd;
  CreditLegs legs = CreditLegs::opposite;
};

// Ratios are plain doubles: this is a risk model, which DESIGN §4 allows to use floating point.
struct MarginConfig {
  std::map<protocols::AssetId, double> scan_range;  // per underlying group, e.g. BTC 0.10
  double scan_range_default = 0;                    // groups without an entry (e.g. USDC)
  double extreme_multiplier = 2;
  double extreme_fraction = 0.35;  // share of the extreme-move loss that counts
  double basis_charge = 0.01;      // of the offset notional across protocols in a group
  std::vector<CreditPair> credits;  // applied in this (priority) order
  std::map<std::string, double, std::less<>> haircuts;  // per protocol name, e.g. snx 0.03
  double latency_z = 2.33;
  double maintenance = 0.75;  // maintenance = maintenance * initial
  // Outcome claims (prediction shares): an add-on of this fraction of each position's largest
  // payoff (|quantity| x max payoff, collateral = USD), for resolution and dispute risk
  // (a mis-report, a dispute or fork freezing the market) that the resolution scan cannot see.
  double resolution_charge = 0.02;
  std::map<protocols::AssetId, double> vol_annual;  // sigma for the latency add-on; missing = 0

  double scan_range_of(protocols::AssetId underlying) const;
  double vol_annual_of(protocols::AssetId underlying) const;
  double haircut_of(std::string_view protocol) const;  // 0 for a protocol without a haircut
  // The first out-of-range parameter, described for the loader's error message; nothing if valid.
  std::optional<std::string> invalid_reason() const;
};

}  // namespace shardsim::broker
