// Models a replica: one run of one topology with one seed, reduced to what `compare` and
// `sweep` keep (its fingerprint, completeness and key metrics), and the pool that runs many of
// them on a Boost.Asio thread pool. A replica is a pure function of (topology, seed, build):
// each World lives on one thread, so results do not depend on the number of jobs.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/batch/metrics.hpp"
#include "app/topology/topology.hpp"
#include "app/observe/simulation.hpp"
#include "core/engine.hpp"

namespace shardsim::app {

// The summary `shardsim run` writes: run facts first, then World::results().
nlohmann::ordered_json make_summary(const Topology& topology, std::uint64_t seed, Simulation& world,
                                    const core::RunStats& stats, const std::string& error, double wall_seconds);
std::string hex16(std::uint64_t v);

struct ReplicaOutcome {
  std::uint64_t seed = 0;
  bool done = false;      // ran to its end (not stopped by Ctrl-C)
  std::string error;      // a limit, an exception or a conservation breach; empty when clean
  std::uint64_t fingerprint = 0;
  std::uint64_t events = 0;
  std::vector<std::optional<double>> metrics;  // in the order of the metrics it was run with
  nlohmann::ordered_json brokers;              // the summary's `brokers` entries (per-broker risk)
  nlohmann::ordered_json protocol_losses;      // the summary's cascade.protocols: per protocol, its losses by absorber (USD)
  nlohmann::ordered_json report;               // World report data, when asked for
};

// Runs `topology` with `seed`. `stop` (may be null) is polled every few thousand events; a
// stopped replica comes back with done = false. `want_report` captures the report data;
// `metrics` are read from its summary (app/batch/metrics.hpp).
ReplicaOutcome run_replica(const Topology& topology, std::uint64_t seed, const std::atomic<bool>* stop,
                           bool want_report, const std::vector<MetricDef>& metrics);

// The summary of `topology` run for one simulated second at its own seed: every section a full
// run's summary has, cheaply, to check user metric paths before a batch starts.
nlohmann::ordered_json probe_summary(const Topology& topology);

// Runs task(i) for i in 0..count-1 on `jobs` threads, and calls done(i) in index order (one
// call at a time, after every earlier index's done). Once `stop` is set no new task starts;
// tasks already running finish (they can poll `stop` themselves). Returns how many tasks
// reported, a prefix 0..k-1 of the indices.
std::uint64_t run_ordered(std::uint64_t count, unsigned jobs, const std::function<void(std::uint64_t)>& task,
                          const std::function<void(std::uint64_t)>& done, const std::atomic<bool>* stop);

}  // namespace shardsim::app
