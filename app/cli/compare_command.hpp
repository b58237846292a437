// Models `shardsim compare A.yaml B.yaml [...] [--seeds N] [--jobs J]`: every topology over the
// same seeds; per key metric the mean with a 95% CI, and the paired difference from A with its
// own CI; a side-by-side table on stdout, and OUT/compare.json, compare.csv and report.html.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/cli/replica_batch.hpp"

namespace shardsim::app {

struct CompareOptions {
  std::vector<std::string> topologies;  // at least 2; the first is the baseline A
  BatchOptions batch;  // --seeds, --first-seed, --jobs, --out, --quiet
  bool risk = false;   // --risk: per broker solvency of each topology (as `shardsim risk`)
};

// Exit codes: 0; 3 when a replica broke an invariant or a file could not be written; 130 on
// Ctrl-C (the files then hold the replicas completed so far, marked incomplete).
int compare_command(const CompareOptions& options);

// A short name for a topology file: its file name without directory and .yaml/.yml.
std::string topology_label(const std::string& file);

}  // namespace shardsim::app
