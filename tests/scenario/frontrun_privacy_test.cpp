// Tests hedging privacy as a lever on the loss measured on the chain, on topologies/frontrun.yaml:
// over 20 seeds (common random numbers), the paired 95% interval of the broker's measured
// front-run loss, public hedges minus private ones, lies above zero. Private hedges never reach a
// feed, so their loss is exactly zero on every seed; the measured loss is the summary's
// `frontrun` section summed over the broker's swaps.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app/batch/confidence.hpp"
#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

ordered_json frontrun_run(const std::string& privacy, std::uint64_t seed) {
  const app::Topology t = app::load_topology_with_params(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/frontrun.yaml",
                                                         {{"brokers.0.hedging.privacy", privacy}});
  app::Simulation world(t, seed);
  world.run();
  EXPECT_TRUE(world.check_conservation().ok) << privacy << " seed " << seed;
  return world.results();
}

// The broker's measured loss, checked against the summary's per-victim entry for it.
double broker_loss(const ordered_json& results) { return testing::broker_frontrun_loss(results); }

TEST(FrontrunPrivacy, PublicHedgesLoseMoreOnTheChainThanPrivateOnes) {
  std::vector<std::optional<double>> hidden, open;
  int seeds_with_loss = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const double pub = broker_loss(frontrun_run("public", seed));
    const double priv = broker_loss(frontrun_run("private", seed));
    EXPECT_EQ(priv, 0.0);
    seeds_with_loss += pub > 0 ? 1 : 0;
    open.push_back(pub);
    hidden.push_back(priv);
  }
  const std::optional<app::Interval> d = app::paired_diff_ci95(hidden, open);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->n, static_cast<std::size_t>(kSeeds));
  std::printf("measured broker front-run loss, public - private: %.2f [%.2f, %.2f] USD over %zu seeds (%d with a loss)\n",
              d->mean, d->ci_low, d->ci_high, d->n, seeds_with_loss);
  EXPECT_GT(d->ci_low, 0.0) << "public - private front-run loss: " << d->mean << " [" << d->ci_low << ", "
                            << d->ci_high << "] USD";
}

}  // namespace
}  // namespace shardsim
