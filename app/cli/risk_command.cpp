// `shardsim risk`: one topology over N seeds, every broker's solvency read off the seeds that
// completed cleanly.
#include "app/cli/risk_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/batch/tail_risk.hpp"
#include "app/cli/cli.hpp"
#include "app/cli/compare_command.hpp"
#include "app/output/atomic_file.hpp"
#include "app/output/report_html.hpp"
#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

// What hedging and defaults cost the broker (its summary's keys, USD a run); fees are what it earns.
constexpr const char* kCosts[] = {"latency_loss", "slippage_paid", "private_cost", "hedge_gas_usd",
                                  "frontrun_loss", "issuer_loss", "bad_debt", "default_fund_used"};

double number_or_zero(const nlohmann::ordered_json& b, const char* key) {
  return b.contains(key) && b.at(key).is_number() ? b.at(key).get<double>() : 0.0;
}

nlohmann::ordered_json proportion_json(const Proportion& p) {
  return {{"events", p.events}, {"n", p.n}, {"p", p.p}, {"ci_low", p.ci_low}, {"ci_high", p.ci_high}};
}

std::string percent(double x) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100 * x << "%";
  return s.str();
}

// One broker over the seeds: its entries in the seeds' summaries, in seed order.
nlohmann::ordered_json broker_risk(const std::string& name, const std::vector<nlohmann::ordered_json>& runs,
                                   std::ostringstream& table) {
  const auto n = static_cast<std::uint64_t>(runs.size());
  std::uint64_t insolvent = 0, bad_debt = 0, fund = 0;
  std::vector<double> pnl, time_to_insolvency;
  for (const auto& b : runs) {
    if (b.value("insolvent", false)) {
      ++insolvent;
      if (b.contains("insolvent_at_s") && b.at("insolvent_at_s").is_number()) {
        time_to_insolvency.push_back(b.at("insolvent_at_s").get<double>());
      }
    }
    if (number_or_zero(b, "bad_debt") > 0 || number_or_zero(b, "socialised") > 0) ++bad_debt;
    if (number_or_zero(b, "default_fund_used") > 0) ++fund;
    pnl.push_back(number_or_zero(b, "pnl"));
  }
  nlohmann::ordered_json j = {{"broker", name}, {"seeds", n}};
  const Proportion p_insolvent = wilson95(insolvent, n);
  j["p_insolvent"] = proportion_json(p_insolvent);
  j["p_bad_debt"] = proportion_json(wilson95(bad_debt, n));
  j["p_default_fund_used"] = proportion_json(wilson95(fund, n));
  j["pnl_quantiles"] = {{"p0.1", quantile(pnl, 0.001)}, {"p1", quantile(pnl, 0.01)}, {"p5", quantile(pnl, 0.05)},
                        {"p50", quantile(pnl, 0.5)},    {"p95", quantile(pnl, 0.95)}, {"p99", quantile(pnl, 0.99)}};
  const TailRisk t99 = tail_risk(pnl, 0.99), t999 = tail_risk(pnl, 0.999);
  j["var_99"] = t99.var;
  j["es_99"] = t99.es;
  j["var_99_9"] = t999.var;
  j["es_99_9"] = t999.es;
  // Below 1/(1 - level) seeds the tail is the single worst seed.
  j["tail_seeds_needed"] = {{"99", 100}, {"99.9", 1000}};
  j["time_to_insolvency_s"] = time_to_insolvency.empty()
                                  ? nlohmann::ordered_json()
                                  : nlohmann::ordered_json{{"p50", quantile(time_to_insolvency, 0.5)},
                                                           {"min", quantile(time_to_insolvency, 0)}};
  // With no insolvency seen, how many seeds would bound it below 1% and 0.1%.
  j["seeds_to_bound_p_insolvent"] = {{"1%", seeds_to_bound(0.01)}, {"0.1%", seeds_to_bound(0.001)}};
  auto mean = [&](const char* key) {
    double sum = 0;
    for (const auto& b : runs) sum += number_or_zero(b, key);
    return n ? sum / static_cast<double>(n) : 0.0;
  };
  nlohmann::ordered_json parts = nlohmann::ordered_json::object();
  const double earned = mean("fees");
  parts["fees"] = earned;
  double costs = 0;
  for (const char* k : kCosts) {
    const double c = mean(k);
    parts[k] = 0.0 - c;
    costs += c;
  }
  // What is left is the house's positions and capital events (marks moving, a decreed default).
  const double pnl_mean = mean("pnl");
  parts["positions_and_other"] = pnl_mean - (earned - costs);
  j["pnl_mean_usd"] = pnl_mean;
  j["pnl_mean_parts_usd"] = parts;
  j["fees_minus_costs_usd"] = earned - costs;
  j["pnl_samples_usd"] = pnl;  // one per clean seed, in seed order (the page's loss distribution)
  table << std::left << std::setw(14) << name << std::setw(26)
        << percent(p_insolvent.p) + " [" + percent(p_insolvent.ci_low) + ", " + percent(p_insolvent.ci_high) + "]"
        << std::setw(14) << format_metric(quantile(pnl, 0.5)) << std::setw(14) << format_metric(t99.var)
        << std::setw(14) << format_metric(t99.es) << format_metric(earned - costs) << "\n";
  return j;
}

// Per protocol over the seeds: the probability of bad debt (Wilson 95%), its mean and tail.
nlohmann::ordered_json protocol_risk(const Batch& batch) {
  std::map<std::string, std::vector<double>> bad_debt;  // by protocol name, seed order
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done || !o.error.empty() || !o.protocol_bad_debt.is_object()) continue;
    for (const auto& [name, usd] : o.protocol_bad_debt.items()) bad_debt[name].push_back(usd.get<double>());
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [name, values] : bad_debt) {
    const auto hit = static_cast<std::uint64_t>(std::count_if(values.begin(), values.end(), [](double v) { return v > 0; }));
    double sum = 0;
    for (const double v : values) sum += v;
    out.push_back({{"protocol", name},
                   {"p_bad_debt", proportion_json(wilson95(hit, values.size()))},
                   {"bad_debt_mean_usd", values.empty() ? 0.0 : sum / static_cast<double>(values.size())},
                   {"bad_debt_p99_usd", quantile(values, 0.99)}});
  }
  return out;
}

}  // namespace

int risk_command(const RiskOptions& options) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const std::string& text : options.params) {
    const ParamSpec p = parse_param(text);
    if (p.values.size() != 1) throw ParamError("--param " + text + ": risk takes one value per path (PATH=VALUE)");
    settings.emplace_back(p.path, p.values.front());
  }
  const Topology topology = settings.empty() ? load_topology_file(options.topology)
                                             : load_topology_with_params(options.topology, settings);
  BatchPlan plan{"risk", "topologies", {}, options.batch};
  plan.groups.push_back({&topology, topology_label(options.topology), options.topology});
  const Batch batch = run_batch(plan);
  int code = batch.failed > 0 ? kExitFailure : kExitOk;

  // Per broker, its summary entry of every clean seed.
  std::vector<std::string> names;
  for (const auto& b : topology.brokers) names.push_back(b.name);
  std::vector<std::vector<nlohmann::ordered_json>> runs(names.size());
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done || !o.error.empty() || !o.brokers.is_array()) continue;
    for (std::size_t k = 0; k < names.size() && k < o.brokers.size(); ++k) runs[k].push_back(o.brokers[k]);
  }
  std::ostringstream table;
  table << std::left << std::setw(14) << "broker" << std::setw(26) << "P(insolvent) [95% CI]" << std::setw(14)
        << "P&L p50" << std::setw(14) << "VaR 99%" << std::setw(14) << "ES 99%"
        << "fees - costs (mean)\n";
  nlohmann::ordered_json out;
  out["command"] = "risk";
  out["complete"] = !batch.interrupted && batch.reported == options.batch.seeds;
  out["topology"] = options.topology;
  out["params"] = options.params;
  out["seeds"] = options.batch.seeds;
  out["first_seed"] = options.batch.first_seed;
  out["seeds_completed"] = batch.completed();
  out["brokers"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < names.size(); ++k) out["brokers"].push_back(broker_risk(names[k], runs[k], table));
  out["protocols"] = protocol_risk(batch);
  const nlohmann::ordered_json page = {{"kind", "risk"},
                                       {"title", "risk " + topology_label(options.topology)},
                                       {"generated_by", std::string("shardsim ") + SHARDSIM_VERSION},
                                       {"risk", out}};
  try {
    write_file_atomically(options.batch.out_dir + "/risk.json", out.dump(2) + "\n");
    write_file_atomically(options.batch.out_dir + "/report.html", render_report_html(page));
  } catch (const std::exception& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    code = kExitFailure;
  }
  std::cout << table.str() << "(over " << batch.completed() << " seeds; P&L, VaR and ES in USD a run)\n"
            << "risk: wrote " << options.batch.out_dir << "/risk.json, report.html\n"
            << std::flush;
  if (batch.interrupted) {
    std::cerr << "shardsim: interrupted; kept the " << batch.completed() << " completed seeds (marked incomplete)\n";
    return kExitInterrupted;
  }
  return code;
}

}  // namespace shardsim::app
