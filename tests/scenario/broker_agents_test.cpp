// Tests the broker's client populations (retail, basis_trader, hedger) on the prime-broker world:
// they deposit, trade through the broker, and the world stays conserved with every saga settled.
#include <gtest/gtest.h>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

agents::AgentSpec population(agents::AgentKind kind, std::uint32_t count, const app::Topology& t,
                             std::vector<std::pair<std::string, double>> capital, double leverage) {
  agents::AgentSpec a;
  a.kind = kind;
  a.count = count;
  a.broker = 0;
  for (const auto& [symbol, units] : capital) a.capital.push_back({*t.asset_index(symbol), agents::Distribution::constant(units)});
  a.leverage = agents::Distribution{agents::Distribution::Kind::uniform, leverage * 0.5, leverage};
  a.every = core::Duration::min(5);
  return a;
}

TEST(BrokerClients, PopulationsTradeThroughTheBrokerAndEverythingSettles) {
  app::Topology t = app::load_topology_file("topologies/prime-broker.yaml");
  t.agents.push_back(population(agents::AgentKind::retail, 20, t, {{"USDC", 20'000}}, 3));
  t.agents.push_back(population(agents::AgentKind::basis_trader, 5, t, {{"USDC", 100'000}}, 8));
  t.agents.push_back(population(agents::AgentKind::hedger, 3, t, {{"ETH", 50}}, 1));
  app::Simulation w(t, t.seed);
  w.run();
  const app::ConservationReport c = w.check_conservation();
  ASSERT_TRUE(c.ok) << c.breach;
  const auto b = w.results().at("brokers").at(0);
  SCOPED_TRACE(b.dump());
  EXPECT_EQ(b.at("clients"), 4 + 20 + 5 + 3);
  EXPECT_EQ(b.at("deposits").get<int>(), 4 + 20 + 5 + 3);
  EXPECT_GT(b.at("orders").at("filled").get<int>(), 50);
  EXPECT_GT(b.at("orders").at("crossed_units").get<double>(), 0.0);
  // Trading goes on to the end, so a settlement (at most the two in flight) may still be running.
  const auto& h = b.at("hedges");
  EXPECT_LE(h.at("pending").get<int>(), 2);
  EXPECT_EQ(h.at("sent").get<int>(), h.at("committed").get<int>() + h.at("compensated").get<int>() + h.at("pending").get<int>());
  EXPECT_EQ(b.at("orders").at("reject_reasons").count("no mark for the instrument on the broker's home shard"), 0u);
  // Basis traders net their legs: the broker's net margin is well below the gross.
  EXPECT_GT(b.at("margin").at("efficiency").get<double>(), 1.5);
}

}  // namespace
}  // namespace shardsim
