// Tests the settlement timeout as a lever, on the architect's case from spread.yaml with 16 s
// bridges: a fixed 10-slot (20 s) timeout cannot cover one two-phase round trip, so (nearly) every
// hedge fails in the prepare and the broker carries its whole exposure; `timeout: auto` follows the
// links and hedges commit. Over 20 seeds (common random numbers), the paired 95% interval of
// the exposure left unhedged over time (USD*s) lies below zero for auto against the fixed
// timeout, and failed hedges are reported as failures, never as settlement-latency samples.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/batch/confidence.hpp"
#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

ordered_json spread_broker(const std::string& timeout, std::uint64_t seed) {
  const app::Topology t = app::load_topology_with_params(
      std::string(SHARDSIM_SOURCE_DIR) + "/topologies/spread.yaml",
      {{"links.default.latency.median", "16s"}, {"brokers.0.settlement.timeout", timeout}});
  app::Simulation world(t, seed);
  world.run();
  EXPECT_TRUE(world.check_conservation().ok) << "timeout " << timeout << " seed " << seed;
  return world.results().at("brokers").at(0);
}

double exposure_usd_s(const ordered_json& broker) {
  return broker.at("settlement").at("unhedged_exposure_usd_s").get<double>();
}

TEST(SettlementTimeout, FollowingTheLinksHedgesWhereAFixedTimeoutCarriesTheWholeExposure) {
  std::vector<std::optional<double>> fixed, follows;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json f = spread_broker("10 slots", seed);
    const ordered_json a = spread_broker("auto", seed);
    const ordered_json& fh = f.at("hedges");
    // Fixed: nearly every settlement fails (a rare fast draw of both bridges fits in 20 s); each
    // failure is counted as one, and only committed settlements are latency samples.
    EXPECT_GT(fh.at("sent").get<int>(), 10);
    EXPECT_LE(fh.at("committed").get<int>() * 10, fh.at("sent").get<int>());
    EXPECT_EQ(fh.at("committed").get<int>() + fh.at("compensated").get<int>() + fh.at("pending").get<int>(),
              fh.at("sent").get<int>());
    EXPECT_EQ(f.at("settlement_latency_ms").at("count"), fh.at("committed"));
    // Auto: the timeout covers three expected round trips, and hedges commit.
    EXPECT_GT(a.at("settlement").at("timeout_ms").get<double>(), 100'000.0);
    EXPECT_GT(a.at("hedges").at("committed").get<int>(), 10);
    fixed.push_back(exposure_usd_s(f));
    follows.push_back(exposure_usd_s(a));
  }
  const std::optional<app::Interval> d = app::paired_diff_ci95(fixed, follows);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->n, static_cast<std::size_t>(kSeeds));
  std::printf("unhedged exposure, auto - fixed timeout: %.0f [%.0f, %.0f] USD*s over %zu seeds\n", d->mean, d->ci_low,
              d->ci_high, d->n);
  EXPECT_LT(d->ci_high, 0.0) << "auto - fixed unhedged exposure: " << d->mean << " [" << d->ci_low << ", " << d->ci_high
                             << "] USD*s";
}

}  // namespace
}  // namespace shardsim
