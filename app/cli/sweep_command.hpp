// Models `shardsim sweep TOPOLOGY --param PATH=V1,V2,... [--param PATH=range:LO..HI --sample
// lhs:N] --seeds N [--jobs J]`: the cross product of the listed values (with, innermost, N
// Latin-hypercube or random samples of the ranges), each point run over the same seeds;
// OUT/sweep.csv has one row per run (parameters, seed, fingerprint, metrics), OUT/sweep.json the
// mean and 95% CI of every metric per point with each parameter's axis, and OUT/report.html plots
// metric against parameter (a numeric axis for numbers, a line per value of a second parameter,
// or a heatmap of two sampled ones).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/cli/replica_batch.hpp"

namespace shardsim::app {

struct SweepOptions {
  std::string topology;
  std::vector<std::string> params;  // each `PATH=V1,V2,...` or `PATH=range:LO..HI`
  std::string sample;               // `lhs:N` or `random:N`: how the ranges are sampled ("" without ranges)
  std::uint64_t sample_seed = 1;    // the design is a pure function of this seed
  BatchOptions batch;  // --seeds, --first-seed, --jobs, --out, --quiet
  bool risk = false;   // --risk: per broker solvency at each point (as `shardsim risk`)
};

// Exit codes: 0; 2 for a bad --param or a value the topology rejects (checked before any run);
// 3 when a run broke an invariant or a file could not be written; 130 on Ctrl-C.
int sweep_command(const SweepOptions& options);

}  // namespace shardsim::app
