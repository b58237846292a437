// Tests that README.md stays true: its topology example loads and runs.
#include <gtest/gtest.h>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

TEST(Readme, TopologyExampleLoadsAndRuns) {
  const std::string readme = testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/README.md");
  const std::size_t start = readme.find("```yaml\nname: two-shards");
  ASSERT_NE(start, std::string::npos);
  const std::size_t body = start + std::string("```yaml\n").size();
  const std::size_t end = readme.find("```", body);
  ASSERT_NE(end, std::string::npos);
  const app::Topology t = app::load_topology_string(readme.substr(body, end - body), "README.md");
  app::Simulation w(t, t.seed);
  w.run();
  EXPECT_TRUE(w.check_conservation().ok);
  EXPECT_EQ(w.results().at("faults").size(), 6u);  // three faults, each logged at start and end
}

// The broker example replaces the brokers and script of topologies/prime-broker.yaml and runs.
TEST(Readme, BrokerExampleLoadsAndRuns) {
  const std::string readme = testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/README.md");
  const std::size_t start = readme.find("```yaml\nbrokers:");
  ASSERT_NE(start, std::string::npos);
  const std::size_t body = start + std::string("```yaml\n").size();
  const std::size_t end = readme.find("```", body);
  ASSERT_NE(end, std::string::npos);
  const std::string world = testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml");
  const std::size_t cut = world.find("\nbrokers:\n");
  ASSERT_NE(cut, std::string::npos);
  const app::Topology t =
      app::load_topology_string(world.substr(0, cut + 1) + readme.substr(body, end - body), "README.md");
  app::Simulation w(t, t.seed);
  w.run();
  EXPECT_TRUE(w.check_conservation().ok);
  const auto broker = w.results().at("brokers").at(0);
  EXPECT_EQ(broker.at("orders").at("filled"), 2);
  EXPECT_EQ(broker.at("withdrawals").at("committed"), 1);
}

}  // namespace
}  // namespace shardsim
