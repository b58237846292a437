// `shardsim sweep`: every point's topology is built and validated first, then the replicas run
// seed by seed across the points, so an interrupted sweep keeps whole seeds where it can.
#include "app/cli/sweep_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/output/atomic_file.hpp"
#include "app/cli/cli.hpp"
#include "app/cli/compare_command.hpp"
#include "app/batch/confidence.hpp"
#include "app/batch/metrics.hpp"
#include "app/topology/param_path.hpp"
#include "app/cli/replica_batch.hpp"
#include "app/cli/text_table.hpp"
#include "app/cli/risk_command.hpp"
#include "app/cli/sweep_design.hpp"
#include "app/output/report_html.hpp"

namespace shardsim::app {
namespace {

struct Point {
  std::vector<std::pair<std::string, std::string>> settings;  // (path, value) per --param
  std::string label;                                          // `policy=immediate split=2`
  Topology topology;
};

std::string last_segment(const std::string& path) {
  const std::size_t dot = path.find_last_of('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// The ranges' values per sample (one empty row without ranges); throws ParamError.
std::vector<std::vector<std::string>> sampled_rows(const SweepOptions& options, const std::vector<ParamSpec>& specs) {
  std::vector<Range> ranges;
  for (const ParamSpec& s : specs) {
    if (s.range.empty()) continue;
    ranges.push_back(parse_range(s.path, s.range));
    if (options.sample.empty()) {
      throw ParamError("--param " + s.path + "=range:" + s.range + ": a range needs --sample lhs:N or --sample random:N");
    }
  }
  if (ranges.empty()) {
    if (!options.sample.empty()) throw ParamError("--sample " + options.sample + ": no --param is a range (PATH=range:LO..HI)");
    return {{}};
  }
  const SampleSpec sample = parse_sample(options.sample);
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : unit_design(sample.method, sample.n, ranges.size(), options.sample_seed)) {
    std::vector<std::string> row;
    for (std::size_t d = 0; d < ranges.size(); ++d) row.push_back(range_value(ranges[d], u[d]));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Every point's value per --param (in --param order): the cross product of the listed values,
// first --param varying slowest, with the sampled ranges innermost.
std::vector<std::vector<std::string>> point_values(const SweepOptions& options, const std::vector<ParamSpec>& specs) {
  const auto rows = sampled_rows(options, specs);
  std::vector<std::size_t> listed, ranged;
  for (std::size_t k = 0; k < specs.size(); ++k) (specs[k].range.empty() ? listed : ranged).push_back(k);
  std::vector<std::vector<std::string>> out;
  std::vector<std::size_t> at(listed.size(), 0);
  for (;;) {
    for (const auto& row : rows) {
      std::vector<std::string> values(specs.size());
      for (std::size_t j = 0; j < listed.size(); ++j) values[listed[j]] = specs[listed[j]].values[at[j]];
      for (std::size_t d = 0; d < ranged.size(); ++d) values[ranged[d]] = row[d];
      out.push_back(std::move(values));
    }
    std::size_t k = listed.size();
    while (k > 0 && ++at[k - 1] == specs[listed[k - 1]].values.size()) at[--k] = 0;
    if (k == 0) break;
  }
  return out;
}

// Each point's topology, validated before any run.
std::vector<Point> make_points(const SweepOptions& options, const std::vector<ParamSpec>& specs,
                               const std::vector<std::vector<std::string>>& values) {
  std::vector<Point> points;
  for (const auto& row : values) {
    Point p;
    for (std::size_t k = 0; k < specs.size(); ++k) {
      p.settings.emplace_back(specs[k].path, row[k]);
      p.label.append(k ? " " : "").append(last_segment(specs[k].path)).append("=").append(row[k]);
    }
    p.topology = load_topology_with_params(options.topology, p.settings);
    points.push_back(std::move(p));
  }
  return points;
}

// Each parameter's axis over the points (numeric values line up with the points).
std::vector<Axis> param_axes(const std::vector<ParamSpec>& specs, const std::vector<std::vector<std::string>>& values) {
  std::vector<Axis> axes;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    std::vector<std::string> column;
    for (const auto& row : values) column.push_back(row[k]);
    axes.push_back(numeric_axis(column));
  }
  return axes;
}

// The replicas of every point, seed by seed; a point's replay is the `shardsim run` arguments.
BatchPlan make_plan(const SweepOptions& options, const std::vector<Point>& points) {
  BatchPlan plan{"sweep", "points", {}, options.batch};
  for (const Point& p : points) {
    std::string replay = options.topology;
    for (const auto& setting : p.settings) replay += " --param '" + setting.first + "=" + setting.second + "'";
    plan.groups.push_back({&p.topology, "[" + p.label + "]", replay});
  }
  return plan;
}

// values[p][m]: metric m's values over point p's clean runs.
using PointValues = std::vector<std::vector<std::vector<double>>>;

// The runs that finished: sweep.csv and every point's metric values.
struct Runs {
  std::string csv;  // one row per run that finished, in replica order (seed-major)
  PointValues values;
};

Runs collect_runs(const Batch& batch, const std::vector<ParamSpec>& specs, const std::vector<Point>& points) {
  const auto& metrics = batch.metrics;
  const std::uint64_t p_count = points.size();
  std::ostringstream csv;
  for (const ParamSpec& s : specs) csv << csv_field(s.path) << ",";
  csv << "seed,fingerprint,error";
  for (const MetricDef& m : metrics) csv << "," << m.key;
  csv << "\n" << std::setprecision(10);
  PointValues values(p_count, std::vector<std::vector<double>>(metrics.size()));
  for (std::uint64_t i = 0; i < batch.reported; ++i) {
    const ReplicaOutcome& o = batch.outcomes[i];
    if (!o.done) continue;
    const Point& p = points[i % p_count];
    for (const auto& setting : p.settings) csv << csv_field(setting.second) << ",";
    csv << o.seed << "," << hex16(o.fingerprint) << "," << csv_field(o.error);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      csv << ",";
      if (o.error.empty() && m < o.metrics.size() && o.metrics[m]) {
        csv << *o.metrics[m];
        values[i % p_count][m].push_back(*o.metrics[m]);
      }
    }
    csv << "\n";
  }
  return {csv.str(), std::move(values)};
}

// Per point, the mean and 95% CI of every metric: JSON rows and the table on stdout.
struct PointRows {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  std::string table;  // one row per point, one column of means per metric
};

PointRows build_point_rows(const std::vector<Point>& points, const std::vector<Axis>& axes, const PointValues& values,
                           const std::vector<MetricDef>& metrics) {
  PointRows rows;
  TextTable table;  // columns as wide as their content, so long metric keys stay apart
  table.header = {"point"};
  table.right = {false};
  for (const MetricDef& m : metrics) {
    table.header.push_back(m.key);
    table.right.push_back(true);
  }
  for (std::uint64_t p = 0; p < points.size(); ++p) {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& setting : points[p].settings) params[setting.first] = setting.second;
    nlohmann::ordered_json numbers = nlohmann::ordered_json::object();  // the numeric parameters' values
    for (std::size_t k = 0; k < axes.size(); ++k) {
      if (axes[k].numeric) numbers[points[p].settings[k].first] = axes[k].values[p];
    }
    nlohmann::ordered_json row = {{"label", points[p].label}, {"params", params}, {"values", numbers}};
    std::vector<std::string> line = {points[p].label};
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const Interval iv = mean_ci95(values[p][m]);
      row["metrics"][metrics[m].key] = {{"n", iv.n}, {"mean", iv.mean}, {"ci_low", iv.ci_low}, {"ci_high", iv.ci_high}};
      line.push_back(iv.n ? format_metric(iv.mean) : std::string("-"));
    }
    table.rows.push_back(line);
    rows.json.push_back(row);
  }
  rows.table = table.str();
  return rows;
}

// How the ranges were sampled, or null.
nlohmann::ordered_json sample_json(const SweepOptions& options) {
  if (options.sample.empty()) return nullptr;
  const SampleSpec s = parse_sample(options.sample);
  return {{"method", s.method == SampleMethod::lhs ? "lhs" : "random"}, {"n", s.n}, {"seed", options.sample_seed}};
}

// sweep.json and the data report.html draws.
struct SweepJson {
  nlohmann::ordered_json out;     // sweep.json
  nlohmann::ordered_json report;  // report.html
};

// Per parameter: its path, short name, whether it is numeric (and its unit) and its range if sampled.
nlohmann::ordered_json axes_json(const std::vector<ParamSpec>& specs, const std::vector<Axis>& axes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < specs.size(); ++k) {
    out.push_back({{"path", specs[k].path},
                   {"name", last_segment(specs[k].path)},
                   {"numeric", axes[k].numeric},
                   {"unit", axes[k].unit},
                   {"range", specs[k].range.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(specs[k].range)}});
  }
  return out;
}

SweepJson sweep_json(const SweepOptions& options, const std::vector<ParamSpec>& specs, const std::vector<Axis>& axes,
                     const Batch& batch, std::uint64_t p_count, const nlohmann::ordered_json& point_rows) {
  const std::uint64_t n = options.batch.seeds;
  nlohmann::ordered_json metric_defs = nlohmann::ordered_json::array();
  for (const MetricDef& m : batch.metrics) {
    metric_defs.push_back({{"key", m.key}, {"label", m.label}, {"unit", m.unit}, {"better", better_name(m.better)}});
  }
  nlohmann::ordered_json params_json = nlohmann::ordered_json::array();
  for (const ParamSpec& s : specs) params_json.push_back(s.path);
  nlohmann::ordered_json out = {{"command", "sweep"},
                                {"complete", !batch.interrupted && batch.reported == p_count * n},
                                {"topology", options.topology},
                                {"params", params_json},
                                {"axes", axes_json(specs, axes)},
                                {"sample", sample_json(options)},
                                {"seeds", n},
                                {"first_seed", options.batch.first_seed},
                                {"replicas_completed", batch.completed()},
                                {"replicas_total", p_count * n},
                                {"metrics", metric_defs},
                                {"points", point_rows}};
  nlohmann::ordered_json report = {{"kind", "sweep"},
                                   {"title", "sweep " + topology_label(options.topology)},
                                   {"generated_by", std::string("shardsim ") + SHARDSIM_VERSION},
                                   {"runs", nlohmann::ordered_json::array()},  // the first point's first seed
                                   {"sweep", {{"params", params_json}, {"axes", out["axes"]}, {"sample", out["sample"]}, {"seeds", n}, {"metrics", metric_defs}, {"points", point_rows}}}};
  if (batch.reported > 0 && batch.outcomes[0].done && !batch.outcomes[0].report.is_null()) {
    report["runs"].push_back(batch.outcomes[0].report);
  }
  return {std::move(out), std::move(report)};
}

// Writes sweep.csv, sweep.json and report.html into out_dir; false (after one error line) when
// one could not be written.
bool write_outputs(const std::string& out_dir, const std::string& csv, const SweepJson& json) {
  try {
    write_file_atomically(out_dir + "/sweep.csv", csv);
    write_file_atomically(out_dir + "/sweep.json", json.out.dump(2) + "\n");
    write_file_atomically(out_dir + "/report.html", render_report_html(json.report));
  } catch (const std::exception& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int sweep_command(const SweepOptions& options) {
  std::vector<ParamSpec> specs;
  std::vector<Point> points;
  std::vector<Axis> axes;
  try {
    for (const std::string& text : options.params) specs.push_back(parse_param(text));
    const auto values = point_values(options, specs);
    axes = param_axes(specs, values);
    points = make_points(options, specs, values);
  } catch (const ParamError& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return kExitUsage;
  }
  const std::uint64_t p_count = points.size();
  const std::uint64_t n = options.batch.seeds;
  const BatchPlan plan = make_plan(options, points);
  const Batch batch = run_batch(plan);
  int code = batch.failed > 0 ? kExitFailure : kExitOk;

  const Runs runs = collect_runs(batch, specs, points);
  const PointRows rows = build_point_rows(points, axes, runs.values, batch.metrics);
  SweepJson json = sweep_json(options, specs, axes, batch, p_count, rows.json);
  std::ostringstream risk_text;
  if (options.risk) {
    json.out["risk"] = risk_view(plan, batch, risk_text);
    json.report["risk_groups"] = json.out["risk"];
  }
  if (!write_outputs(options.batch.out_dir, runs.csv, json)) {
    code = kExitFailure;
  }
  std::cout << rows.table << "(means over the seeds; 95% CIs in sweep.json)\n"
            << risk_text.str()
            << "sweep: " << batch.completed() << "/" << p_count * n << " replicas; wrote " << options.batch.out_dir
            << "/sweep.csv, sweep.json, report.html\n"
            << std::flush;
  if (batch.interrupted) {
    std::cerr << "shardsim: interrupted; kept the " << batch.completed() << " completed replicas (marked incomplete)\n";
    return kExitInterrupted;
  }
  return code;
}

}  // namespace shardsim::app
