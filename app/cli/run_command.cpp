// `shardsim run` and `shardsim validate`.
#include "app/cli/run_command.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/output/atomic_file.hpp"
#include "app/output/headline.hpp"
#include "app/cli/cli.hpp"
#include "app/topology/param_path.hpp"
#include "app/cli/progress.hpp"
#include "app/batch/replica.hpp"
#include "app/output/run_report.hpp"
#include "app/cli/signal_watch.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/output/trace_writer.hpp"
#include "app/observe/simulation.hpp"
#include "core/sequential_engine.hpp"

namespace shardsim::app {

namespace {

// The --param PATH=V settings, one value per path; throws ParamError.
std::vector<std::pair<std::string, std::string>> read_settings(const std::vector<std::string>& params) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const std::string& text : params) {
    const ParamSpec spec = parse_param(text);
    if (spec.values.size() != 1) throw ParamError("--param " + text + ": run takes one value per path (expected PATH=V)");
    settings.emplace_back(spec.path, spec.values.front());
  }
  return settings;
}

void print_banner(const Topology& topology, Simulation& world) {
  std::cout << "topology=" << topology.file << " name=" << topology.name << " duration=" << topology.duration.str()
            << " shards=" << topology.shards.size() << " lookahead=" << world.lookahead().str()
            << " engine=sequential workload=" << topology.workload.kind << "\n"
            << std::flush;
}

// How the run ended.
struct RunEnd {
  core::RunStats stats;
  std::string error;  // a limit that was hit; empty otherwise
  double wall_seconds = 0;
};

// Runs the world to its end (or a limit, or Ctrl-C) with a progress line, then stops watching
// for signals.
RunEnd run_to_end(Simulation& world, const Topology& topology, bool quiet, std::optional<SignalWatch>& watch) {
  RunEnd end;
  const auto wall_start = std::chrono::steady_clock::now();  // wall time is reported, never simulated
  ProgressLine progress(!quiet && ProgressLine::stderr_is_terminal());
  const std::int64_t end_us = topology.duration.count_us();
  world.engine().set_progress_hook([&progress, end_us](core::SimTime now, std::uint64_t events) {
    progress.update_run(now.count_us(), end_us, events);
  });
  try {
    end.stats = world.run();
  } catch (const core::LimitExceeded& e) {
    end.error = e.what();
    end.stats.events = world.engine().events_processed();
    end.stats.end_time = world.engine().now();
  }
  watch.reset();
  progress.clear();
  world.engine().set_progress_hook({});  // the hook must not outlive `progress`
  end.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return end;
}

// Writes summary.json, events.csv (when tracing), the --dump-state file, report.html and
// timeseries.csv; false (after one error line) when one could not be written.
bool write_outputs(const RunOptions& options, Simulation& world, const nlohmann::ordered_json& summary,
                   TraceWriter* trace) {
  try {
    write_file_atomically(options.out_dir + "/summary.json", summary.dump(2) + "\n");
    if (trace) trace->commit();
    if (!options.dump_state.empty()) write_file_atomically(options.dump_state, world.dump_state().dump(2) + "\n");
    write_run_report(options.out_dir, world, summary);  // report.html, timeseries.csv
  } catch (const std::exception& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return false;
  }
  return true;
}

constexpr std::size_t kShardLines = 8;

// Input that loads but looks wrong, and a run that ended looking wrong: one line each on stderr.
void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::cerr << "shardsim: warning: " << w << "\n";
}

// The lines between `seed=` and `fingerprint=` that --quiet leaves out, ending with the headline.
void print_details(const RunOptions& options, const RunEnd& end, const nlohmann::ordered_json& summary,
                   bool conservation_ok, bool traced) {
  const bool complete = end.error.empty() && !end.stats.interrupted;
  std::cout << "events=" << end.stats.events << " sim_time=" << end.stats.end_time.str()
            << " wall_seconds=" << end.wall_seconds
            << " events_per_second=" << static_cast<std::uint64_t>(summary["events_per_second"].get<double>())
            << " complete=" << (complete ? "true" : "false") << "\n";
  for (const auto& f : summary["faults"]) {
    std::cout << "fault " << f["fault"] << " " << f["event"].get<std::string>() << " at " << f["at"].get<std::string>()
              << ": " << f["what"].get<std::string>() << "\n";
  }
  // A handful of shard lines; beyond that, one line for the rest (all of them are in summary.json).
  const auto& shards = summary["shards"];
  for (std::size_t i = 0; i < shards.size() && i < kShardLines; ++i) {
    const auto& s = shards[i];
    std::cout << "shard " << s["id"].get<std::string>() << ": height=" << s["height"] << " txs=" << s["txs_included"]
              << " reverted=" << s["txs_reverted"] << " receipts_in=" << s["receipts_consumed"] << "\n";
  }
  if (shards.size() > kShardLines) {
    std::uint64_t txs = 0, reverted = 0;
    for (std::size_t i = kShardLines; i < shards.size(); ++i) {
      txs += shards[i]["txs_included"].get<std::uint64_t>();
      reverted += shards[i]["txs_reverted"].get<std::uint64_t>();
    }
    std::cout << "... and " << shards.size() - kShardLines << " more shards: txs=" << txs << " reverted=" << reverted
              << " (each in summary.json)\n";
  }
  std::cout << "cross_shard=" << summary["cross_shard"].dump() << "\n";
  if (summary.contains("brokers")) {
    for (const auto& b : summary["brokers"]) {
      std::cout << "broker " << b["name"].get<std::string>() << ": clients=" << b["clients"] << " pnl=" << b["pnl"]
                << " margin gross=" << b["margin"]["gross"] << " net=" << b["margin"]["net"]
                << " efficiency=" << b["margin"]["efficiency"] << " hedges=" << b["hedges"]["committed"] << "/"
                << b["hedges"]["sent"] << " settlement_p50_ms=" << b["settlement_latency_ms"]["p50"]
                << " liquidations=" << b["liquidations"] << " insolvent=" << b["insolvent"] << "\n";
    }
  }
  std::cout << "conservation=" << (conservation_ok ? "ok" : "BREACHED") << "\n";
  if (summary.contains("workload")) std::cout << "workload=" << summary["workload"].dump() << "\n";
  std::cout << "summary=" << options.out_dir << "/summary.json report=" << options.out_dir
            << "/report.html timeseries=" << options.out_dir << "/timeseries.csv"
            << (traced ? " events=" + options.out_dir + "/events.csv" : std::string()) << "\n";
  std::cout << headline_text(run_headline(summary));
}

}  // namespace

int run_command(const RunOptions& options) {
  std::vector<std::pair<std::string, std::string>> settings;
  try {
    settings = read_settings(options.params);
  } catch (const ParamError& e) {
    std::cerr << "shardsim: error: " << e.what() << "\n";
    return kExitUsage;
  }
  const Topology topology = load_topology_with_params(options.topology, settings);
  print_warnings(topology.warnings);
  const std::uint64_t seed = options.seed.value_or(topology.seed);
  std::cout << "seed=" << seed << "\n";
  Simulation world(topology, seed);
  // --trace: every message and settlement event, streamed to OUT/events.csv as the run goes.
  std::unique_ptr<TraceWriter> trace;
  if (options.trace || !options.trace_kinds.empty() || topology.outputs.trace) {
    trace = std::make_unique<TraceWriter>(world.trace_names(), options.out_dir + "/events.csv", options.trace_kinds);
    world.attach_trace(*trace);
  }
  // Installed before anything below is printed, so a Ctrl-C after the banner is always graceful.
  std::optional<SignalWatch> watch(std::in_place, [&world] { world.engine().request_stop(); });
  if (!options.quiet) print_banner(topology, world);
  const RunEnd end = run_to_end(world, topology, options.quiet, watch);
  const std::uint64_t fingerprint = world.fingerprint();

  const nlohmann::ordered_json summary = make_summary(topology, seed, world, end.stats, end.error, end.wall_seconds);
  if (summary.contains("warnings")) print_warnings(summary.at("warnings").get<std::vector<std::string>>());
  const ConservationReport conservation = world.check_conservation();
  if (!conservation.ok) {
    // A breach is a bug in the model, never an expected outcome: say how to reproduce it.
    std::cerr << "shardsim: conservation breached: " << conservation.breach << "; seed=" << seed
              << " sim_time=" << end.stats.end_time.str() << "\n";
  }
  const bool interrupted = end.stats.interrupted;
  int code = !end.error.empty() || !conservation.ok ? kExitFailure : interrupted ? kExitInterrupted : kExitOk;
  if (!write_outputs(options, world, summary, trace.get())) code = kExitFailure;
  if (!end.error.empty()) std::cerr << "shardsim: error: " << end.error << "\n";
  if (interrupted) std::cerr << "shardsim: interrupted at sim_time=" << end.stats.end_time.str() << "; summary marked incomplete\n";
  if (!options.quiet) print_details(options, end, summary, conservation.ok, trace != nullptr);
  std::cout << "fingerprint=" << hex16(fingerprint) << "\n" << std::flush;
  return code;
}

int validate_command(const std::string& path) {
  const Topology topology = load_topology_file(path);
  print_warnings(topology.warnings);
  const core::LinkTable links = make_link_table(topology);
  std::cout << topology.file << ": ok: name=" << topology.name << " shards=" << topology.shards.size()
            << " duration=" << topology.duration.str() << " lookahead=" << links.lookahead().str() << "\n";
  return kExitOk;
}

}  // namespace shardsim::app
