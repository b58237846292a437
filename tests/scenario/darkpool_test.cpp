// Tests the dark pool as a hedge venue on topologies/darkpool.yaml (the frontrun world with a
// dark pool beside the AMM): over 20 seeds (common random numbers; the contra flow's seed follows
// the run's), paired 95% intervals of the broker's costs hedging through the dark pool against
// public and private hedges on the AMM: front-run loss measured on the chain (public - dark > 0;
// dark is 0 on every seed), exposure left unhedged over time and the USD-weighted mean fill delay
// (dark - private > 0), spread paid (slippage + relay fee: dark - private < 0) and hedge gas.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "tests/support/paired.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

constexpr int kSeeds = 20;

struct Costs {
  double frontrun_usd = 0, exposure_usd_s = 0, fill_delay_s = 0, spread_usd = 0, gas_usd = 0, failed_legs = 0;
};

Costs run(const std::string& route, std::uint64_t seed) {
  std::vector<std::pair<std::string, std::string>> params{{"shards.1.protocols.1.params.flow_seed", std::to_string(seed)}};
  if (route != "dark") {
    params.insert(params.end(), {{"brokers.0.hedging.venues.dark", "false"},
                                 {"brokers.0.hedging.venues.amm", "true"},
                                 {"brokers.0.hedging.privacy", route}});
  }
  const app::Topology t =
      app::load_topology_with_params(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/darkpool.yaml", params);
  app::Simulation world(t, seed);
  world.run();
  EXPECT_TRUE(world.check_conservation().ok) << route << " seed " << seed;
  const ordered_json r = world.results();
  const ordered_json& b = r.at("brokers").at(0);
  Costs c;
  c.frontrun_usd = testing::broker_frontrun_loss(r);
  c.exposure_usd_s = b.at("settlement").at("unhedged_exposure_usd_s").get<double>();
  c.spread_usd = b.at("slippage_paid").get<double>() + b.at("private_cost").get<double>();
  c.gas_usd = b.at("hedge_gas_usd").get<double>();
  c.failed_legs = b.at("hedges").at("legs_failed").get<double>();
  // Mean wait per dollar hedged: exposure x time over the notional the broker ended up holding.
  double hedged_usd = 0;
  for (const ordered_json& p : b.at("hedges").at("positions")) {
    hedged_usd += std::abs(std::stod(p.at("qty").get<std::string>())) * p.at("entry").get<double>();
  }
  EXPECT_GT(hedged_usd, 0) << route << " seed " << seed << ": nothing hedged";
  c.fill_delay_s = hedged_usd > 0 ? c.exposure_usd_s / hedged_usd : 0;
  return c;
}

TEST(DarkPoolHedges, NoFrontRunLossButSlowerFillsThanPrivateHedges) {
  std::vector<std::optional<double>> fr_dark, fr_pub, fr_priv, ex_dark, ex_pub, ex_priv, dl_dark, dl_priv, sp_dark,
      sp_pub, sp_priv, gas_dark, gas_pub, gas_priv, failed_dark, failed_priv;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Costs dark = run("dark", seed), pub = run("public", seed), priv = run("private", seed);
    EXPECT_EQ(dark.frontrun_usd, 0.0);
    fr_dark.push_back(dark.frontrun_usd);
    fr_pub.push_back(pub.frontrun_usd);
    fr_priv.push_back(priv.frontrun_usd);
    ex_dark.push_back(dark.exposure_usd_s);
    ex_pub.push_back(pub.exposure_usd_s);
    ex_priv.push_back(priv.exposure_usd_s);
    dl_dark.push_back(dark.fill_delay_s);
    dl_priv.push_back(priv.fill_delay_s);
    sp_dark.push_back(dark.spread_usd);
    sp_pub.push_back(pub.spread_usd);
    sp_priv.push_back(priv.spread_usd);
    gas_dark.push_back(dark.gas_usd);
    gas_pub.push_back(pub.gas_usd);
    gas_priv.push_back(priv.gas_usd);
    failed_dark.push_back(dark.failed_legs);
    failed_priv.push_back(priv.failed_legs);
  }
  auto mean = [](const std::vector<std::optional<double>>& v) {
    double sum = 0;
    for (const auto& x : v) sum += *x;
    return sum / static_cast<double>(v.size());
  };
  std::printf("means dark / public / private: front-run %.0f / %.0f / %.0f USD; exposure %.4g / %.4g / %.4g USD*s; "
              "fill delay %.1f / - / %.1f s; spread %.0f / %.0f / %.0f USD; gas %.2f / %.2f / %.2f USD\n",
              mean(fr_dark), mean(fr_pub), mean(fr_priv), mean(ex_dark), mean(ex_pub), mean(ex_priv), mean(dl_dark),
              mean(dl_priv), mean(sp_dark), mean(sp_pub), mean(sp_priv), mean(gas_dark), mean(gas_pub), mean(gas_priv));
  using testing::paired_over_seeds;
  const auto fr = paired_over_seeds(fr_dark, fr_pub, kSeeds, "front-run loss USD, public - dark");
  EXPECT_GT(fr.ci_low, 0.0);
  const auto ex = paired_over_seeds(ex_priv, ex_dark, kSeeds, "unhedged exposure USD*s, dark - private");
  EXPECT_GT(ex.ci_low, 0.0);
  const auto exp_pub = paired_over_seeds(ex_pub, ex_dark, kSeeds, "unhedged exposure USD*s, dark - public");
  EXPECT_GT(exp_pub.ci_low, 0.0);
  const auto dl = paired_over_seeds(dl_priv, dl_dark, kSeeds, "fill delay s (exposure / notional), dark - private");
  EXPECT_GT(dl.ci_low, 0.0);
  const auto sp = paired_over_seeds(sp_priv, sp_dark, kSeeds, "spread paid USD (slippage + relay fee), dark - private");
  EXPECT_LT(sp.ci_high, 0.0);
  paired_over_seeds(sp_pub, sp_dark, kSeeds, "spread paid USD, dark - public");
  const auto gas = paired_over_seeds(gas_priv, gas_dark, kSeeds, "hedge gas USD, dark - private (a retry per empty cross)");
  EXPECT_GT(gas.ci_low, 0.0);
  paired_over_seeds(gas_pub, gas_dark, kSeeds, "hedge gas USD, dark - public");
  paired_over_seeds(failed_priv, failed_dark, kSeeds, "failed hedge legs, dark - private");
  paired_over_seeds(fr_dark, fr_priv, kSeeds, "front-run loss USD, private - dark");
}

}  // namespace
}  // namespace shardsim
