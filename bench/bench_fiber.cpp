// Fiber call round trip: an actor calls a server actor on the same LP, which replies at once;
// each iteration is one request and one reply through the engine (two fiber switches each way).
#include <benchmark/benchmark.h>

#include "core/actor.hpp"
#include "core/sequential_engine.hpp"

namespace shardsim::bench {
namespace {

struct Req {
  static constexpr core::MsgKind kKind = 901;
  std::uint64_t n = 0;
};

void BM_FiberCallRoundTrip(benchmark::State& state) {
  constexpr std::uint64_t kCalls = 1'000'000;
  std::uint64_t done = 0;
  for (auto _ : state) {
    state.PauseTiming();
    core::EngineConfig cfg;
    cfg.lookahead = core::Duration::us(1);
    auto engine_ptr = std::make_unique<core::SequentialEngine>(cfg);
    core::SequentialEngine& engine = *engine_ptr;
    const core::LpId lp = engine.add_lp("lp");
    const core::EndpointId server = engine.add_actor(lp, "server", [](core::Actor& self) {
      for (;;) {
        core::Message m = self.receive();
        self.reply(m, core::Duration{}, Req{m.as<Req>().n + 1});
      }
    }, core::SimTime{});
    engine.add_actor(lp, "client", [&](core::Actor& self) {
      for (std::uint64_t i = 0; i < kCalls; ++i) {
        auto r = self.call(server, Req{i}, core::Duration::s(1), core::Duration{});
        benchmark::DoNotOptimize(r);
      }
      done += kCalls;
    }, core::SimTime{});
    state.ResumeTiming();
    engine.run(core::SimTime::max());
    state.PauseTiming();
    engine_ptr.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(done));
}

BENCHMARK(BM_FiberCallRoundTrip)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace shardsim::bench
