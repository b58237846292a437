// Tests the options protocol's `settlement` setting on topologies/options.yaml (the article's
// question: is exercise guaranteed?). Cash settlement pays every holder who redeems after the
// dispute window; with `settlement: physical` (exercise window 20m, closing before the run ends)
// the same holder, who redeems instead of exercising in the window, receives nothing: its
// in-the-money 2000 put or calls lapse. Measured on the chain: the holder's balances at the end,
// valued at the final expiry price, less its balances before expiry. Over 20 seeds.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/topology_loader.hpp"
#include "tests/support/paired.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

constexpr int kSeeds = 20;

app::Topology options_world(bool physical) {
  const std::string file = std::string(SHARDSIM_SOURCE_DIR) + "/topologies/options.yaml";
  std::string yaml = testing::read_file(file);
  if (physical) {
    const std::string key = "          settlement: cash\n";
    const std::size_t at = yaml.find(key);
    EXPECT_NE(at, std::string::npos);
    yaml.replace(at, key.size(), "          settlement: physical\n          exercise_window: 20m\n");
  }
  return app::load_topology_string(yaml, file);
}

// USD the holder received for its options at settlement: its USDC above the 990 it kept after
// buying calls, plus its ETH at the final expiry price (it holds no ETH before).
double holder_payout_usd(const app::Topology& t, std::uint64_t seed) {
  app::Simulation sim(t, seed);
  sim.run();
  const app::ConservationReport c = sim.check_conservation();
  EXPECT_TRUE(c.ok) << "seed " << seed << ": " << c.breach;
  const nlohmann::ordered_json state = sim.dump_state();
  const auto& shard = state.at("shards").at("options");
  const auto& b = shard.at("balances").at("holder");
  const auto num = [&](const char* asset) { return b.contains(asset) ? std::stod(b.at(asset).get<std::string>()) : 0.0; };
  const auto& series = shard.at("protocols").at("opyn").at("series").at("oETH2000P");
  EXPECT_TRUE(series.at("final").get<bool>()) << "seed " << seed;
  const double price = std::stod(series.at("expiry_price").get<std::string>());
  return num("USDC") - 990 + num("ETH") * price;
}

TEST(OptionsSettlement, PhysicalSettlementPaysNothingToAHolderWhoDoesNotExercise) {
  std::vector<std::optional<double>> cash, physical;
  const app::Topology c = options_world(false);
  const app::Topology p = options_world(true);
  int paid_in_cash = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    cash.push_back(holder_payout_usd(c, seed));
    physical.push_back(holder_payout_usd(p, seed));
    EXPECT_EQ(*physical.back(), 0.0);
    paid_in_cash += *cash.back() > 0;
  }
  EXPECT_GE(paid_in_cash, kSeeds - 1);  // the 2000 put or the calls end in the money
  const app::Interval d =
      testing::paired_over_seeds(cash, physical, kSeeds, "holder payout USD, physical (not exercised) - cash");
  EXPECT_LT(d.ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
