// Models the parameters of an Augur v2 style prediction-market protocol: the collateral, the LMSR
// liquidity parameter, the settlement fees and the reporting / dispute / fork timetable.
#pragma once

#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::prediction {

// The share of forfeited (losing) stake that is burned at finalisation; the rest goes pro rata
// to the stakers of the final outcome (spec section 3, resolution rule 3).
inline constexpr i128 kForfeitBurnWad = kWadUnit / 5;  // 20%

struct Params {
  AssetId collateral = 0;                 // default USDC
  core::Amount b;                         // LMSR liquidity parameter, in collateral units (default 1000)
  i128 creator_fee_wad = kWadUnit / 100;  // 1% of each winning payout, to the market creator
  i128 reporting_fee_wad = kWadUnit / 200;  // 0.5% of each winning payout, to the final outcome's stakers
  core::Amount fork_threshold;            // a filled dispute bond above this forks (default 100000)
  core::Duration dispute_window = core::Duration::h(24);
  core::Duration designated_report_window = core::Duration::h(24);
  core::Duration fork_freeze = core::Duration::d(60);
  // Not in the spec's table: the initial-report bond, and the no-show bond the creator posts at
  // creation (the first public reporter wins it when the designated reporter does not report).
  core::Amount report_bond;  // default 10

  // The spec's defaults for a collateral with `decimals` decimals.
  static Params defaults(AssetId collateral, int decimals) {
    Params p;
    p.collateral = collateral;
    p.b = *core::Amount::parse("1000", decimals);
    p.fork_threshold = *core::Amount::parse("100000", decimals);
    p.report_bond = *core::Amount::parse("10", decimals);
    return p;
  }
};

}  // namespace shardsim::protocols::prediction
