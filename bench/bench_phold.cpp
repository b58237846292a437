// PHOLD throughput: BM_Phold (run-to-completion handlers) and BM_PholdFiber (every LP a fiber
// that receives its events). Each run stops after 5,000,000 events; items_per_second = events/s.
#include <benchmark/benchmark.h>

#include "bench/phold.hpp"
#include "core/sequential_engine.hpp"

namespace shardsim::bench {
namespace {

constexpr std::uint64_t kPholdEvents = 5'000'000;

void run_phold(benchmark::State& state, bool fibers) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto p = static_cast<std::uint32_t>(state.range(1));
  std::uint64_t events = 0;
  double bytes_per_pending = 0;
  for (auto _ : state) {
    state.PauseTiming();
    core::EngineConfig cfg;
    cfg.seed = 1;
    cfg.lookahead = kPholdLookahead;
    cfg.limits.fiber_stack_bytes = 16 * 1024;
    auto engine = std::make_unique<core::SequentialEngine>(cfg);
    PholdModel model;
    model.build(*engine, n, p, kPholdEvents, fibers);
    state.ResumeTiming();
    const core::RunStats st = engine->run(core::SimTime::max());
    state.PauseTiming();
    events += st.events;
    bytes_per_pending = static_cast<double>(engine->event_memory_bytes()) /
                        static_cast<double>(std::max<std::size_t>(1, engine->pending_events()));
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["pending"] = static_cast<double>(n) * p;
  state.counters["bytes_per_pending_event"] = bytes_per_pending;
}

void BM_Phold(benchmark::State& state) { run_phold(state, false); }
void BM_PholdFiber(benchmark::State& state) { run_phold(state, true); }

BENCHMARK(BM_Phold)->ArgsProduct({{1024, 65536}, {1, 16}})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_PholdFiber)->ArgsProduct({{1024, 16384}, {1, 16}})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace shardsim::bench

BENCHMARK_MAIN();
