// Models the files `shardsim run` writes beside summary.json for people: report.html (one
// self-contained page) and timeseries.csv (the sampled series).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "app/observe/simulation.hpp"

namespace shardsim::app {

// The page's data for one run: kind "run", a title, the version, and the world's RUN object
// (marked `complete: false` when the summary is).
nlohmann::ordered_json run_report_data(const Simulation& world, const nlohmann::ordered_json& summary);

// Writes OUT/report.html and OUT/timeseries.csv atomically; throws std::runtime_error naming the
// path on failure.
void write_run_report(const std::string& out_dir, const Simulation& world, const nlohmann::ordered_json& summary);

}  // namespace shardsim::app
