// Models a batch of replicas as `compare` and `sweep` run them: a thread pool of `jobs`, a
// progress line (replicas done / total) on a terminal, and Ctrl-C, which stops handing out
// replicas and stops the running ones, so the command can write what was completed and exit 130.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/batch/replica.hpp"
#include "app/output/csv.hpp"

namespace shardsim::app {

// What `compare` and `sweep` share on the command line.
struct BatchOptions {
  std::uint64_t seeds = 10;  // per group
  std::uint64_t first_seed = 1;
  unsigned jobs = 1;
  std::string out_dir = "out";
  bool quiet = false;
  std::vector<std::string> metrics;  // --metric NAME=PATH[:higher|lower|neutral] (compare, sweep)
};

struct Batch {
  std::vector<ReplicaOutcome> outcomes;  // by index; only the first `reported` were run
  std::uint64_t reported = 0;
  std::uint64_t failed = 0;  // finished with an invariant broken
  bool interrupted = false;  // Ctrl-C (SIGINT) or SIGTERM
  // What every outcome's `metrics` hold, in order: key_metrics() first (so index m < key_metrics().size()
  // is that key metric), then per broker, then the user's (batch_metrics()).
  std::vector<MetricDef> metrics;
  std::uint64_t completed() const;  // reported, done and clean
};

// A group is what runs over every seed: a topology (compare) or a point (sweep). Replica i is
// group i % G with seed first_seed + i / G, so replicas go seed by seed and an interrupted batch
// keeps whole seeds where it can; the first seed of every group also keeps its report data.
struct BatchGroup {
  const Topology* topology = nullptr;
  std::string label;        // e.g. "colocated" or "[policy=none]"
  std::string replay_args;  // `shardsim run` arguments that replay it, before --seed
};

struct BatchPlan {
  std::string command;  // "compare" | "sweep", for the banner
  std::string noun;     // "topologies" | "points"
  std::vector<BatchGroup> groups;
  BatchOptions options;
};

// Runs every group over every seed; first, when there are user metrics (--metric, a topology's
// `metrics:`), checks their paths on a one-second run of every group (throws ParamError or
// TopologyError naming the path and what exists). Unless quiet: a banner, then one line per finished replica
// in index order (`replica I/N: LABEL seed S fingerprint=F`). A replica that broke an invariant
// is printed on stderr with its replay command, whatever `quiet` says.
Batch run_batch(const BatchPlan& plan);

// A metric for a table: 4 significant digits, or "-" when absent.
std::string format_metric(double v);

}  // namespace shardsim::app
