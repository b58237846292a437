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

double number_or_zero(const nlohmann::ordered_json& b, const char* key) {
  return b.contains(key) && b.at(key).is_number() ? b.at(key).get<double>() : 0.0;
}

// What hedging costs the broker (its summary's keys, USD a run); fees are what it earns. Defaults
// cost it what its capital absorbed of client deficits (`waterfall.house_capital_usd`); the
// layers past its capital (its fund, the clients' contributions, socialised) are not in its P&L.
constexpr const char* kCosts[] = {"latency_loss", "slippage_paid", "private_cost", "hedge_gas_usd",
                                  "frontrun_loss", "issuer_loss"};
constexpr const char* kWaterfallLayers[] = {"client_deficits_usd",       "house_shortfall_usd",
                                            "defaulter_margin_usd",      "defaulter_contribution_usd",
                                            "house_capital_usd",         "broker_fund_usd",
                                            "member_contributions_usd",  "socialised_usd"};

double waterfall_layer(const nlohmann::ordered_json& b, const char* key) {
  return b.contains("waterfall") ? number_or_zero(b.at("waterfall"), key) : 0.0;
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
  nlohmann::ordered_json layers = nlohmann::ordered_json::object();
  for (const char* k : kWaterfallLayers) {
    double sum = 0;
    for (const auto& b : runs) sum += waterfall_layer(b, k);
    layers[k] = n ? sum / static_cast<double>(n) : 0.0;
  }
  parts["bad_debt_absorbed"] = 0.0 - layers.at("house_capital_usd").get<double>();
  costs += layers.at("house_capital_usd").get<double>();
  j["waterfall_mean_usd"] = layers;
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

// The clean replicas of group `group` of `groups` (replica i is group i % groups), in seed order.
std::vector<const ReplicaOutcome*> clean_replicas(const Batch& batch, std::size_t group, std::size_t groups) {
  std::vector<const ReplicaOutcome*> out;
  for (std::uint64_t i = group; i < batch.reported; i += groups) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (o.done && o.error.empty()) out.push_back(&o);
  }
  return out;
}

// Per protocol over the seeds, each of its losses (the summary's cascade.protocols): bad debt, the
// insurance fund drawn, socialised loss; each as P(> 0) with a Wilson 95% interval, mean and p99.
nlohmann::ordered_json protocol_risk(const std::vector<const ReplicaOutcome*>& replicas) {
  constexpr const char* kLosses[][2] = {{"bad_debt_usd", "bad_debt"},
                                        {"insurance_fund_drawn_usd", "insurance_fund_drawn"},
                                        {"socialised_usd", "socialised"}};
  struct Seen {
    std::string kind;
    std::map<std::string, std::vector<double>> values;  // by loss key, seed order
    double fund_start = 0, fund_end = 0;
  };
  std::map<std::string, Seen> protocols;  // by name
  for (const ReplicaOutcome* r : replicas) {
    const ReplicaOutcome& o = *r;
    if (!o.protocol_losses.is_object()) continue;
    for (const auto& [name, p] : o.protocol_losses.items()) {
      Seen& seen = protocols[name];
      seen.kind = p.value("kind", "");
      for (const auto& loss : kLosses) seen.values[loss[0]].push_back(p.value(loss[0], 0.0));
      seen.fund_start += p.value("insurance_fund_start_usd", 0.0);
      seen.fund_end += p.value("insurance_fund_end_usd", 0.0);
    }
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [name, seen] : protocols) {
    nlohmann::ordered_json j{{"protocol", name}, {"kind", seen.kind}};
    std::size_t n = 0;
    for (const auto& loss : kLosses) {
      const std::vector<double>& values = seen.values.at(loss[0]);
      n = values.size();
      const LossStats s = loss_stats(values);
      j[std::string("p_") + loss[1]] = proportion_json(s.p_any);
      j[std::string(loss[1]) + "_mean_usd"] = s.mean;
      j[std::string(loss[1]) + "_p99_usd"] = s.p99;
    }
    const double seeds = n > 0 ? static_cast<double>(n) : 1.0;
    j["insurance_fund_start_mean_usd"] = seen.fund_start / seeds;
    j["insurance_fund_end_mean_usd"] = seen.fund_end / seeds;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

std::string risk_table_header() {
  std::ostringstream table;
  table << std::left << std::setw(14) << "broker" << std::setw(26) << "P(insolvent) [95% CI]" << std::setw(14)
        << "P&L p50" << std::setw(14) << "VaR 99%" << std::setw(14) << "ES 99%"
        << "fees - costs (mean)\n";
  return table.str();
}

nlohmann::ordered_json group_risk(const Topology& topology, const Batch& batch, std::size_t group, std::size_t groups,
                                  std::ostringstream& table) {
  const std::vector<const ReplicaOutcome*> replicas = clean_replicas(batch, group, groups);
  std::vector<std::vector<nlohmann::ordered_json>> runs(topology.brokers.size());
  for (const ReplicaOutcome* o : replicas) {
    if (!o->brokers.is_array()) continue;
    for (std::size_t k = 0; k < runs.size() && k < o->brokers.size(); ++k) runs[k].push_back(o->brokers[k]);
  }
  nlohmann::ordered_json out;
  out["seeds_completed"] = replicas.size();
  out["brokers"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < runs.size(); ++k) out["brokers"].push_back(broker_risk(topology.brokers[k].name, runs[k], table));
  out["protocols"] = protocol_risk(replicas);
  return out;
}

nlohmann::ordered_json risk_view(const BatchPlan& plan, const Batch& batch, std::ostringstream& text) {
  nlohmann::ordered_json view = nlohmann::ordered_json::array();
  for (std::size_t g = 0; g < plan.groups.size(); ++g) {
    std::ostringstream table;
    nlohmann::ordered_json entry = {{"label", plan.groups[g].label}};
    const nlohmann::ordered_json risk = group_risk(*plan.groups[g].topology, batch, g, plan.groups.size(), table);
    for (const auto& [k, v] : risk.items()) entry[k] = v;
    text << plan.groups[g].label << " (" << entry.at("seeds_completed").get<std::size_t>() << " seeds)\n"
         << risk_table_header() << table.str();
    view.push_back(std::move(entry));
  }
  return view;
}

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

  std::ostringstream table;
  table << risk_table_header();
  nlohmann::ordered_json out;
  out["command"] = "risk";
  out["complete"] = !batch.interrupted && batch.reported == options.batch.seeds;
  out["topology"] = options.topology;
  out["params"] = options.params;
  out["seeds"] = options.batch.seeds;
  out["first_seed"] = options.batch.first_seed;
  const nlohmann::ordered_json risk = group_risk(topology, batch, 0, 1, table);
  for (const auto& [k, v] : risk.items()) out[k] = v;
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
