// Tests the clearing cycles between brokers (broker/obligations.hpp) in runs:
// - topologies/netting.yaml nets its ring: the first cycle's three obligations (250k gross)
//   become one payment of 50k from alpha to gamma, and the chain moved exactly what was paid;
// - over 20 seeds of random payments between the clients of three brokers, multilateral cycles
//   execute fewer transfers and move less value on chain than gross ones (paired 95% CIs,
//   counted from the transfers the chain included, not from the plan);
// - the failure rule: when the net payer defaults during a cycle, its failed payment is written
//   off by the broker it was routed to. Netted, that loss is the defaulter's net (50k, borne by
//   gamma); gross, it is every obligation the defaulter owed (100k, borne by beta).
// Every run ends with the conservation audit (chain and brokers' books) passing.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/batch/confidence.hpp"
#include "app/observe/simulation.hpp"
#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"
#include "core/rng.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

const std::string kNetting = std::string(SHARDSIM_SOURCE_DIR) + "/topologies/netting.yaml";

ordered_json run(const app::Topology& t, std::uint64_t seed) {
  app::Simulation world(t, seed);
  world.run();
  const app::ConservationReport c = world.check_conservation();
  EXPECT_TRUE(c.ok) << c.breach;
  return world.results();
}

ordered_json run_netting(const std::string& mode, std::vector<std::pair<std::string, std::string>> params = {}) {
  params.emplace_back("clearing.mode", mode);
  const app::Topology t = app::load_topology_with_params(kNetting, params);
  return run(t, t.seed);
}

const ordered_json& broker(const ordered_json& r, std::size_t b) { return r.at("brokers").at(b).at("clearing"); }

TEST(ClearingCycles, NettingTopologyNetsTheRingToOnePayment) {
  const ordered_json r = run_netting("multilateral");
  const ordered_json& c = r.at("clearing");
  const ordered_json& first = c.at("per_cycle").at(0);
  EXPECT_EQ(first.at("obligations").get<int>(), 3);
  EXPECT_DOUBLE_EQ(first.at("gross_usd").get<double>(), 250'000.0);
  EXPECT_EQ(first.at("payments").get<int>(), 1);
  EXPECT_DOUBLE_EQ(first.at("net_usd").get<double>(), 50'000.0);
  EXPECT_EQ(first.at("paid").get<int>(), 1);
  EXPECT_EQ(c.at("obligations").get<int>(), 11);
  EXPECT_EQ(c.at("transfers_failed").get<int>(), 0);
  EXPECT_EQ(c.at("transfers_pending").get<int>(), 0);
  // What the chain included is what the cycles paid, and less than gross would have sent.
  EXPECT_EQ(c.at("onchain").at("transfers").get<int>(), c.at("transfers_sent").get<int>());
  EXPECT_LT(c.at("transfers_sent").get<int>(), c.at("obligations").get<int>());
  EXPECT_LT(c.at("net_usd").get<double>(), c.at("gross_usd").get<double>());
  // alpha: a1 pays b1 (out), c1 and b1 pay a1/a2 (in), a1 pays a2 inside alpha, a2's 5M rejected.
  EXPECT_EQ(broker(r, 0).at("payments_out").get<int>(), 3);
  EXPECT_EQ(broker(r, 0).at("payments_in").get<int>(), 4);
  EXPECT_EQ(broker(r, 0).at("payments_internal").get<int>(), 1);
  EXPECT_EQ(broker(r, 0).at("payments_rejected").get<int>(), 1);
  for (std::size_t b = 0; b < 3; ++b) {
    EXPECT_DOUBLE_EQ(broker(r, b).at("receivable_usd").get<double>(), 0.0) << b;  // every cycle settled
    EXPECT_DOUBLE_EQ(broker(r, b).at("payable_usd").get<double>(), 0.0) << b;
  }
}

TEST(ClearingCycles, GrossSendsEveryObligationOnChain) {
  const ordered_json r = run_netting("gross");
  const ordered_json& c = r.at("clearing");
  EXPECT_EQ(c.at("obligations").get<int>(), 11);
  EXPECT_EQ(c.at("transfers_sent").get<int>(), 11);
  EXPECT_EQ(c.at("onchain").at("transfers").get<int>(), 11);
  EXPECT_DOUBLE_EQ(c.at("net_usd").get<double>(), c.at("gross_usd").get<double>());
}

// netting.yaml with its script replaced by deposits and `n` random payments drawn from `seed`.
app::Topology random_payments(std::uint64_t seed, const std::string& mode) {
  std::ifstream in(kNetting);
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  yaml = yaml.substr(0, yaml.find("\nscript:"));
  yaml.replace(yaml.find("mode: multilateral}"), 19, "mode: " + mode + "}");
  struct Client {
    const char* name;
    const char* broker;
    const char* shard;
  };
  const Client clients[] = {{"a1", "alpha", "l2"}, {"a2", "alpha", "l2"}, {"b1", "beta", "rollup"}, {"c1", "gamma", "l2"}};
  std::ostringstream s;
  s << "\nscript:\n";
  for (const Client& c : clients) {
    s << "  - {at: 2s, broker: {client: " << c.name << ", broker: " << c.broker << ", op: deposit, args: {from_shard: "
      << c.shard << ", asset: USDC, amount: 1M}}}\n";
  }
  core::Rng rng(0xc1ea'0000 + seed);
  for (int i = 0; i < 24; ++i) {
    const std::size_t from = rng.uniform_index(4);
    std::size_t to = rng.uniform_index(3);
    if (to >= from) ++to;
    const auto at_s = 30 + static_cast<int>(rng.uniform_index(330));
    const auto amount_k = 1 + static_cast<int>(rng.uniform_index(60));
    s << "  - {at: " << at_s << "s, broker: {client: " << clients[from].name << ", broker: " << clients[from].broker
      << ", op: pay, args: {to: " << clients[to].name << ", to_broker: " << clients[to].broker
      << ", asset: USDC, amount: " << amount_k << "k}}}\n";
  }
  return app::load_topology_string(yaml + s.str(), "random-payments.yaml");
}

TEST(ClearingCycles, MultilateralExecutesFewerTransfersAndLessValueOnChainThanGross) {
  constexpr int kSeeds = 20;
  std::vector<std::optional<double>> gross_n, multi_n, gross_v, multi_v;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const app::Topology g = random_payments(seed, "gross");
    const app::Topology m = random_payments(seed, "multilateral");
    const ordered_json rg = run(g, seed).at("clearing");
    const ordered_json rm = run(m, seed).at("clearing");
    EXPECT_EQ(rg.at("obligations"), rm.at("obligations"));
    EXPECT_EQ(rg.at("transfers_failed").get<int>(), 0);
    EXPECT_EQ(rm.at("transfers_failed").get<int>(), 0);
    auto usdc = [](const ordered_json& c) {
      const ordered_json& a = c.at("onchain").at("amount");
      return a.contains("USDC") ? std::stod(a.at("USDC").get<std::string>()) : 0.0;
    };
    gross_n.push_back(rg.at("onchain").at("transfers").get<double>());
    multi_n.push_back(rm.at("onchain").at("transfers").get<double>());
    gross_v.push_back(usdc(rg));
    multi_v.push_back(usdc(rm));
  }
  const std::optional<app::Interval> dn = app::paired_diff_ci95(gross_n, multi_n);
  const std::optional<app::Interval> dv = app::paired_diff_ci95(gross_v, multi_v);
  ASSERT_TRUE(dn && dv);
  std::printf("transfers on chain, multilateral - gross: %.6g [%.6g, %.6g] over %zu seeds\n", dn->mean, dn->ci_low,
              dn->ci_high, dn->n);
  std::printf("USDC moved on chain, multilateral - gross: %.6g [%.6g, %.6g] over %zu seeds\n", dv->mean, dv->ci_low,
              dv->ci_high, dv->n);
  EXPECT_EQ(dn->n, static_cast<std::size_t>(kSeeds));
  EXPECT_LT(dn->ci_high, 0.0);
  EXPECT_LT(dv->ci_high, 0.0);
}

// alpha defaults at 1m50s, after the first ring's obligations entered the cycle closing at 2m.
// alpha is the cycle's net payer (it owes 100k to beta and is owed 50k by gamma).
TEST(ClearingCycles, NetPayerDefaultIsTheReceiversLossOfItsNet) {
  const std::vector<std::pair<std::string, std::string>> fault = {
      {"faults", "[{at: 1m50s, broker_default: {broker: alpha}}]"}};
  const ordered_json m = run_netting("multilateral", fault);
  const ordered_json g = run_netting("gross", fault);
  const ordered_json& mc = m.at("clearing");
  const ordered_json& gc = g.at("clearing");
  // Netted: alpha's one payment of 50k to gamma fails; gamma writes it off, beta loses nothing.
  EXPECT_EQ(mc.at("per_cycle").at(0).at("failed").get<int>(), 1);
  EXPECT_EQ(mc.at("per_cycle").at(0).at("failed_payers").at(0).get<std::string>(), "alpha");
  EXPECT_DOUBLE_EQ(mc.at("loss_usd").get<double>(), 50'000.0);
  EXPECT_DOUBLE_EQ(broker(m, 2).at("loss_usd").get<double>(), 50'000.0);
  EXPECT_DOUBLE_EQ(broker(m, 1).at("loss_usd").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(broker(m, 0).at("payable_usd").get<double>(), 50'000.0);  // alpha keeps the debt
  // Gross: alpha's 100k to beta fails; beta writes it off; gamma's 50k to alpha was paid.
  EXPECT_EQ(gc.at("per_cycle").at(0).at("failed").get<int>(), 1);
  EXPECT_DOUBLE_EQ(gc.at("loss_usd").get<double>(), 100'000.0);
  EXPECT_DOUBLE_EQ(broker(g, 1).at("loss_usd").get<double>(), 100'000.0);
  EXPECT_DOUBLE_EQ(broker(g, 2).at("loss_usd").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(broker(g, 0).at("payable_usd").get<double>(), 100'000.0);
  // After the default alpha's clients can pay no one; payments to them still clear.
  EXPECT_EQ(broker(m, 0).at("payments_out").get<int>(), 1);
  EXPECT_GE(broker(m, 0).at("payments_rejected").get<int>(), 2);
  // The loss reaches the receiver's capital.
  EXPECT_LT(m.at("brokers").at(2).at("pnl").get<double>(), -49'999.0);
  EXPECT_LT(g.at("brokers").at(1).at("pnl").get<double>(), -99'999.0);
}

}  // namespace
}  // namespace shardsim
