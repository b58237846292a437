// Tests that topologies/ holds the default and that the ping workload's rate follows its
// configuration. Every file's run to completion is checked with its golden file
// (tests/determinism/golden_test.cpp).
#include <gtest/gtest.h>

#include <filesystem>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

std::vector<std::string> topology_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(SHARDSIM_SOURCE_DIR) + "/topologies")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Topologies, DirectoryHasTheDefault) {
  const auto files = topology_files();
  EXPECT_GE(files.size(), 3u);
  EXPECT_TRUE(std::any_of(files.begin(), files.end(), [](const std::string& f) { return f.ends_with("/default.yaml"); }));
}

TEST(Topologies, PingRateMatchesTheConfiguredPoissonRate) {
  const app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/two-shards.yaml");
  app::Simulation world(t, 3);
  world.run();
  const auto w = world.results().at("workload");
  const double expected = t.workload.per_shard_per_second * t.duration.seconds() * 2;
  const double sent = w.at("sent").get<double>();
  // Poisson count: standard deviation sqrt(expected) ~ 600; allow 5 of them.
  EXPECT_NEAR(sent, expected, 5 * std::sqrt(expected));
  // a -> b is lognormal (median 2s, min 500ms), b -> a constant 24s: half the messages take 24s.
  EXPECT_EQ(w.at("latency_us").at("max").get<std::int64_t>(), 24'000'000);
}

}  // namespace
}  // namespace shardsim
