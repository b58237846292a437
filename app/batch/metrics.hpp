// Models the metrics an architect compares layouts by, each read from one run's summary: the
// system's (bad debt, protocol liquidations, cascade depth, cross-shard latency, throughput),
// each broker's on its own (`broker.<name>.pnl_usd`, settlement p50/p99, margin efficiency,
// front-run and latency loss, failed sagas, unhedged exposure, liquidations, insolvency as 0/1,
// default fund used, bad debt), never summed over brokers, and user-chosen ones (a dotted path
// into summary.json). Each knows which direction is better. A metric a run has nothing for (no
// such broker, no settled hedge) is absent, not zero, so it does not drag a mean.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/topology/topology.hpp"
#include "app/topology/user_metrics.hpp"

namespace shardsim::app {

using Summary = nlohmann::ordered_json;

struct MetricDef {
  std::string key;    // column name in CSV and JSON, e.g. "bad_debt_usd", "broker.giant.pnl_usd"
  std::string label;  // for tables and charts
  std::string unit;
  Better better = Better::neutral;
  std::function<std::optional<double>(const Summary&)> read;  // the value in one run's summary
  std::optional<UserMetricSpec> user;                          // set for a user-chosen metric
};

// "higher" | "lower" | "neutral".
const char* better_name(Better better);

// The system-wide metrics, in table order.
const std::vector<MetricDef>& key_metrics();

// The metrics of a batch: key_metrics(), then every broker's metrics (brokers in order of first
// appearance over `topologies`), then the user metrics: `cli` first, then each topology's
// `metrics:` (topology_metrics()) (a name already taken keeps its first definition).
std::vector<MetricDef> batch_metrics(const std::vector<const Topology*>& topologies,
                                     const std::vector<UserMetricSpec>& cli);

// `NAME=PATH` or `NAME=PATH:higher|lower|neutral` (--metric); throws ParamError.
UserMetricSpec parse_metric_option(const std::string& text);

// Values of `defs` for one run's summary (same order).
std::vector<std::optional<double>> metric_values(const std::vector<MetricDef>& defs, const Summary& summary);

// A dotted path into a summary: map keys by name, list items by index or by their `id` or
// `name` field. The number (a boolean is 0 or 1) it leads to, or the reason it does not: which
// segment is missing and what exists there (`brokers has no item "x" (ids: giant, small)`).
struct PathValue {
  std::optional<double> value;
  std::string error;  // empty when value is set
};
PathValue read_summary_path(const Summary& summary, const std::string& path);

// Fails (TopologyError at the metric's key for a topology metric, ParamError for --metric)
// unless every user metric in `defs` leads to a number in at least one of `summaries`.
void check_user_metrics(const std::vector<MetricDef>& defs, const std::vector<Summary>& summaries);

}  // namespace shardsim::app
