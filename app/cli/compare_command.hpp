// Models `shardsim compare A.yaml B.yaml [...] [--param T:PATH=V] [--metric NAME=PATH] [--seeds N]`:
// every topology over the same seeds; per metric (app/batch/metrics.hpp) the mean with a 95% CI,
// the paired difference from A with its own CI and a verdict (which side is better, where that CI
// excludes 0); a table on stdout, and OUT/compare.json, compare.csv and report.html.
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
  // --param [T:]PATH=V: set PATH in topology T (a letter A, B, ... or a position 1, 2, ...), in
  // every topology without T. With one file and settings for B, the file is compared with itself.
  std::vector<std::string> params;
};

// Exit codes: 0; 3 when a replica broke an invariant or a file could not be written; 130 on
// Ctrl-C (the files then hold the replicas completed so far, marked incomplete).
int compare_command(const CompareOptions& options);

// A short name for a topology file: its file name without directory and .yaml/.yml.
std::string topology_label(const std::string& file);

}  // namespace shardsim::app
