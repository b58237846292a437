// Describes a latency model as plain data (what a topology says), before it is turned into a
// sampler. Shared by the topology loader and core/latency.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.hpp"

namespace shardsim::core {

enum class LatencyKind : std::uint8_t { constant, uniform, lognormal, normal, empirical };

struct EmpiricalPoint {
  Duration value;    // a latency observation
  double weight = 1; // its relative frequency (> 0)
};

struct LatencySpec {
  LatencyKind kind = LatencyKind::constant;
  Duration value;                      // constant
  Duration low, high;                  // uniform, inclusive bounds
  Duration median;                     // lognormal
  double sigma = 0;                    // lognormal (of log), normal (as a Duration below)
  Duration mean, stddev;               // normal
  std::vector<EmpiricalPoint> table;   // empirical: sampled by weight
  std::optional<Duration> min;         // floor applied to every draw; also the link's bound
};

}  // namespace shardsim::core
