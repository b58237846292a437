// Tests finite perps depth as what lets a hedge be front-run, on topologies/perps-depth.yaml:
// over 20 seeds (common random numbers), the broker's front-run loss measured on the chain (the
// summary's `frontrun`, checked against the broker's `frontrun_loss`):
// - with a vAMM of finite depth, public hedges lose more than with an infinite house at the mark
//   (where nothing a searcher does moves the hedge's price: exactly zero on every seed);
// - with finite depth, private hedges (never in a public feed) lose less than public ones.
// Every run must conserve value.
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

ordered_json depth_run(bool finite, const std::string& privacy, std::uint64_t seed) {
  std::vector<std::pair<std::string, std::string>> settings{{"brokers.0.hedging.privacy", privacy}};
  if (!finite) settings.emplace_back("shards.1.protocols.0.params.markets.ETH-PERP", "{imf: 5%, mmf: 3%}");
  const app::Topology t =
      app::load_topology_with_params(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/perps-depth.yaml", settings);
  app::Simulation world(t, seed);
  world.run();
  EXPECT_TRUE(world.check_conservation().ok) << (finite ? "finite " : "infinite ") << privacy << " seed " << seed;
  return world.results();
}

// The broker's measured loss, checked against the summary's per-victim entry for it.
double broker_loss(const ordered_json& results) { return testing::broker_frontrun_loss(results); }

struct Losses {
  std::vector<std::optional<double>> infinite_public, finite_public, finite_private;
  int finite_public_with_loss = 0;
};

// The three arms once per seed, shared by the tests below.
const Losses& losses() {
  static const Losses all = [] {
    Losses l;
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
      SCOPED_TRACE("seed " + std::to_string(seed));
      l.infinite_public.push_back(broker_loss(depth_run(false, "public", seed)));
      l.finite_public.push_back(broker_loss(depth_run(true, "public", seed)));
      l.finite_private.push_back(broker_loss(depth_run(true, "private", seed)));
      l.finite_public_with_loss += *l.finite_public.back() > 0 ? 1 : 0;
    }
    return l;
  }();
  return all;
}

TEST(PerpsDepth, FiniteDepthLetsASearcherFrontRunPublicHedges) {
  const Losses& l = losses();
  for (const auto& v : l.infinite_public) EXPECT_EQ(*v, 0.0);
  const std::optional<app::Interval> d = app::paired_diff_ci95(l.infinite_public, l.finite_public);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->n, static_cast<std::size_t>(kSeeds));
  std::printf("measured broker perps front-run loss, finite - infinite depth (public): %.2f [%.2f, %.2f] USD over %zu "
              "seeds (%d with a loss)\n",
              d->mean, d->ci_low, d->ci_high, d->n, l.finite_public_with_loss);
  EXPECT_GT(d->ci_low, 0.0);
}

TEST(PerpsDepth, PrivateHedgesLoseLessThanPublicOnesWithFiniteDepth) {
  const Losses& l = losses();
  for (const auto& v : l.finite_private) EXPECT_EQ(*v, 0.0);
  const std::optional<app::Interval> d = app::paired_diff_ci95(l.finite_private, l.finite_public);
  ASSERT_TRUE(d.has_value());
  std::printf("measured broker perps front-run loss, public - private (finite depth): %.2f [%.2f, %.2f] USD over %zu "
              "seeds\n",
              d->mean, d->ci_low, d->ci_high, d->n);
  EXPECT_GT(d->ci_low, 0.0);
}

}  // namespace
}  // namespace shardsim
