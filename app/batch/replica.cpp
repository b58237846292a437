// One replica, and the ordered thread pool that runs many.
#include "app/batch/replica.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <mutex>

#include "app/batch/metrics.hpp"
#include "app/output/run_report.hpp"

namespace shardsim::app {

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

nlohmann::ordered_json make_summary(const Topology& topology, std::uint64_t seed, Simulation& world,
                                    const core::RunStats& stats, const std::string& error, double wall_seconds) {
  const bool complete = error.empty() && !stats.interrupted;
  nlohmann::ordered_json summary;
  summary["name"] = topology.name;
  summary["topology"] = topology.file;
  summary["seed"] = seed;
  summary["fingerprint"] = hex16(world.fingerprint());
  summary["complete"] = complete;
  summary["interrupted"] = stats.interrupted;
  if (!error.empty()) summary["error"] = error;
  if (!complete) {
    summary["incomplete_reason"] = stats.interrupted ? "interrupted (a signal or a stop request) at sim time " + stats.end_time.str()
                                                     : "a limit was hit at sim time " + stats.end_time.str() + ": " + error;
  }
  summary["engine"] = "sequential";
  summary["events"] = stats.events;
  summary["sim_seconds"] = stats.end_time.seconds();
  summary["duration"] = topology.duration.str();
  summary["wall_seconds"] = wall_seconds;
  summary["events_per_second"] = wall_seconds > 0 ? static_cast<double>(stats.events) / wall_seconds : 0.0;
  summary["lookahead_us"] = world.lookahead().count_us();
  summary["pending_events_at_end"] = world.engine().pending_events();
  summary["call_timeouts"] = stats.call_timeouts;
  summary["late_replies"] = stats.late_replies;
  const nlohmann::ordered_json results = world.results();
  for (const auto& [key, value] : results.items()) summary[key] = value;
  return summary;
}

ReplicaOutcome run_replica(const Topology& topology, std::uint64_t seed, const std::atomic<bool>* stop,
                           bool want_report, const std::vector<MetricDef>& metrics) {
  ReplicaOutcome out;
  out.seed = seed;
  try {
    Simulation world(topology, seed);
    if (stop != nullptr) {
      world.engine().set_progress_hook([stop, &world](core::SimTime, std::uint64_t) {
        if (stop->load()) world.engine().request_stop();
      });
    }
    core::RunStats stats;
    try {
      stats = world.run();
    } catch (const core::LimitExceeded& e) {
      out.error = e.what();
      stats.events = world.engine().events_processed();
      stats.end_time = world.engine().now();
    }
    out.done = !stats.interrupted;
    out.fingerprint = world.fingerprint();
    out.events = stats.events;
    if (!out.done) return out;
    const ConservationReport conservation = world.check_conservation();
    if (!conservation.ok && out.error.empty()) {
      out.error = "conservation breached: " + conservation.breach + "; seed=" + std::to_string(seed) +
                  " sim_time=" + stats.end_time.str();
    }
    const nlohmann::ordered_json summary = make_summary(topology, seed, world, stats, out.error, 0.0);
    out.metrics = metric_values(metrics, summary);
    if (summary.contains("brokers")) out.brokers = summary.at("brokers");
    if (summary.contains("cascade")) out.protocol_losses = summary.at("cascade").at("protocols");
    if (want_report) out.report = run_report_data(world, summary).at("runs").at(0);
  } catch (const std::exception& e) {
    out.done = true;
    out.error = std::string("exception: ") + e.what();
  }
  return out;
}

nlohmann::ordered_json probe_summary(const Topology& topology) {
  Topology probe = topology;
  probe.duration = std::min(probe.duration, core::Duration::s(1));
  Simulation world(probe, probe.seed);
  const core::RunStats stats = world.run();
  return make_summary(probe, probe.seed, world, stats, "", 0.0);
}

std::uint64_t run_ordered(std::uint64_t count, unsigned jobs, const std::function<void(std::uint64_t)>& task,
                          const std::function<void(std::uint64_t)>& done, const std::atomic<bool>* stop) {
  std::mutex mutex;              // guards the counters, the waiting set and done()
  std::uint64_t taken = 0;       // tasks handed to a worker
  std::uint64_t reported = 0;    // tasks reported, in order
  std::map<std::uint64_t, bool> finished;  // finished ahead of an earlier index
  auto worker = [&] {
    for (;;) {
      std::uint64_t i = 0;
      {
        const std::lock_guard<std::mutex> lock(mutex);
        if (taken == count || (stop != nullptr && stop->load())) return;
        i = taken++;
      }
      task(i);
      const std::lock_guard<std::mutex> lock(mutex);
      finished.emplace(i, true);
      for (auto it = finished.begin(); it != finished.end() && it->first == reported; it = finished.erase(it)) {
        done(reported++);
      }
    }
  };
  const unsigned threads = static_cast<unsigned>(std::clamp<std::uint64_t>(count, 1, std::max(1u, jobs)));
  boost::asio::thread_pool pool(threads);
  for (unsigned t = 0; t < threads; ++t) boost::asio::post(pool, worker);
  pool.join();
  return reported;
}

}  // namespace shardsim::app
