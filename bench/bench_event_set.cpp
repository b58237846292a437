// Event-set hold benchmark (pop the minimum, push a successor at now + Exp(mean 1000us)) at
// populations 10^3..10^6, for the calendar queue the kernel uses and the alternatives it was
// chosen over: a binary heap (std::priority_queue) and a balanced tree (std::multiset).
#include <benchmark/benchmark.h>

#include <queue>
#include <set>
#include <vector>

#include "core/event_set.hpp"
#include "core/rng.hpp"

namespace shardsim::bench {
namespace {

using core::Event;

struct Later {
  bool operator()(const Event& a, const Event& b) const { return core::event_before(b, a); }
};
struct Before {
  bool operator()(const Event& a, const Event& b) const { return core::event_before(a, b); }
};

struct CalendarSet {
  core::EventSet s;
  void push(const Event& e) { s.push(e); }
  Event pop() {
    const Event e = s.top();
    s.pop();
    return e;
  }
};
struct HeapSet {
  std::priority_queue<Event, std::vector<Event>, Later> s;
  void push(const Event& e) { s.push(e); }
  Event pop() {
    const Event e = s.top();
    s.pop();
    return e;
  }
};
struct TreeSet {
  std::multiset<Event, Before> s;
  void push(const Event& e) { s.insert(e); }
  Event pop() {
    const Event e = *s.begin();
    s.erase(s.begin());
    return e;
  }
};

template <class Set>
void BM_Hold(benchmark::State& state) {
  const auto population = static_cast<std::size_t>(state.range(0));
  core::Rng rng(7);
  Set set;
  std::uint64_t seq = 0;
  auto make = [&](std::int64_t now) {
    Event e;
    e.time_us = now + 1 + static_cast<std::int64_t>(rng.exponential(1000.0));
    e.order = core::make_order(0, seq++);
    return e;
  };
  for (std::size_t i = 0; i < population; ++i) set.push(make(0));
  for (std::size_t i = 0; i < population; ++i) set.push(make(set.pop().time_us));  // warm up
  for (auto _ : state) {
    const Event e = set.pop();
    set.push(make(e.time_us));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_Hold<CalendarSet>)->Name("BM_HoldCalendar")->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_Hold<HeapSet>)->Name("BM_HoldBinaryHeap")->RangeMultiplier(10)->Range(1000, 1000000);
BENCHMARK(BM_Hold<TreeSet>)->Name("BM_HoldMultiset")->RangeMultiplier(10)->Range(1000, 1000000);

}  // namespace
}  // namespace shardsim::bench
