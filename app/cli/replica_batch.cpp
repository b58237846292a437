// The batch runner shared by `compare` and `sweep`.
#include "app/cli/replica_batch.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/cli/progress.hpp"
#include "app/cli/signal_watch.hpp"

namespace shardsim::app {

std::uint64_t Batch::completed() const {
  std::uint64_t n = 0;
  for (std::uint64_t i = 0; i < reported; ++i) n += outcomes[i].done && outcomes[i].error.empty() ? 1 : 0;
  return n;
}

namespace {

// The metrics the batch reads from every replica; user metric paths checked first.
std::vector<MetricDef> plan_metrics(const BatchPlan& plan) {
  std::vector<UserMetricSpec> cli;
  for (const std::string& text : plan.options.metrics) cli.push_back(parse_metric_option(text));
  std::vector<const Topology*> topologies;
  for (const BatchGroup& g : plan.groups) topologies.push_back(g.topology);
  std::vector<MetricDef> metrics = batch_metrics(topologies, cli);
  if (std::any_of(metrics.begin(), metrics.end(), [](const MetricDef& m) { return m.user.has_value(); })) {
    std::vector<nlohmann::ordered_json> probes;
    for (const Topology* t : topologies) probes.push_back(probe_summary(*t));
    check_user_metrics(metrics, probes);
  }
  return metrics;
}

}  // namespace

Batch run_batch(const BatchPlan& plan) {
  const BatchOptions& o = plan.options;
  const std::uint64_t g_count = plan.groups.size();
  const std::uint64_t count = g_count * o.seeds;
  Batch batch;
  batch.metrics = plan_metrics(plan);  // may throw: before the banner
  if (!o.quiet) {
    std::cout << plan.command << ": " << g_count << " " << plan.noun << " x " << o.seeds << " seeds (" << o.first_seed
              << ".." << o.first_seed + o.seeds - 1 << "), jobs=" << o.jobs << "\n"
              << std::flush;
  }
  batch.outcomes.resize(count);
  std::atomic<bool> stop{false};
  ProgressLine progress(!o.quiet && ProgressLine::stderr_is_terminal());
  auto report = [&](std::uint64_t i) {
    const ReplicaOutcome& r = batch.outcomes[i];
    const BatchGroup& g = plan.groups[i % g_count];
    progress.clear();  // a line printed here must not land after the progress text
    if (r.done && !o.quiet) {
      std::cout << "replica " << i + 1 << "/" << count << ": " << g.label << " seed " << r.seed
                << " fingerprint=" << hex16(r.fingerprint) << (r.error.empty() ? "" : " FAILED") << "\n"
                << std::flush;
    }
    if (r.done && !r.error.empty()) {
      ++batch.failed;
      std::cerr << "shardsim: " << g.label << " seed " << r.seed << ": " << r.error << "\n  replay: shardsim run "
                << g.replay_args << " --seed " << r.seed << "\n";
    }
    progress.update_replicas(i + 1, count);
  };
  {
    SignalWatch watch([&stop] { stop.store(true); });
    batch.reported = run_ordered(
        count, o.jobs,
        [&](std::uint64_t i) {
          batch.outcomes[i] =
              run_replica(*plan.groups[i % g_count].topology, o.first_seed + i / g_count, &stop, i < g_count,
                          batch.metrics);
        },
        report, &stop);
    batch.interrupted = watch.fired();
  }
  progress.clear();
  return batch;
}

std::string format_metric(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[48];
  if (std::fabs(v) >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

}  // namespace shardsim::app
