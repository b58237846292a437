// Models message latency: LatencySpec samplers and the per-link table that sets the lookahead.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/latency_spec.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"

namespace shardsim::core {

// An immutable sampler. Safe to share read-only between logical processes: every draw takes
// randomness from the caller's own Rng. A constant model draws nothing from the Rng.
class LatencyModel {
 public:
  // Throws std::invalid_argument naming the field if the spec is not sane (the loader should
  // already have rejected it with a file and line).
  static LatencyModel from_spec(const LatencySpec& spec);

  Duration sample(Rng& rng) const;  // whole microseconds, never below floor()
  // Lowest possible draw: the kind's own lower bound (constant value, uniform low, smallest
  // empirical value; spec.min or 1us for lognormal/normal), raised to spec.min and to 1us.
  Duration floor() const { return floor_; }
  // Analytical mean: exact for constant, uniform and empirical (floor included); for lognormal
  // and normal the untruncated mean, raised to floor().
  Duration mean_estimate() const { return mean_estimate_; }
  const LatencySpec& spec() const { return spec_; }

 private:
  explicit LatencyModel(const LatencySpec& spec);
  Duration draw_unfloored(Rng& rng) const;
  Duration draw_normal_truncated(Rng& rng) const;
  Duration draw_empirical(Rng& rng) const;
  Duration compute_floor() const;
  Duration compute_mean_estimate() const;

  LatencySpec spec_;
  std::vector<double> cumulative_weights_;  // empirical only: running sum of table weights
  Duration floor_;
  Duration mean_estimate_;
};

// Latency between endpoints 0..endpoint_count-1: one default model plus directed per-pair
// overrides. Built at load time, then read-only (safe to share between threads).
class LinkTable {
 public:
  explicit LinkTable(std::uint32_t endpoint_count, LatencySpec default_spec);
  // Directed: (from, to) does not set (to, from). Setting a pair again replaces it.
  void set_pair(std::uint32_t from, std::uint32_t to, const LatencySpec& spec);
  const LatencyModel& get(std::uint32_t from, std::uint32_t to) const;
  // Minimum floor() over every pair with from != to; with one endpoint, the default's floor.
  Duration lookahead() const;

 private:
  static std::uint64_t pair_key(std::uint32_t from, std::uint32_t to);
  void check_endpoint(std::uint32_t endpoint) const;

  std::uint32_t endpoint_count_;
  LatencyModel default_model_;
  std::map<std::uint64_t, LatencyModel> overrides_;  // ordered: iteration is deterministic
};

}  // namespace shardsim::core
