// `shardsim compare`: replicas run seed by seed (every topology for seed 1, then seed 2, ...), so
// an interrupted comparison still pairs the seeds it finished. Each metric gets a verdict from
// the paired per-seed differences against the first topology, in the direction that metric
// counts as better.
#include "app/cli/compare_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/batch/confidence.hpp"
#include "app/batch/metrics.hpp"
#include "app/cli/cli.hpp"
#include "app/cli/compare_inputs.hpp"
#include "app/cli/replica_batch.hpp"
#include "app/cli/risk_command.hpp"
#include "app/cli/text_table.hpp"
#include "app/output/atomic_file.hpp"
#include "app/output/report_html.hpp"

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
std::string cell(const Interval& iv, bool sign = false) {
  if (iv.n == 0) return "-";
  return (sign && iv.mean >= 0 ? "+" : "") + format_metric(iv.mean) + " [" + format_metric(iv.ci_low) + ", " +
         format_metric(iv.ci_high) + "]";
}

// columns[t][m][s]: metric m of topology t at seed index s, when that replica completed cleanly.
using Columns = std::vector<std::vector<Column>>;

Columns collect_columns(const Batch& batch, std::uint64_t t_count, std::uint64_t n) {
  Columns columns(t_count, std::vector<Column>(batch.metrics.size(), Column(n)));
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done || !o.error.empty()) continue;
    for (std::size_t m = 0; m < batch.metrics.size() && m < o.metrics.size(); ++m) {
      columns[i % t_count][m][i / t_count] = o.metrics[m];
    }
  }
  return columns;
}

// ---- verdicts -------------------------------------------------------------------------------

struct Verdict {
  std::string code;  // better | worse | higher | lower | no_difference | too_few_seeds | no_data
  std::string text;  // for people: "spread better", "colocated better", "no significant difference"
};

// Topology `label` against the baseline `a` on a metric, from the paired difference label - a.
Verdict verdict(const std::optional<Interval>& diff, Better better, const std::string& label, const std::string& a) {
  if (!diff) return {"no_data", "no seed has both"};
  if (diff->n < 2) return {"too_few_seeds", "too few seeds"};
  const int sign = significant_sign(*diff);
  if (sign == 0) return {"no_difference", "no significant difference"};
  if (better == Better::neutral) return sign > 0 ? Verdict{"higher", label + " higher"} : Verdict{"lower", label + " lower"};
  const bool b_better = (sign > 0) == (better == Better::higher);
  return b_better ? Verdict{"better", label + " better"} : Verdict{"worse", a + " better"};
}

// ---- rows -----------------------------------------------------------------------------------

// What compare writes and prints, built metric by metric.
struct Rows {
  nlohmann::ordered_json metric_rows = nlohmann::ordered_json::array();  // compare.json "metrics"
  nlohmann::ordered_json samples = nlohmann::ordered_json::object();      // compare.json "samples"
  std::ostringstream csv;  // compare.csv
  TextTable table;         // stdout: one row per metric; per topology its mean, then its difference and verdict
  std::size_t verdicts_decided = 0;  // better or worse
};

TextTable table_frame(const std::vector<std::string>& labels) {
  TextTable table;
  table.header = {"metric", "unit"};
  table.right = {false, false};
  for (std::size_t t = 0; t < labels.size(); ++t) {
    table.header.push_back(labels[t] + (t == 0 ? " (A)" : ""));
    table.right.push_back(true);
    if (t == 0) continue;
    table.header.push_back(labels[t] + " - A [95% CI]");
    table.right.push_back(true);
    table.header.push_back("verdict");
    table.right.push_back(false);
  }
  return table;
}

// Metric m of topology t: its JSON row, its CSV line, its table cells and its per-seed samples.
nlohmann::ordered_json add_cell(Rows& rows, std::vector<std::string>& line, const Columns& columns,
                                const std::vector<std::string>& labels, const MetricDef& metric, std::size_t m,
                                std::uint64_t t) {
  const Interval iv = mean_ci95(present(columns[t][m]));
  nlohmann::ordered_json row = {{"topology", labels[t]}};
  row.update(interval_json(iv));
  rows.csv << csv_field(metric.key) << "," << csv_field(metric.unit) << "," << better_name(metric.better) << ","
           << csv_field(labels[t]) << "," << iv.n << "," << iv.mean << "," << iv.ci_low << "," << iv.ci_high;
  line.push_back(iv.n ? format_metric(iv.mean) : "-");
  if (t == 0) {
    row["diff"] = nullptr;
    row["verdict"] = "baseline";
    rows.csv << ",,,,baseline\n";
  } else {
    const auto d = paired_diff_ci95(columns[0][m], columns[t][m]);
    const Verdict v = verdict(d, metric.better, labels[t], labels[0]);
    row["diff"] = d ? interval_json(*d) : nlohmann::ordered_json();
    row["verdict"] = v.code;
    row["verdict_text"] = v.text;
    if (d) {
      rows.csv << "," << d->mean << "," << d->ci_low << "," << d->ci_high;
    } else {
      rows.csv << ",,,";
    }
    rows.csv << "," << v.code << "\n";
    line.push_back(d ? cell(*d, true) : "-");
    line.push_back(v.text);
    if (v.code == "better" || v.code == "worse") ++rows.verdicts_decided;
  }
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  for (const auto& v : columns[t][m]) values.push_back(v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json());
  rows.samples[metric.key][labels[t]] = values;
  return row;
}

// Every metric's rows, in the batch's metric order.
Rows build_rows(const Columns& columns, const std::vector<std::string>& labels, const std::vector<MetricDef>& metrics) {
  const std::uint64_t t_count = labels.size();
  Rows rows;
  rows.csv << std::setprecision(10);
  rows.csv << "metric,unit,better,topology,n,mean,ci_low,ci_high,diff_vs_a_mean,diff_vs_a_ci_low,diff_vs_a_ci_high,verdict\n";
  rows.table = table_frame(labels);
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const MetricDef& metric = metrics[m];
    nlohmann::ordered_json topology_rows = nlohmann::ordered_json::array();
    std::vector<std::string> line = {metric.label, metric.unit};
    for (std::uint64_t t = 0; t < t_count; ++t) topology_rows.push_back(add_cell(rows, line, columns, labels, metric, m, t));
    rows.table.rows.push_back(line);
    nlohmann::ordered_json row = {{"key", metric.key}, {"label", metric.label}, {"unit", metric.unit},
                                  {"better", better_name(metric.better)}};
    if (metric.user) row["path"] = metric.user->path;
    row["rows"] = topology_rows;
    rows.metric_rows.push_back(row);
  }
  return rows;
}

// The smallest number of seeds any topology completed.
std::uint64_t seeds_completed(const Batch& batch, std::uint64_t t_count) {
  std::vector<std::uint64_t> per(t_count, 0);
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    per[i % t_count] += batch.outcomes[i].done && batch.outcomes[i].error.empty() ? 1 : 0;
  }
  return *std::min_element(per.begin(), per.end());
}

constexpr std::uint64_t kSmallSampleSeeds = 5;

// The small-sample warning, or "" with enough seeds.
std::string small_sample_warning(std::uint64_t seeds) {
  if (seeds >= kSmallSampleSeeds) return "";
  return "only " + std::to_string(seeds) + " seed" + (seeds == 1 ? "" : "s") +
         " per topology: the 95% intervals are wide and unreliable (a CI of a non-negative quantity can go below 0); "
         "verdicts need more seeds (--seeds 20 for a decision)";
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

nlohmann::ordered_json warnings_json(const std::string& warning) {
  nlohmann::ordered_json w = nlohmann::ordered_json::array();
  if (!warning.empty()) w.push_back(warning);
  return w;
}

// compare.json.
nlohmann::ordered_json compare_json(const CompareOptions& options, const Labelled& loaded, const Batch& batch,
                                    const Rows& rows, const std::string& warning) {
  const std::uint64_t t_count = loaded.labels.size();
  const std::uint64_t n = options.batch.seeds;
  nlohmann::ordered_json out;
  out["command"] = "compare";
  out["complete"] = !batch.interrupted && batch.reported == t_count * n;
  out["topologies"] = loaded.labels;
  out["files"] = loaded.files;
  out["params"] = options.params;
  out["baseline"] = loaded.labels[0];
  out["seeds"] = n;
  out["first_seed"] = options.batch.first_seed;
  out["seeds_completed"] = seeds_completed(batch, t_count);
  out["replicas_completed"] = batch.completed();
  out["replicas_total"] = t_count * n;
  out["warnings"] = warnings_json(warning);
  out["metrics"] = rows.metric_rows;
  out["samples"] = rows.samples;
  out["fingerprints"] = fingerprints_json(batch, loaded.labels, n);
  return out;
}

// The data report.html draws: the first seed's run of every topology, and the comparison.
nlohmann::ordered_json report_json(const CompareOptions& options, const std::vector<std::string>& labels,
                                   const Batch& batch, const Rows& rows, const std::string& warning) {
  const std::uint64_t t_count = labels.size();
  nlohmann::ordered_json report = {{"kind", "compare"},
                                   {"title", "compare " + labels[0] + " vs " + labels.back()},
                                   {"generated_by", std::string("shardsim ") + SHARDSIM_VERSION}};
  report["runs"] = nlohmann::ordered_json::array();
  for (std::uint64_t t = 0; t < t_count && t < batch.reported; ++t) {
    if (!batch.outcomes[t].done || batch.outcomes[t].report.is_null()) continue;
    nlohmann::ordered_json run = batch.outcomes[t].report;
    run["compare_label"] = labels[t];  // two runs of one file (--param) share a name
    report["runs"].push_back(run);
  }
  report["compare"] = {{"topologies", labels},           {"seeds", options.batch.seeds},
                       {"first_seed", options.batch.first_seed}, {"seeds_completed", seeds_completed(batch, t_count)},
                       {"warnings", warnings_json(warning)},     {"metrics", rows.metric_rows},
                       {"samples", rows.samples}};
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
  const Labelled loaded = load_labelled(options);
  const std::vector<std::string>& labels = loaded.labels;
  const std::uint64_t t_count = loaded.topologies.size();
  const std::uint64_t n = options.batch.seeds;
  BatchPlan plan{"compare", "topologies", {}, options.batch};
  for (std::uint64_t t = 0; t < t_count; ++t) {
    plan.groups.push_back({&loaded.topologies[t], labels[t], loaded.replay_args[t]});
  }
  const Batch batch = run_batch(plan);
  int code = batch.failed > 0 ? kExitFailure : kExitOk;

  const Rows rows = build_rows(collect_columns(batch, t_count, n), labels, batch.metrics);
  const std::uint64_t seeds = seeds_completed(batch, t_count);
  const std::string warning = small_sample_warning(seeds);
  nlohmann::ordered_json out = compare_json(options, loaded, batch, rows, warning);
  nlohmann::ordered_json report = report_json(options, labels, batch, rows, warning);
  std::ostringstream risk_text;
  if (options.risk) {
    out["risk"] = risk_view(plan, batch, risk_text);
    report["risk_groups"] = out["risk"];
  }
  if (!write_outputs(options.batch.out_dir, out, rows, report)) code = kExitFailure;
  std::cout << rows.table.str() << "(mean over " << seeds << " seeds; X - A: paired per-seed difference from A = "
            << labels[0] << " [95% CI]; verdict: the better side where that CI excludes 0, in the metric's better "
            << "direction; 'higher'/'lower' for descriptive metrics)\n";
  if (!warning.empty()) std::cout << "warning: " << warning << "\n";
  std::cout << risk_text.str() << "compare: " << batch.completed() << "/" << t_count * n << " replicas; wrote "
            << options.batch.out_dir << "/compare.json, compare.csv, report.html\n"
            << std::flush;
  if (batch.interrupted) {
    std::cerr << "shardsim: interrupted; kept the " << batch.completed() << " completed replicas (marked incomplete)\n";
    return kExitInterrupted;
  }
  return code;
}

}  // namespace shardsim::app
