// Reads the key metrics out of a summary (the JSON `shardsim run` writes).
#include "app/batch/metrics.hpp"

namespace shardsim::app {
namespace {

double number(const nlohmann::ordered_json& j, const char* key) {
  if (!j.contains(key)) return 0.0;
  const auto& v = j.at(key);
  return v.is_number() ? v.get<double>() : 0.0;
}

// Count-weighted mean of the brokers' settlement percentile `pct`.
std::optional<double> settlement(const nlohmann::ordered_json& brokers, const char* pct) {
  double weighted = 0;
  double count = 0;
  for (const auto& b : brokers) {
    const auto& s = b.at("settlement_latency_ms");
    const double n = number(s, "count");
    if (n <= 0) continue;
    weighted += n * number(s, pct);
    count += n;
  }
  if (count <= 0) return std::nullopt;
  return weighted / count;
}

}  // namespace

const std::vector<MetricDef>& key_metrics() {
  static const std::vector<MetricDef> kMetrics = {
      {"settlement_p50_ms", "settlement latency p50", "ms", false},
      {"settlement_p99_ms", "settlement latency p99", "ms", false},
      {"margin_efficiency", "margin efficiency (gross/net)", "x", true},
      {"broker_pnl", "broker P&L", "USD", true},
      {"bad_debt", "bad debt (protocols + brokers' waterfalls)", "USD", false},
      {"frontrun_loss", "front-run loss", "USD", false},
      {"failed_sagas", "failed sagas", "count", false},
      {"throughput_tps", "throughput", "tx/s", true},
      {"latency_loss", "latency loss (hedges in flight)", "USD", false},
      {"unhedged_exposure_usd_s", "exposure left unhedged x time", "USD*s", false},
  };
  return kMetrics;
}

std::vector<std::optional<double>> metric_values(const nlohmann::ordered_json& summary) {
  std::vector<std::optional<double>> out(key_metrics().size());
  const nlohmann::ordered_json empty = nlohmann::ordered_json::array();
  const auto& brokers = summary.contains("brokers") ? summary.at("brokers") : empty;
  if (!brokers.empty()) {
    out[0] = settlement(brokers, "p50");
    out[1] = settlement(brokers, "p99");
    double gross = 0, net = 0, pnl = 0, frontrun = 0, failed = 0, latency_loss = 0, unhedged = 0;
    for (const auto& b : brokers) {
      gross += number(b.at("margin"), "gross");
      net += number(b.at("margin"), "net");
      pnl += number(b, "pnl");
      frontrun += number(b, "frontrun_loss");  // measured on the chain (app/observe/frontrun_monitor)
      latency_loss += number(b, "latency_loss");
      if (b.contains("settlement")) unhedged += number(b.at("settlement"), "unhedged_exposure_usd_s");
      const auto& h = b.at("hedges");
      failed += number(h, "sent") - number(h, "committed") - number(h, "pending");  // aborted, compensated, timed out
    }
    if (net > 0) out[2] = gross / net;
    out[3] = pnl;
    out[5] = frontrun;
    out[6] = failed;
    out[8] = latency_loss;
    out[9] = unhedged;
  }
  if (summary.contains("cascade")) {
    const auto& debt = summary.at("cascade").at("bad_debt");
    // The brokers' bad debt is what entered their waterfalls; its fund and socialised layers are
    // parts of it, not more loss.
    out[4] = number(debt, "protocol") + number(debt, "broker");
  }
  double txs = 0;
  if (summary.contains("shards")) {
    for (const auto& s : summary.at("shards")) txs += number(s, "txs_included");
  }
  const double seconds = number(summary, "sim_seconds");
  if (seconds > 0) out[7] = txs / seconds;
  return out;
}

}  // namespace shardsim::app
