// Whole-world throughput: a topology from topologies/ built by the app's composition root
// (World) and run for its duration, or for a longer one to show that the cost per event stays
// flat as a run gets longer. Building the world is not timed; items_per_second = events per CPU
// second (CPU time, not wall: on a shared machine wall time measures the other tenants).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/topology/param_path.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim::bench {
namespace {

// duration: empty = the topology's own.
void run_world(benchmark::State& state, const std::string& topology_file, const std::string& duration) {
  std::vector<std::pair<std::string, std::string>> settings;
  if (!duration.empty()) settings.emplace_back("duration", duration);
  const app::Topology topology =
      app::load_topology_with_params(std::string(SHARDSIM_TOPOLOGY_DIR) + "/" + topology_file, settings);
  std::uint64_t events = 0;
  double sim_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto world = std::make_unique<app::Simulation>(topology, topology.seed);
    state.ResumeTiming();
    const core::RunStats stats = world->run();
    state.PauseTiming();
    events += world->engine().events_processed();  // the whole run's, not the last chunk's
    sim_seconds += stats.end_time.count_us() / 1e6;
    world.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events"] = static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["sim_s_per_cpu_s"] = benchmark::Counter(sim_seconds, benchmark::Counter::kIsRate);
}

void register_world(const std::string& name, const std::string& file, const std::string& duration) {
  benchmark::RegisterBenchmark(("BM_World/" + name).c_str(),
                               [file, duration](benchmark::State& s) { run_world(s, file, duration); })
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
}

// eth2-64: 64 shards, 20 protocols, 2 brokers, 443 agents over 6 h (and the same world over 24 h).
const bool kRegistered = [] {
  register_world("eth2-64", "eth2-64.yaml", "");
  register_world("eth2-64/24h", "eth2-64.yaml", "24h");
  register_world("prime-broker", "prime-broker.yaml", "");
  return true;
}();

}  // namespace
}  // namespace shardsim::bench
