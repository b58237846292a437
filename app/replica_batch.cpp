// The batch runner shared by `compare` and `sweep`.
#include "app/replica_batch.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/progress.hpp"
#include "app/signal_watch.hpp"

namespace shardsim::app {

std::uint64_t Batch::completed() const {
  std::uint64_t n = 0;
  for (std::uint64_t i = 0; i < reported; ++i) n += outcomes[i].done && outcomes[i].error.empty() ? 1 : 0;
  return n;
}

Batch run_batch(const BatchPlan& plan) {
  const std::uint64_t count = plan.group_count * plan.seeds;
  if (!plan.quiet) {
    std::cout << plan.command << ": " << plan.groups << " x " << plan.seeds << " seeds (" << plan.first_seed << ".."
              << plan.first_seed + plan.seeds - 1 << "), jobs=" << plan.jobs << "\n"
              << std::flush;
  }
  Batch batch;
  batch.outcomes.resize(count);
  std::atomic<bool> stop{false};
  ProgressLine progress(!plan.quiet && ProgressLine::stderr_is_terminal());
  auto report = [&](std::uint64_t i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    progress.clear();  // a line printed here must not land after the progress text
    if (o.done && !plan.quiet) {
      std::cout << "replica " << i + 1 << "/" << count << ": " << plan.label(i) << " seed " << o.seed
                << " fingerprint=" << hex16(o.fingerprint) << (o.error.empty() ? "" : " FAILED") << "\n"
                << std::flush;
    }
    if (o.done && !o.error.empty()) {
      ++batch.failed;
      std::cerr << "shardsim: " << plan.label(i) << " seed " << o.seed << ": " << o.error
                << "\n  replay: shardsim run " << plan.topology_file(i) << " --seed " << o.seed << "\n";
    }
    progress.update_replicas(i + 1, count);
  };
  {
    SignalWatch watch([&stop] { stop.store(true); });
    batch.reported = run_ordered(
        count, plan.jobs,
        [&](std::uint64_t i) {
          const ReplicaSpec s = plan.spec(i);
          batch.outcomes[i] = run_replica(*s.topology, s.seed, &stop, s.want_report);
        },
        report, &stop);
    batch.interrupted = watch.fired();
  }
  progress.clear();
  return batch;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
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
