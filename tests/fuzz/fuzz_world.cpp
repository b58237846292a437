// Fuzzes building and starting a world: any bytes that load as a topology must build a World and
// run for a short simulated time. A TopologyError from loading is the expected outcome for most
// inputs; a run stopped by its event limit is fine; anything else (an exception out of building
// or running, a crash, a sanitizer report, a conservation breach after a complete run) is a bug.
// Inputs are capped so one runs in well under a second: larger worlds are skipped, agent
// populations are cut to kMembersMax members, the run to kRunMax of simulated time and kEventsMax
// events.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace {

using shardsim::core::Duration;

constexpr std::size_t kShardsMax = 8;
constexpr std::size_t kAssetsMax = 16;
constexpr std::size_t kPopulationsMax = 8;
constexpr std::uint32_t kMembersMax = 2;           // per population: larger ones are cut to this
constexpr std::size_t kScriptMax = 256;
constexpr std::uint64_t kPriceGridPointsMax = 200'000;  // over all priced assets
constexpr std::uint64_t kEventsMax = 5'000;
constexpr std::uint64_t kPendingEventsMax = 100'000;
const Duration kRunMax = Duration::min(2);

// Whether a loaded topology is small enough to run here.
bool small_enough(const shardsim::app::Topology& t) {
  if (t.shards.size() > kShardsMax || t.assets.size() > kAssetsMax || t.script.size() > kScriptMax) return false;
  if (t.agents.size() > kPopulationsMax) return false;
  if (t.prices.present) {
    const Duration horizon = t.duration < kRunMax ? t.duration : kRunMax;
    const auto points = static_cast<std::uint64_t>(horizon.count_us() / t.prices.step.count_us()) + 1;
    const std::uint64_t paths = t.prices.assets.empty() ? t.assets.size() : t.prices.assets.size();
    if (paths > 0 && points > kPriceGridPointsMax / paths) return false;
  }
  return true;
}

}  // namespace

// Also called by the corpus replay in the test suite (tests/unit/fuzz_corpus_test.cpp).
int shardsim_fuzz_world_one_input(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  shardsim::app::Topology topology;
  try {
    topology = shardsim::app::load_topology_string(text, "fuzz.yaml");
  } catch (const shardsim::app::TopologyError&) {
    return 0;  // a user error, reported as one line
  }
  if (!small_enough(topology)) return 0;
  if (topology.duration > kRunMax) topology.duration = kRunMax;
  for (auto& a : topology.agents) a.count = std::min(a.count, kMembersMax);
  auto& limits = topology.limits;
  if (limits.max_events == 0 || limits.max_events > kEventsMax) limits.max_events = kEventsMax;
  if (limits.max_pending_events > kPendingEventsMax) limits.max_pending_events = kPendingEventsMax;
  shardsim::app::Simulation world(topology, topology.seed);
  try {
    (void)world.run();
  } catch (const shardsim::core::LimitExceeded&) {
    return 0;  // stopped mid-flight: conservation is only promised at the end of a run
  }
  if (!world.check_conservation().ok) std::abort();
  return 0;
}

#ifndef SHARDSIM_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return shardsim_fuzz_world_one_input(data, size);
}
#endif
