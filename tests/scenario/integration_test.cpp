// Tests vertical integration as a structure on topologies/integration.yaml, over 20 seeds with
// common random numbers and paired 95% intervals, integrated against the same world with
// `brokers.0.vertically_integrated=false` (the independent broker only clears):
// - the integrated broker earns its share of the synthetics exchange fees, claimed on chain;
// - in the SNX crash its loss is larger: the stake falls with the collateral and it pays the
//   shortfall of the debt pool into the protocol's reserve from the capital behind its clearing;
// - with SNX calm (no crash, no vol) the fees dominate: it ends ahead of the independent broker;
// - with SNX volatile (400%, no crash) its P&L swings by far more than the fees it earns.
// Every run ends with conservation and the broker's books agreeing with the chain.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;
using Settings = std::vector<std::pair<std::string, std::string>>;

constexpr int kSeeds = 20;
constexpr const char* kCrash = "script.13.price.shock";  // the SNX crash at 100m

ordered_json broker_of(bool integrated, std::uint64_t seed, Settings settings) {
  settings.emplace_back("brokers.0.vertically_integrated", integrated ? "true" : "false");
  const app::Topology t =
      app::load_topology_with_params(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/integration.yaml", settings);
  app::Simulation world(t, seed);
  world.run();
  const app::ConservationReport c = world.check_conservation();
  EXPECT_TRUE(c.ok) << (integrated ? "integrated" : "independent") << " seed " << seed << ": " << c.breach;
  return world.results().at("brokers").at(0);
}

struct Paired {
  std::vector<std::optional<double>> independent, integrated;
};

// Per seed, `measure` of the independent and the integrated broker.
template <class F>
Paired over_seeds(const Settings& settings, F measure, std::vector<ordered_json>* integrated_runs = nullptr) {
  Paired p;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json a = broker_of(false, seed, settings);
    const ordered_json b = broker_of(true, seed, settings);
    EXPECT_EQ(a.at("issuer_fees").get<double>(), 0.0);
    EXPECT_EQ(a.at("issuer_loss").get<double>(), 0.0);
    EXPECT_FALSE(a.contains("issuer"));
    p.independent.push_back(measure(a));
    p.integrated.push_back(measure(b));
    if (integrated_runs) integrated_runs->push_back(b);
  }
  return p;
}

double pnl(const ordered_json& b) { return b.at("pnl").get<double>(); }

TEST(VerticalIntegration, IntegratedBrokerEarnsTheProtocolsFees) {
  std::vector<ordered_json> runs;
  const Paired fees = over_seeds({{"duration", "95m"}}, [](const ordered_json& b) { return b.at("issuer_fees").get<double>(); },
                                 &runs);
  for (const ordered_json& b : runs) {
    const ordered_json& i = b.at("issuer");
    EXPECT_GT(i.at("fee_claims").get<int>(), 0);  // claimed on chain, by cross-shard calls
    EXPECT_GT(i.at("fees_claimed_usd").get<double>(), 0.0);
    EXPECT_GT(i.at("susd_issued").get<double>(), 0.0);
    EXPECT_EQ(i.at("issue_failures").get<int>(), 0);
  }
  const app::Interval d = testing::paired_over_seeds(fees.independent, fees.integrated, kSeeds,
                                                     "issuer fees (USD), integrated - independent");
  EXPECT_GT(d.ci_low, 0.0);
}

TEST(VerticalIntegration, IntegrationStacksProtocolLossOnClearingInACrash) {
  std::vector<ordered_json> runs;
  const Paired loss = over_seeds({}, [](const ordered_json& b) { return -pnl(b); }, &runs);
  for (const ordered_json& b : runs) {
    EXPECT_GT(b.at("issuer").at("backstop_paid_usd").get<double>(), 0.0);  // it defended the peg
    EXPECT_GT(b.at("issuer_loss").get<double>(), 0.0);
  }
  const app::Interval d = testing::paired_over_seeds(loss.independent, loss.integrated, kSeeds,
                                                     "loss in the SNX crash (USD), integrated - independent");
  EXPECT_GT(d.ci_low, 0.0);
}

TEST(VerticalIntegration, FeesDominateWhenTheCollateralIsCalm) {
  const Paired p = over_seeds({{"duration", "95m"}, {kCrash, "0%"}, {"prices.assets.SNX.vol_annual", "0%"}}, pnl);
  const app::Interval d = testing::paired_over_seeds(p.independent, p.integrated, kSeeds,
                                                     "P&L with SNX calm (USD), integrated - independent");
  EXPECT_GT(d.ci_low, 0.0);
}

TEST(VerticalIntegration, VolatileCollateralOutweighsTheFees) {
  // No crash, SNX at its 400% vol: the stake's swings dwarf the fees, both ways.
  const Paired p = over_seeds({{"duration", "95m"}, {kCrash, "0%"}}, [](const ordered_json& b) { return std::abs(pnl(b)); });
  const app::Interval d = testing::paired_over_seeds(p.independent, p.integrated, kSeeds,
                                                     "|P&L| with SNX volatile (USD), integrated - independent");
  EXPECT_GT(d.ci_low, 30'000.0);  // beyond the ~26k of fees the integrated broker earns
}

}  // namespace
}  // namespace shardsim
