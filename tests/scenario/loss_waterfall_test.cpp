// Tests the one loss waterfall (issue 14): on lehman.yaml, liquidation-spiral.yaml and a fixture in
// which an unhedged broker's capital is overrun by its clients' gains, every broker's waterfall
// adds up, and its summary entry, the cascade and the time series report the same figures. Over
// 20 seeds, clients' contributions to the default fund shrink the loss socialised to clients
// (paired 95% interval).
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

using nlohmann::ordered_json;

constexpr int kSeeds = 20;
constexpr double kUsdTolerance = 1e-5;  // each figure is rounded to 6 decimals on its own

// An unhedged broker whose two clients are long 800 ETH when ETH jumps 40%: its 300k of capital
// is overrun, its fund and then the clients' contributions pay, the rest is socialised.
constexpr const char* kShortfall = R"(name: shortfall
seed: 7
duration: 15m
assets: {USDC: {decimals: 6}, ETH: {}}
prices:
  model: gbm
  step: 1s
  assets:
    ETH: {initial: 2000, vol_annual: 80%}
    USDC: {initial: 1, vol_annual: 0%}
shards:
  - id: l2
    slot: 2s
    gas_per_block: 100M
    oracles: {assets: [ETH, USDC], deviation: 0.1%, heartbeat: 10m, check_every: 1s}
  - id: perps
    slot: 2s
    gas_per_block: 50M
    oracles: {assets: [ETH], deviation: 0.1%, check_every: 1s}
    protocols:
      - {kind: perps, name: dydx, params: {markets: {ETH-PERP: {imf: 5%, mmf: 3%}}}}
links:
  default: {latency: {model: constant, value: 4s}}
  access_latency: {model: constant, value: 100ms}
accounts:
  whale: {shard: l2, balances: {USDC: 300k}}
  degen: {shard: l2, balances: {USDC: 200k}}
  saver: {shard: l2, balances: {USDC: 300k}}
brokers:
  - name: thin
    home: l2
    capital: {USDC: 300k}
    default_fund: {USDC: 100k}
    margin: {scan_range: {ETH: 12%}}
    hedging: {policy: none}
script:
  - {at: 2s, broker: {client: whale, broker: thin, op: deposit, args: {from_shard: l2, asset: USDC, amount: 300k}}}
  - {at: 2s, broker: {client: degen, broker: thin, op: deposit, args: {from_shard: l2, asset: USDC, amount: 200k}}}
  - {at: 2s, broker: {client: saver, broker: thin, op: deposit, args: {from_shard: l2, asset: USDC, amount: 300k}}}
  - {at: 2m, broker: {client: whale, broker: thin, op: order, args: {instrument: dydx.ETH-PERP, qty: 500}}}
  - {at: 2m, broker: {client: degen, broker: thin, op: order, args: {instrument: dydx.ETH-PERP, qty: 300}}}
  - {at: 10m, price: {asset: ETH, shock: 40%}}
)";

std::string with_contribution(const std::string& share) {
  std::string text = kShortfall;
  const std::string from = "default_fund: {USDC: 100k}";
  text.replace(text.find(from), from.size(), "default_fund: {USDC: 100k, client_contribution: " + share + "}");
  return text;
}

struct Finished {
  ordered_json results, run;
};

Finished run_topology(const app::Topology& t, std::uint64_t seed) {
  app::Simulation w(t, seed);
  w.run();
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << t.name << ": " << c.breach;
  return {w.results(), w.report_data()};
}

double last_value(const ordered_json& run, const std::string& series) {
  for (const ordered_json& s : run.at("timeseries").at("series")) {
    if (s.at("name") == series) return s.at("values").back().get<double>();
  }
  ADD_FAILURE() << "no series " << series;
  return -1;
}

double at(const ordered_json& j, const char* key) { return j.at(key).get<double>(); }

// The waterfall adds up, and the summary, the cascade and the series agree on it.
void expect_one_waterfall(const Finished& f, const std::string& what) {
  SCOPED_TRACE(what);
  const ordered_json& cascade = f.results.at("cascade");
  double bad = 0, fund = 0, socialised = 0;
  const ordered_json brokers = f.results.value("brokers", ordered_json::array());
  for (const ordered_json& b : brokers) {
    const std::string name = b.at("name");
    const ordered_json& w = b.at("waterfall");
    const double entered = at(w, "client_deficits_usd") + at(w, "house_shortfall_usd");
    EXPECT_NEAR(entered,
                at(w, "defaulter_contribution_usd") + at(w, "house_capital_usd") + at(w, "broker_fund_usd") +
                    at(w, "member_contributions_usd") + at(w, "socialised_usd"),
                kUsdTolerance)
        << name;
    EXPECT_NEAR(at(b, "bad_debt"), entered, kUsdTolerance) << name;
    EXPECT_NEAR(at(b, "default_fund_used"),
                at(w, "defaulter_contribution_usd") + at(w, "broker_fund_usd") + at(w, "member_contributions_usd"),
                kUsdTolerance)
        << name;
    EXPECT_EQ(at(b, "socialised"), at(w, "socialised_usd")) << name;
    EXPECT_EQ(at(b, "shortfall"), at(w, "house_shortfall_usd")) << name;
    EXPECT_EQ(cascade.at("waterfall").at(name), w) << name;
    EXPECT_NEAR(last_value(f.run, name + " bad debt"), at(b, "bad_debt"), kUsdTolerance) << name;
    EXPECT_NEAR(last_value(f.run, name + " default fund used"), at(b, "default_fund_used"), kUsdTolerance) << name;
    EXPECT_NEAR(last_value(f.run, name + " socialised"), at(b, "socialised"), kUsdTolerance) << name;
    // A broker whose equity is below 0 at the end has had it covered: nothing is left unaccounted.
    if (b.at("insolvent").get<bool>()) EXPECT_GE(at(b, "capital_end"), -1.0) << name;
    bad += at(b, "bad_debt");
    fund += at(b, "default_fund_used");
    socialised += at(b, "socialised");
  }
  EXPECT_NEAR(at(cascade.at("bad_debt"), "broker"), bad, kUsdTolerance);
  EXPECT_NEAR(at(cascade.at("bad_debt"), "default_fund"), fund, kUsdTolerance);
  EXPECT_NEAR(at(cascade.at("bad_debt"), "socialised"), socialised, kUsdTolerance);
  EXPECT_NEAR(at(cascade.at("losses"), "default_fund"), fund, kUsdTolerance);
  EXPECT_NEAR(at(cascade.at("losses"), "clients"), socialised, kUsdTolerance);
}

Finished run_file(const std::string& name) {
  const app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/" + name);
  return run_topology(t, t.seed);
}

TEST(LossWaterfall, SummaryCascadeAndSeriesAgreeOnLehman) {
  const Finished f = run_file("lehman.yaml");
  expect_one_waterfall(f, "lehman.yaml");
  // Whoever failed there: a loss past its capital shows in its bad-debt series, not only in its
  // capital, and in the cascade as its shortfall with the same amount and a cause.
  for (const ordered_json& b : f.results.at("brokers")) {
    const double shortfall = at(b.at("waterfall"), "house_shortfall_usd");
    if (shortfall <= 0) continue;
    const std::string name = b.at("name");
    EXPECT_GT(last_value(f.run, name + " bad debt"), 0.0);
    bool listed = false;
    for (const ordered_json& e : f.results.at("cascade").at("failures")) {
      if (e.at("who") != "broker:" + name + " shortfall") continue;
      listed = true;
      EXPECT_EQ(at(e, "amount_usd"), shortfall);
      EXPECT_FALSE(e.at("causes").empty()) << e.dump();
    }
    EXPECT_TRUE(listed) << name;
  }
}

TEST(LossWaterfall, SummaryCascadeAndSeriesAgreeOnTheLiquidationSpiral) {
  expect_one_waterfall(run_file("liquidation-spiral.yaml"), "liquidation-spiral.yaml");
}

TEST(LossWaterfall, AnOverrunBrokerPaysFromItsFundThenItsClientsContributionsThenSocialises) {
  const app::Topology t = app::load_topology_string(with_contribution("5%"), "shortfall");
  const Finished f = run_topology(t, t.seed);
  expect_one_waterfall(f, "shortfall, 5%");
  const ordered_json& b = f.results.at("brokers").at(0);
  const ordered_json& w = b.at("waterfall");
  EXPECT_EQ(b.at("orders").at("filled"), 2);  // both orders clear with 5% of the deposits set aside
  EXPECT_TRUE(b.at("insolvent").get<bool>());
  EXPECT_GT(at(w, "house_shortfall_usd"), 100'000.0);
  EXPECT_DOUBLE_EQ(at(w, "broker_fund_usd"), 100'000.0);
  EXPECT_DOUBLE_EQ(at(w, "member_contributions_usd"), 40'000.0);  // 5% of 800k deposited
  EXPECT_GT(at(w, "socialised_usd"), 0.0);
  EXPECT_DOUBLE_EQ(at(w, "client_contributions_held_usd"), 0.0);
}

// The lever: 5% of each deposit set aside as the client's contribution against none. The same
// price paths (common random numbers); the loss socialised to clients is measured on the broker's
// ledger.
TEST(LossWaterfall, ClientContributionsReduceTheLossSocialisedToClients) {
  const app::Topology none = app::load_topology_string(kShortfall, "shortfall");
  const app::Topology five = app::load_topology_string(with_contribution("5%"), "shortfall-5%");
  std::vector<std::optional<double>> a, b;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const ordered_json without = run_topology(none, seed).results.at("brokers").at(0);
    const ordered_json with = run_topology(five, seed).results.at("brokers").at(0);
    EXPECT_EQ(without.at("orders").at("filled"), with.at("orders").at("filled"));  // the same positions
    a.push_back(at(without, "socialised"));
    b.push_back(at(with, "socialised"));
  }
  const app::Interval d = testing::paired_over_seeds(a, b, kSeeds, "socialised loss USD, 5% contributions - none");
  EXPECT_LT(d.ci_high, 0.0);
}

}  // namespace
}  // namespace shardsim
