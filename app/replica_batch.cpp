// The batch runner shared by `compare` and `sweep`.
#include "app/replica_batch.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>

#include "app/progress.hpp"
#include "app/signal_watch.hpp"

namespace shardsim::app {

std::uint64_t Batch::completed() const {
  std::uint64_t n = 0;
  for (std::uint64_t i = 0; i < reported; ++i) n += outcomes[i].done && outcomes[i].error.empty() ? 1 : 0;
  return n;
}

Batch run_batch(std::uint64_t count, unsigned jobs, bool quiet, const std::function<ReplicaSpec(std::uint64_t)>& spec,
                const std::function<void(std::uint64_t, const ReplicaOutcome&)>& on_done) {
  Batch batch;
  batch.outcomes.resize(count);
  std::atomic<bool> stop{false};
  ProgressLine progress(!quiet && ProgressLine::stderr_is_terminal());
  {
    SignalWatch watch([&stop] { stop.store(true); });
    batch.reported = run_ordered(
        count, jobs,
        [&](std::uint64_t i) {
          const ReplicaSpec s = spec(i);
          batch.outcomes[i] = run_replica(*s.topology, s.seed, &stop, s.want_report);
        },
        [&](std::uint64_t i) {
          if (on_done) {
            progress.clear();  // a line the caller prints must not land after the progress text
            on_done(i, batch.outcomes[i]);
          }
          progress.update_replicas(i + 1, count);
        },
        &stop);
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
