// Models the parameters of a dYdX v3 style perpetuals exchange: the collateral (quote) asset, one
// market per index asset with its initial and maintenance margin fractions, funding and fees.
#pragma once

#include <string>
#include <vector>

#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::perps {

// Spec defaults (spec/protocols.md section 4), as WAD fractions.
inline constexpr i128 kDefaultImfWad = kWadUnit / 20;               // 5%
inline constexpr i128 kDefaultMmfWad = kWadUnit * 3 / 100;          // 3%
inline constexpr i128 kDefaultFundingInterestWad = 12'500'000'000'000;  // 0.00125% per interval
inline constexpr core::Duration kDefaultFundingInterval = core::Duration::h(1);

struct MarketConfig {
  std::string name;        // e.g. BTC-PERP
  AssetId index = 0;       // the asset whose oracle price is the index and mark price
  i128 imf_wad = kDefaultImfWad;
  i128 mmf_wad = kDefaultMmfWad;
  // Finite depth: what the book does not fill trades on a virtual AMM holding this much virtual
  // USD quote at its peg (WAD; see depth.cpp). 0: an infinite house at mark +/- spread.
  i128 vamm_depth_wad = 0;
};

struct PerpsConfig {
  AssetId collateral = 0;                 // the quote asset; 1 collateral unit is taken as 1 USD
  std::vector<MarketConfig> markets;      // in topology order
  core::Duration funding_interval = kDefaultFundingInterval;
  // Funding rate per interval = premium TWAP / 8 + this (see funding.cpp).
  i128 funding_interest_wad = kDefaultFundingInterestWad;
  i128 spread_wad = 0;                    // house trades execute at mark * (1 +/- spread); vAMM ones pay it on top
  core::Amount insurance_fund;            // initial fund, minted into the protocol's account
  i128 liquidation_penalty_wad = 0;       // share of closed notional moved from equity to the fund
  // Share of that penalty paid to whoever sends the liquidation (the liquidator's reward), the
  // rest going to the fund. The spec (section 4) names no reward; with 0 a liquidation earns nothing.
  i128 liquidator_share_wad = 0;
};

}  // namespace shardsim::protocols::perps
