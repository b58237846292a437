// `shardsim compare`: replicas run seed by seed (every topology for seed 1, then seed 2, ...), so
// an interrupted comparison still pairs the seeds it finished.
#include "app/cli/compare_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/output/atomic_file.hpp"
#include "app/cli/cli.hpp"
#include "app/batch/confidence.hpp"
#include "app/batch/metrics.hpp"
#include "app/cli/replica_batch.hpp"
#include "app/cli/risk_command.hpp"
#include "app/output/report_html.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

using Column = std::vector<std::optional<double>>;  // one metric of one topology, by seed index

nlohmann::ordered_json interval_json(const Interval& iv) {
  return {{"n", iv.n}, {"mean", iv.mean}, {"ci_low", iv.ci_low}, {"ci_high", iv.ci_high}};
}

// The seeds of a column that have the metric.
std::vector<double> present(const Column& column) {
  std::vector<double> out;
  for (const auto& v : column) {
    if (v) out.push_back(*v);
  }
  return out;
}

// A table cell: `mean [ci_low, ci_high]`, or "-" when no run had the metric.
std::string cell(const Interval& iv) {
  if (iv.n == 0) return "-";
  return format_metric(iv.mean) + " [" + format_metric(iv.ci_low) + ", " + format_metric(iv.ci_high) + "]";
}

// The topologies in command-line order, each with a label no other one has.
struct Labelled {
  std::vector<Topology> topologies;
  std::vector<std::string> labels;  // the file name; a repeated one gains a ' per repeat
};

Labelled load_labelled(const std::vector<std::string>& files) {
  Labelled out;
  for (const std::string& file : files) {
    out.topologies.push_back(load_topology_file(file));
    std::string label = topology_label(file);
    while (std::find(out.labels.begin(), out.labels.end(), label) != out.labels.end()) label += "'";
    out.labels.push_back(label);
  }
  return out;
}

// columns[t][m][s]: metric m of topology t at seed index s, when that replica completed cleanly.
using Columns = std::vector<std::vector<Column>>;

Columns collect_columns(const Batch& batch, std::uint64_t t_count, std::uint64_t n) {
  const auto& metrics = key_metrics();
  Columns columns(t_count, std::vector<Column>(metrics.size(), Column(n)));
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done || !o.error.empty()) continue;
    for (std::size_t m = 0; m < metrics.size(); ++m) columns[i % t_count][m][i / t_count] = o.metrics[m];
  }
  return columns;
}

// The width of topology t's column in the table, in characters (the last one is not padded).
int table_column_chars(std::uint64_t t, std::uint64_t t_count) {
  return t + 1 == t_count ? 0 : (t == 0 ? 32 : 56);
}

// What compare writes and prints, built metric by metric.
struct Rows {
  nlohmann::ordered_json metric_rows = nlohmann::ordered_json::array();  // compare.json "metrics"
  nlohmann::ordered_json samples = nlohmann::ordered_json::object();      // compare.json "samples"
  std::ostringstream csv;    // compare.csv
  std::ostringstream table;  // stdout: one row per metric, one column per topology
};

// Metric m of topology t: its JSON row, its CSV line, its table cell and its per-seed samples.
nlohmann::ordered_json add_cell(Rows& rows, const Columns& columns, const std::vector<std::string>& labels,
                                std::size_t m, std::uint64_t t) {
  const MetricDef& metric = key_metrics()[m];
  const Interval iv = mean_ci95(present(columns[t][m]));
  nlohmann::ordered_json row = {{"topology", labels[t]}};
  row.update(interval_json(iv));
  std::string diff_text;
  rows.csv << metric.key << "," << csv_field(metric.unit) << "," << csv_field(labels[t]) << "," << iv.n << ","
           << iv.mean << "," << iv.ci_low << "," << iv.ci_high;
  if (t == 0) {
    row["diff"] = nullptr;
    rows.csv << ",,,\n";
  } else if (const auto d = paired_diff_ci95(columns[0][m], columns[t][m])) {
    row["diff"] = interval_json(*d);
    diff_text = "  d " + std::string(d->mean >= 0 ? "+" : "") + cell(*d);
    rows.csv << "," << d->mean << "," << d->ci_low << "," << d->ci_high << "\n";
  } else {
    row["diff"] = nullptr;
    rows.csv << ",,,\n";
  }
  rows.table << std::setw(table_column_chars(t, labels.size())) << cell(iv) + diff_text;
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  for (const auto& v : columns[t][m]) values.push_back(v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json());
  rows.samples[metric.key][labels[t]] = values;
  return row;
}

// Every metric's rows, in key_metrics() order.
Rows build_rows(const Columns& columns, const std::vector<std::string>& labels) {
  const auto& metrics = key_metrics();
  const std::uint64_t t_count = labels.size();
  Rows rows;
  rows.csv << std::setprecision(10);
  rows.csv << "metric,unit,topology,n,mean,ci_low,ci_high,diff_vs_a_mean,diff_vs_a_ci_low,diff_vs_a_ci_high\n";
  rows.table << std::left << std::setw(40) << "metric";
  for (std::uint64_t t = 0; t < t_count; ++t) {
    rows.table << std::setw(table_column_chars(t, t_count)) << labels[t] + (t == 0 ? " (A)" : "");
  }
  rows.table << "\n";
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    nlohmann::ordered_json topology_rows = nlohmann::ordered_json::array();
    rows.table << std::setw(40) << metrics[m].label + " (" + metrics[m].unit + ")";
    for (std::uint64_t t = 0; t < t_count; ++t) topology_rows.push_back(add_cell(rows, columns, labels, m, t));
    rows.table << "\n";
    rows.metric_rows.push_back({{"key", metrics[m].key},
                                {"label", metrics[m].label},
                                {"unit", metrics[m].unit},
                                {"higher_is_better", metrics[m].higher_is_better},
                                {"rows", topology_rows}});
  }
  return rows;
}

// Per topology, the fingerprint of every seed's replica (null when it did not finish).
nlohmann::ordered_json fingerprints_json(const Batch& batch, const std::vector<std::string>& labels, std::uint64_t n) {
  const std::uint64_t t_count = labels.size();
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
  return fingerprints;
}

// compare.json.
nlohmann::ordered_json compare_json(const CompareOptions& options, const std::vector<std::string>& labels,
                                    const Batch& batch, const Rows& rows) {
  const std::uint64_t t_count = labels.size();
  const std::uint64_t n = options.batch.seeds;
  nlohmann::ordered_json out;
  out["command"] = "compare";
  out["complete"] = !batch.interrupted && batch.reported == t_count * n;
  out["topologies"] = labels;
  out["files"] = options.topologies;
  out["seeds"] = n;
  out["first_seed"] = options.batch.first_seed;
  out["replicas_completed"] = batch.completed();
  out["replicas_total"] = t_count * n;
  out["metrics"] = rows.metric_rows;
  out["samples"] = rows.samples;
  out["fingerprints"] = fingerprints_json(batch, labels, n);
  return out;
}

// The data report.html draws: the first seed's run of every topology, and the comparison.
nlohmann::ordered_json report_json(const std::vector<std::string>& labels, std::uint64_t n, const Batch& batch,
                                   const Rows& rows) {
  const std::uint64_t t_count = labels.size();
  nlohmann::ordered_json report = {{"kind", "compare"},
                                   {"title", "compare " + labels[0] + " vs " + labels.back()},
                                   {"generated_by", std::string("shardsim ") + SHARDSIM_VERSION}};
  report["runs"] = nlohmann::ordered_json::array();
  for (std::uint64_t t = 0; t < t_count && t < batch.reported; ++t) {
    if (batch.outcomes[t].done && !batch.outcomes[t].report.is_null()) report["runs"].push_back(batch.outcomes[t].report);
  }
  report["compare"] = {{"topologies", labels}, {"seeds", n}, {"metrics", rows.metric_rows}, {"samples", rows.samples}};
  return report;
}

// Writes compare.json, compare.csv and report.html into out_dir; false (after one error line)
// when one could not be written.
bool write_outputs(const std::string& out_dir, const nlohmann::ordered_json& out, const Rows& rows,
                   const nlohmann::ordered_json& report) {
  try {
    write_file_atomically(out_dir + "/compare.json", out.dump(2) + "\n");
    write_file_atomically(out_dir + "/compare.csv", rows.csv.str());
    write_file_atomically(out_dir + "/report.html", render_report_html(report));
  } catch (const std::exception& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return false;
  }
  return true;
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
  const Labelled loaded = load_labelled(options.topologies);
  const std::vector<std::string>& labels = loaded.labels;
  const std::uint64_t t_count = loaded.topologies.size();
  const std::uint64_t n = options.batch.seeds;
  BatchPlan plan{"compare", "topologies", {}, options.batch};
  for (std::uint64_t t = 0; t < t_count; ++t) {
    plan.groups.push_back({&loaded.topologies[t], labels[t], options.topologies[t]});
  }
  const Batch batch = run_batch(plan);
  int code = batch.failed > 0 ? kExitFailure : kExitOk;

  const Rows rows = build_rows(collect_columns(batch, t_count, n), labels);
  nlohmann::ordered_json out = compare_json(options, labels, batch, rows);
  nlohmann::ordered_json report = report_json(labels, n, batch, rows);
  std::ostringstream risk_text;
  if (options.risk) {
    out["risk"] = risk_view(plan, batch, risk_text);
    report["risk_groups"] = out["risk"];
  }
  if (!write_outputs(options.batch.out_dir, out, rows, report)) code = kExitFailure;
  std::cout << rows.table.str() << "(mean [95% CI] over " << batch.completed() / std::max<std::uint64_t>(1, t_count)
            << " seeds; d = paired difference from A [95% CI])\n"
            << risk_text.str()
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
