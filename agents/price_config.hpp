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

// A scripted move of one asset's true price (`script: price:` now, `price_crash` faults later).
struct PriceMove {
  std::uint32_t asset = 0;
  core::SimTime at;
  std::optional<double> set;    // the true price becomes this at `at`, and moves on from there
  std::optional<double> shock;  // relative move, e.g. -40% -> -0.4, spread over `over`
  core::Duration over;          // 0: instantaneous
};

}  // namespace shardsim::agents
