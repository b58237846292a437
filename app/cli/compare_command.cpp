// `shardsim compare`: replicas run seed by seed (every topology for seed 1, then seed 2, ...), so
// an interrupted comparison still pairs the seeds it finished.
#include "app/cli/compare_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/output/atomic_file.hpp"
#include "app/cli/cli.hpp"
#include "app/batch/confidence.hpp"
#include "app/batch/metrics.hpp"
#include "app/cli/replica_batch.hpp"
#include "app/output/report_html.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

using Column = std::vector<std::optional<double>>;  // one metric of one topology, by seed index

nlohmann::ordered_json interval_json(const Interval& iv) {
  return {{"n", iv.n}, {"mean", iv.mean}, {"ci_low", iv.ci_low}, {"ci_high", iv.ci_high}};
}

std::vector<double> present(const Column& column) {
  std::vector<double> out;
  for (const auto& v : column) {
    if (v) out.push_back(*v);
  }
  return out;
}

std::string cell(const Interval& iv) {
  if (iv.n == 0) return "-";
  return format_metric(iv.mean) + " [" + format_metric(iv.ci_low) + ", " + format_metric(iv.ci_high) + "]";
}

}  // namespace

std::string topology_label(const std::string& file) {
  std::string name = file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
    }
  }
  return name;
}

int compare_command(const CompareOptions& options) {
  std::vector<Topology> topologies;
  std::vector<std::string> labels;
  for (const std::string& file : options.topologies) {
    topologies.push_back(load_topology_file(file));
    std::string label = topology_label(file);
    while (std::find(labels.begin(), labels.end(), label) != labels.end()) label += "'";
    labels.push_back(label);
  }
  const std::uint64_t t_count = topologies.size();
  const std::uint64_t n = options.batch.seeds;
  BatchPlan plan{"compare", "topologies", {}, options.batch};
  for (std::uint64_t t = 0; t < t_count; ++t) plan.groups.push_back({&topologies[t], labels[t], options.topologies[t]});
  const Batch batch = run_batch(plan);
  int code = batch.failed > 0 ? kExitFailure : kExitOk;

  // columns[t][m][s]: metric m of topology t at seed index s, when that replica completed cleanly.
  const auto& metrics = key_metrics();
  std::vector<std::vector<Column>> columns(t_count, std::vector<Column>(metrics.size(), Column(n)));
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done || !o.error.empty()) continue;
    for (std::size_t m = 0; m < metrics.size(); ++m) columns[i % t_count][m][i / t_count] = o.metrics[m];
  }

  nlohmann::ordered_json out;
  out["command"] = "compare";
  out["complete"] = !batch.interrupted && batch.reported == t_count * n;
  out["topologies"] = labels;
  out["files"] = options.topologies;
  out["seeds"] = n;
  out["first_seed"] = options.batch.first_seed;
  out["replicas_completed"] = batch.completed();
  out["replicas_total"] = t_count * n;
  std::ostringstream csv;
  csv << std::setprecision(10);
  csv << "metric,unit,topology,n,mean,ci_low,ci_high,diff_vs_a_mean,diff_vs_a_ci_low,diff_vs_a_ci_high\n";
  nlohmann::ordered_json metric_rows = nlohmann::ordered_json::array();
  nlohmann::ordered_json samples = nlohmann::ordered_json::object();
  // The table: one row per metric, one column per topology.
  std::ostringstream table;
  table << std::left << std::setw(40) << "metric";
  for (std::uint64_t t = 0; t < t_count; ++t) table << std::setw(t + 1 == t_count ? 0 : (t == 0 ? 32 : 56)) << labels[t] + (t == 0 ? " (A)" : "");
  table << "\n";
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    table << std::setw(40) << metrics[m].label + " (" + metrics[m].unit + ")";
    for (std::uint64_t t = 0; t < t_count; ++t) {
      const Interval iv = mean_ci95(present(columns[t][m]));
      nlohmann::ordered_json row = {{"topology", labels[t]}};
      row.update(interval_json(iv));
      std::string diff_text;
      csv << metrics[m].key << "," << csv_field(metrics[m].unit) << "," << csv_field(labels[t]) << "," << iv.n << ","
          << iv.mean << "," << iv.ci_low << "," << iv.ci_high;
      if (t == 0) {
        row["diff"] = nullptr;
        csv << ",,,\n";
      } else if (const auto d = paired_diff_ci95(columns[0][m], columns[t][m])) {
        row["diff"] = interval_json(*d);
        diff_text = "  d " + std::string(d->mean >= 0 ? "+" : "") + cell(*d);
        csv << "," << d->mean << "," << d->ci_low << "," << d->ci_high << "\n";
      } else {
        row["diff"] = nullptr;
        csv << ",,,\n";
      }
      rows.push_back(row);
      table << std::setw(t + 1 == t_count ? 0 : (t == 0 ? 32 : 56)) << cell(iv) + diff_text;
      nlohmann::ordered_json values = nlohmann::ordered_json::array();
      for (const auto& v : columns[t][m]) values.push_back(v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json());
      samples[metrics[m].key][labels[t]] = values;
    }
    table << "\n";
    metric_rows.push_back({{"key", metrics[m].key},
                           {"label", metrics[m].label},
                           {"unit", metrics[m].unit},
                           {"higher_is_better", metrics[m].higher_is_better},
                           {"rows", rows}});
  }
  out["metrics"] = metric_rows;
  out["samples"] = samples;
  nlohmann::ordered_json fingerprints = nlohmann::ordered_json::object();
  for (std::uint64_t t = 0; t < t_count; ++t) {
    nlohmann::ordered_json f = nlohmann::ordered_json::array();
    for (std::uint64_t s = 0; s < n; ++s) {
      const std::uint64_t i = s * t_count + t;
      f.push_back(i < batch.reported && batch.outcomes[i].done ? nlohmann::ordered_json(hex16(batch.outcomes[i].fingerprint))
                                                               : nlohmann::ordered_json());
    }
    fingerprints[labels[t]] = f;
  }
  out["fingerprints"] = fingerprints;

  nlohmann::ordered_json report = {{"kind", "compare"},
                                   {"title", "compare " + labels[0] + " vs " + labels.back()},
                                   {"generated_by", std::string("shardsim ") + SHARDSIM_VERSION}};
  report["runs"] = nlohmann::ordered_json::array();
  for (std::uint64_t t = 0; t < t_count && t < batch.reported; ++t) {
    if (batch.outcomes[t].done && !batch.outcomes[t].report.is_null()) report["runs"].push_back(batch.outcomes[t].report);
  }
  report["compare"] = {{"topologies", labels}, {"seeds", n}, {"metrics", metric_rows}, {"samples", samples}};
  try {
    write_file_atomically(options.batch.out_dir + "/compare.json", out.dump(2) + "\n");
    write_file_atomically(options.batch.out_dir + "/compare.csv", csv.str());
    write_file_atomically(options.batch.out_dir + "/report.html", render_report_html(report));
  } catch (const std::exception& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    code = kExitFailure;
  }
  std::cout << table.str() << "(mean [95% CI] over " << batch.completed() / std::max<std::uint64_t>(1, t_count)
            << " seeds; d = paired difference from A [95% CI])\n"
            << "compare: " << batch.completed() << "/" << t_count * n << " replicas; wrote " << options.batch.out_dir
            << "/compare.json, compare.csv, report.html\n"
            << std::flush;
  if (batch.interrupted) {
    std::cerr << "shardsim: interrupted; kept the " << batch.completed() << " completed replicas (marked incomplete)\n";
    return kExitInterrupted;
  }
  return code;
}

}  // namespace shardsim::app
