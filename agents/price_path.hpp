// Models the exogenous true-price process: per-asset paths precomputed on a fixed time grid as a
// pure function of (seed, asset, time), with scripted set/shock moves applied on top; pegged
// assets follow their peg times a depeg ratio.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/price_config.hpp"
#include "agents/price_csv.hpp"
#include "core/time.hpp"

namespace shardsim::agents {

class PricePath {
 public:
  // Largest total number of grid points over all assets (400 MB of doubles).
  static constexpr std::size_t kMaxTotalGridPoints = 50'000'000;

  // asset_symbols: every asset of the topology, by index (PriceAssetSpec::asset indexes into it).
  // horizon: the run duration; the grid covers [0, horizon] at spec.step.
  // moves: scripted set/shock moves and price_crash faults (any order; applied sorted by (at,
  // input order)). A move of a pegged asset acts on top of its peg's path.
  // replay: the parsed CSV rows when spec.model == replay (ignored otherwise).
  // depegs: depeg faults of pegged assets (any order). A pegged asset's path is its peg's path
  // (moves included) times the depeg ratio at each grid time.
  // Throws std::invalid_argument with a clear message if the correlation matrix is not positive
  // semi-definite, a replay asset has no rows, the grid would exceed kMaxTotalGridPoints, or any
  // other input is invalid (step <= 0, horizon < 0, unknown asset index, bad move, a peg without
  // a process of its own, a depeg of an unpegged asset...).
  PricePath(const PricesSpec& spec, std::vector<std::string> asset_symbols, std::uint64_t seed,
            core::Duration horizon, const std::vector<PriceMove>& moves,
            const std::vector<PricePoint>& replay, const std::vector<Depeg>& depegs = {});

  // Every check the constructor makes, without generating a path (cheap): throws the same
  // std::invalid_argument the constructor would, for any seed. Lets a topology be rejected
  // when it is loaded rather than when its world is built.
  static void check(const PricesSpec& spec, const std::vector<std::string>& asset_symbols, core::Duration horizon,
                    const std::vector<PriceMove>& moves, const std::vector<PricePoint>& replay,
                    const std::vector<Depeg>& depegs = {});

  // A process is configured for the asset.
  bool has(std::uint32_t asset) const {
    return asset < paths_.size() && !paths_[asset].empty();
  }
  // Value at grid point floor(t / step), clamped to [0, horizon]. Precondition: has(asset)
  // (otherwise throws std::out_of_range).
  double price(std::uint32_t asset, core::SimTime t) const;
  // The asset whose price a pegged asset follows; nothing for an asset with its own process.
  std::optional<std::uint32_t> peg_of(std::uint32_t asset) const {
    return asset < peg_of_.size() ? peg_of_[asset] : std::nullopt;
  }
  core::Duration step() const { return step_; }
  // Per asset: K + 1 with K = ceil(horizon / step).
  std::size_t grid_points() const { return grid_points_; }

 private:
  std::size_t grid_index(core::SimTime t) const;
  // The moves of pegged assets (pegged == true) or of the others.
  void apply_moves(const std::vector<PriceMove>& moves, bool pegged);
  void build_pegged_paths(const std::vector<Depeg>& depegs);
  void apply_set(std::vector<double>& path, core::SimTime at, double value) const;
  void apply_shock(std::vector<double>& path, core::SimTime at, double shock, core::Duration over) const;

  std::vector<std::string> asset_symbols_;
  core::Duration step_;
  std::size_t grid_points_ = 0;
  std::vector<std::vector<double>> paths_;  // by asset index; empty: no process
  std::vector<std::optional<std::uint32_t>> peg_of_;  // by asset index
};

}  // namespace shardsim::agents
