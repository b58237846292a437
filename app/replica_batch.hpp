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
  bool interrupted = false;  // Ctrl-C (SIGINT) or SIGTERM
  std::uint64_t completed() const;  // reported, done and clean
};

// Runs replicas 0..count-1 described by spec(i). `on_done(i, outcome)` is called in index order.
Batch run_batch(std::uint64_t count, unsigned jobs, bool quiet, const std::function<ReplicaSpec(std::uint64_t)>& spec,
                const std::function<void(std::uint64_t, const ReplicaOutcome&)>& on_done = {});

// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);
// A metric for a table: 4 significant digits, or "-" when absent.
std::string format_metric(double v);

}  // namespace shardsim::app
