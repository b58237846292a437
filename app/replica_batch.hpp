// Models a batch of replicas as `compare` and `sweep` run them: a thread pool of `jobs`, a
// progress line (replicas done / total) on a terminal, and Ctrl-C, which stops handing out
// replicas and stops the running ones, so the command can write what was completed and exit 130.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/replica.hpp"

namespace shardsim::app {

struct ReplicaSpec {
  const Topology* topology = nullptr;
  std::uint64_t seed = 0;
  bool want_report = false;
};

struct Batch {
  std::vector<ReplicaOutcome> outcomes;  // by index; only the first `reported` were run
  std::uint64_t reported = 0;
  std::uint64_t failed = 0;  // finished with an invariant broken
  bool interrupted = false;  // Ctrl-C (SIGINT) or SIGTERM
  std::uint64_t completed() const;  // reported, done and clean
};

// What a batch runs and how it names its replicas. Replica i is spec(i); the seeds are
// first_seed .. first_seed + seeds - 1 and every group (topology or point) runs all of them.
struct BatchPlan {
  std::string command;  // "compare" | "sweep", for the banner
  std::string groups;   // e.g. "2 topologies"
  std::uint64_t group_count = 0;
  std::uint64_t seeds = 0;
  std::uint64_t first_seed = 1;
  unsigned jobs = 1;
  bool quiet = false;
  std::function<ReplicaSpec(std::uint64_t)> spec;
  std::function<std::string(std::uint64_t)> label;  // the replica's group, e.g. "colocated"
  std::function<std::string(std::uint64_t)> topology_file;  // `run` arguments that replay it, before --seed
};

// Runs plan.group_count x plan.seeds replicas. Unless quiet: a banner, then one line per
// finished replica in index order (`replica I/N: LABEL seed S fingerprint=F`). A replica that
// broke an invariant is printed on stderr with its replay command, whatever `quiet` says.
Batch run_batch(const BatchPlan& plan);

// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);
// A metric for a table: 4 significant digits, or "-" when absent.
std::string format_metric(double v);

}  // namespace shardsim::app
