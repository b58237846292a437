// Models the configuration of the exogenous true-price process (the topology's `prices:`
// section and scripted price moves), as plain data the loader fills and PricePath consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace shardsim::agents {

// `prices:` the exogenous true-price process; a pure function of (seed, asset, time).
enum class PriceModelKind : std::uint8_t { gbm, correlated_gbm, jump_diffusion, replay };

struct PriceAssetSpec {
  std::uint32_t asset = 0;   // index into Topology::assets
  // A pegged asset (`sBTC: {peg: BTC}`) has no process of its own: its true price is the peg
  // asset's times a ratio that is 1 until a Depeg moves it. The peg asset has a process of its
  // own and is not pegged itself. The fields below are unused for a pegged asset.
  std::optional<std::uint32_t> peg;
  double initial = 1;        // > 0
  double vol_annual = 0;     // >= 0, e.g. 80% -> 0.8
  double drift_annual = 0;
  // jump_diffusion only (Merton): Poisson jumps per year, log-jump mean and stddev.
  double jump_intensity_annual = 0;
  double jump_mean = 0;
  double jump_stddev = 0;
};

struct CorrelationSpec {
  std::uint32_t a = 0, b = 0;  // asset indexes, a != b
  double rho = 0;              // in [-1, 1]
};

struct PricesSpec {
  bool present = false;
  PriceModelKind model = PriceModelKind::gbm;
  core::Duration step = core::Duration::s(1);  // grid of the precomputed path
  std::vector<PriceAssetSpec> assets;
  std::vector<CorrelationSpec> correlations;   // correlated_gbm
  std::string replay_file;                     // replay: CSV `time,asset,price`, path relative to the topology
};

// A scripted move of one asset's true price (`script: price:` entries and `price_crash` faults).
struct PriceMove {
  std::uint32_t asset = 0;
  core::SimTime at;
  std::optional<double> set;    // the true price becomes this at `at`, and moves on from there
  std::optional<double> shock;  // relative move, e.g. -40% -> -0.4, spread over `over`
  core::Duration over;          // 0: instantaneous
};

// A `depeg` fault: from `at`, the ratio of a pegged asset's price to its peg's price moves
// linearly from its value at `at` (1 unless an earlier depeg moved it) to `to` over `over`, then
// stays at `to`. A later depeg of the same asset takes over from its own `at`.
struct Depeg {
  std::uint32_t asset = 0;  // a pegged asset
  core::SimTime at;
  core::Duration over;      // >= 0; 0: instantaneous
  double to = 1;            // > 0, e.g. 0.92
};

}  // namespace shardsim::agents
