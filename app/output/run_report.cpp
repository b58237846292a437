// Writes report.html and timeseries.csv for `shardsim run`.
#include "app/output/run_report.hpp"

#include "app/output/atomic_file.hpp"
#include "app/output/csv.hpp"
#include "app/output/headline.hpp"
#include "app/output/report_html.hpp"

namespace shardsim::app {

nlohmann::ordered_json run_report_data(const Simulation& world, const nlohmann::ordered_json& summary) {
  nlohmann::ordered_json run = world.report_data();
  run["complete"] = summary.contains("complete") ? summary.at("complete") : nlohmann::ordered_json(true);
  run["headline"] = run_headline(summary);
  for (const char* key : {"incomplete_reason", "faults", "workload", "cross_shard"}) {
    if (summary.contains(key)) run[key] = summary.at(key);
  }
  nlohmann::ordered_json page;
  page["kind"] = "run";
  page["title"] = "shardsim run: " + run.at("name").get<std::string>();
  page["generated_by"] = std::string("shardsim ") + SHARDSIM_VERSION;
  page["runs"] = nlohmann::ordered_json::array({run});
  return page;
}

void write_run_report(const std::string& out_dir, const Simulation& world, const nlohmann::ordered_json& summary) {
  write_file_atomically(out_dir + "/report.html", render_report_html(run_report_data(world, summary)));
  write_file_atomically(out_dir + "/timeseries.csv", timeseries_csv(world.time_series()));
}

}  // namespace shardsim::app
