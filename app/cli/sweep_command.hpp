// Models `shardsim sweep TOPOLOGY --param PATH=V1,V2,... [--param ...] --seeds N [--jobs J]`:
// the cross product of the parameter values, each point run over the same N seeds; OUT/sweep.csv
// has one row per run (parameters, seed, fingerprint, metrics), OUT/sweep.json the mean and
// 95% CI of every metric per point, and OUT/report.html plots metric against parameter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/cli/replica_batch.hpp"

namespace shardsim::app {

struct SweepOptions {
  std::string topology;
  std::vector<std::string> params;  // each `PATH=V1,V2,...`
  BatchOptions batch;  // --seeds, --first-seed, --jobs, --out, --quiet
  bool risk = false;   // --risk: per broker solvency at each point (as `shardsim risk`)
};

// Exit codes: 0; 2 for a bad --param or a value the topology rejects (checked before any run);
// 3 when a run broke an invariant or a file could not be written; 130 on Ctrl-C.
int sweep_command(const SweepOptions& options);

}  // namespace shardsim::app
