// Models the key metrics an architect compares layouts by, each read from one run's summary:
// settlement latency p50/p99, margin efficiency, broker P&L, bad debt, front-run loss, failed
// sagas, throughput, and the latency loss of hedges in flight. A metric a run has nothing for (no broker, no settled hedge) is absent,
// not zero, so it does not drag a mean.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace shardsim::app {

struct MetricDef {
  std::string key;    // column name in CSV and JSON, e.g. "settlement_p50_ms"
  std::string label;  // for tables and charts
  std::string unit;
  bool higher_is_better = false;
};

// The metrics, in table order.
const std::vector<MetricDef>& key_metrics();

// Values of key_metrics() for one run's summary (same order). Over several brokers:
// settlement percentiles are the brokers' percentiles weighted by settled count, efficiency is
// total gross margin / total net margin, P&L, front-run loss and failed sagas (hedges sent
// that did not commit: aborted, compensated or timed out) are sums; bad
// debt is every cascade layer (protocols, brokers, default funds, socialised); throughput is the
// transactions included on all shards per simulated second; latency loss is summed.
std::vector<std::optional<double>> metric_values(const nlohmann::ordered_json& summary);

}  // namespace shardsim::app
