// Tests the named scenarios in topologies/ (issue 6): each runs as written and against a variant
// that removes or changes one thing, and the test asserts the direction of the outcome and the
// exact invariants (conservation, nothing pending), not numbers tuned to one seed.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/cascade_chain.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

std::string scenario_text(const std::string& name) {
  return testing::read_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/" + name);
}

// Replaces the one occurrence of `from` (which must be there) with `to`.
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "no \"" << from << "\" in the scenario";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

ordered_json run_text(const std::string& yaml, const std::string& name, std::uint64_t seed = 0) {
  const app::Topology t = app::load_topology_string(yaml, name);
  app::Simulation w(t, seed == 0 ? t.seed : seed);
  w.run();
  const app::ConservationReport c = w.check_conservation();
  EXPECT_TRUE(c.ok) << name << ": " << c.breach;
  return w.results();
}

TEST(HaltMidHedge, LatencyLossIsHigherThanWithoutTheHalt) {
  const std::string text = scenario_text("halt-mid-hedge.yaml");
  const ordered_json halted = run_text(text, "halt-mid-hedge.yaml").at("brokers").at(0);
  const ordered_json calm =
      run_text(edit(text, "faults:\n  - {at: 10m, shard_halt: {shard: perps, duration: 15m}}\n", "faults: []\n"), "no-halt").at("brokers").at(0);
  EXPECT_GT(halted.at("latency_loss").get<double>(), calm.at("latency_loss").get<double>());
  EXPECT_GT(halted.at("settlement_latency_ms").at("p50").get<double>(), calm.at("settlement_latency_ms").at("p50").get<double>());
  EXPECT_GT(halted.at("hedges").at("timed_out").get<int>(), 0);
  for (const ordered_json* b : {&halted, &calm}) {
    EXPECT_EQ(b->at("hedges").at("pending"), 0);
    EXPECT_EQ(b->at("hedges").at("committed"), b->at("hedges").at("sent"));
  }
}

TEST(Depeg, OffsettingSBtcAgainstThePerpWithoutAHaircutLosesAndAHaircutShrinksTheLoss) {
  const std::string text = scenario_text("depeg.yaml");
  const ordered_json bare = run_text(text, "depeg.yaml").at("brokers").at(0);
  const ordered_json cut = run_text(edit(text, "haircuts: {snx: 0%, dydx: 0%}", "haircuts: {snx: 3%, dydx: 2%}"),
                                    "depeg-haircut").at("brokers").at(0);
  // Without a haircut both basis trades are accepted and both clients end below zero; the
  // broker's waterfall absorbs the deficits. With one, the 20x trade is refused before it opens.
  EXPECT_EQ(bare.at("orders").at("rejected"), 0);
  EXPECT_GT(cut.at("orders").at("rejected").get<int>(), 0);
  EXPECT_EQ(bare.at("liquidations"), 2);
  EXPECT_GT(bare.at("bad_debt").get<double>(), 0.0);
  EXPECT_LT(cut.at("bad_debt").get<double>(), bare.at("bad_debt").get<double>());
}

// The decree variant: giant's capital is wiped by a broker_default fault.
TEST(LehmanDecree, TheLargestBrokerDefaultsAndContagionIsLargerWithoutADefaultFund) {
  const std::string text = scenario_text("lehman-decree.yaml");
  const ordered_json with_fund = run_text(text, "lehman-decree.yaml");
  const ordered_json without = run_text(edit(text, "default_fund: {USDC: 2M}", "default_fund: {USDC: 0}"), "lehman-no-fund");
  for (const ordered_json* r : {&with_fund, &without}) {
    const ordered_json& giant = r->at("brokers").at(0);
    EXPECT_TRUE(giant.at("insolvent").get<bool>());
    EXPECT_DOUBLE_EQ(giant.at("insolvent_at_s").get<double>(), 1200.0);  // the broker_default at 20m
    EXPECT_FALSE(r->at("brokers").at(1).at("insolvent").get<bool>());
    EXPECT_GE(r->at("cascade").at("depth").get<int>(), 2);  // the default, then the insolvency it caused
    EXPECT_GT(giant.at("shortfall").get<double>(), 0.0);
  }
  const double contagion_with = with_fund.at("cascade").at("losses").at("clients").get<double>();
  const double contagion_without = without.at("cascade").at("losses").at("clients").get<double>();
  EXPECT_GT(contagion_without, contagion_with);
  EXPECT_GT(with_fund.at("cascade").at("losses").at("default_fund").get<double>(), 0.0);
}

// The emergent Lehman: no broker_default fault; giant fails through its clients' positions in a
// crash, and small loses through the unpaid variation margin of giant's hedges and its clients' run.
TEST(Lehman, TheAggressiveBrokerFailsFromPositionsAndTheLossReachesTheOtherThroughTheChannels) {
  const std::string text = scenario_text("lehman.yaml");
  EXPECT_EQ(text.find("broker_default:"), std::string::npos);  // no fault decrees it
  const ordered_json r = run_text(text, "lehman.yaml");
  const ordered_json& giant = r.at("brokers").at(0);
  const ordered_json& small = r.at("brokers").at(1);
  EXPECT_TRUE(giant.at("insolvent").get<bool>());
  EXPECT_GE(giant.at("insolvent_at_s").get<double>(), 1200.0);  // after the crash at 20m, not before
  EXPECT_GT(giant.at("bad_debt").get<double>(), 0.0);           // its clients' deficits
  EXPECT_GT(giant.at("interbroker").at("exposure_peak_usd").get<double>(), 0.0);
  // The counterparty limit holds at the trade's mark; the price moves the notional after.
  EXPECT_LE(giant.at("interbroker").at("exposure_peak_usd").get<double>(), 4e6 * 1.05);
  // Small: unpaid variation margin written off, its health down, its clients ran and got paid
  // (its withdrawal delay is shorter than the time to its own default, which never comes).
  EXPECT_GT(small.at("interbroker").at("counterparty_loss_usd").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(small.at("interbroker").at("counterparty_loss_usd").get<double>(),
                   small.at("clearing").at("loss_usd").get<double>());
  EXPECT_LT(small.at("pnl").get<double>(), -small.at("interbroker").at("counterparty_loss_usd").get<double>() * 0.5);
  EXPECT_GT(small.at("runs").at("clients_ran").get<int>(), 0);
  EXPECT_GT(small.at("runs").at("withdrawn_usd").get<double>(), 0.0);
  // Giant's clients ran too late: giant was frozen, their withdrawals refused.
  EXPECT_GT(giant.at("runs").at("refused_usd").get<double>(), 0.0);
  EXPECT_EQ(giant.at("runs").at("withdrawn_usd").get<double>(), 0.0);
}

TEST(OracleFreeze, AStaleOracleDuringACrashLeavesBadDebtInLending) {
  const std::string text = scenario_text("oracle-freeze.yaml");
  const ordered_json frozen = run_text(text, "oracle-freeze.yaml").at("cascade");
  const ordered_json live =
      run_text(edit(text, "faults:\n  - {at: 15m, oracle: {shard: lend, asset: ETH, mode: stale, duration: 30m}}\n",
                    "faults: []\n"),
               "oracle-live")
          .at("cascade");
  EXPECT_GT(frozen.at("bad_debt").at("per_protocol").at("aave").get<double>(), 1000.0);
  EXPECT_EQ(live.at("bad_debt").at("per_protocol").at("aave").get<double>(), 0.0);
  EXPECT_GT(live.at("liquidations").at("protocols").at("aave").get<int>(), 0);  // liquidated in time instead
  EXPECT_GE(frozen.at("depth").get<int>(), 2);  // the stale feed, then aave's bad debt
  // aave's bad debt traces back, through its liquidations and the feed's move, to the stale feed.
  EXPECT_TRUE(testing::caused_by(frozen, "protocol:aave", "fault:oracle lend ETH")) << frozen.at("failures").dump();
}

// Front-running on topologies/frontrun.yaml: one seed shows the public hedge sandwiched and the
// private one not; every lever (private, commit_reveal, split, private agents) is tested over 20
// seeds with paired intervals in frontrun_privacy_test.cpp and frontrun_levers_test.cpp.
TEST(Frontrun, PublicHedgesAreSandwichedPrivateOnesAreNot) {
  const std::string text = scenario_text("frontrun.yaml");
  const ordered_json open = run_text(text, "frontrun.yaml").at("brokers").at(0);
  const ordered_json hidden = run_text(edit(text, "privacy: public", "privacy: private"), "frontrun-private").at("brokers").at(0);
  EXPECT_GT(open.at("frontrun_loss").get<double>(), 0.0);
  EXPECT_EQ(hidden.at("frontrun_loss").get<double>(), 0.0);
  for (const ordered_json* b : {&open, &hidden}) {
    EXPECT_GT(b->at("hedges").at("committed").get<int>(), 0);  // the hedges still go through
  }
}

TEST(LiquidationSpiral, LiquidationsSellIntoThePoolAndTriggerFurtherLiquidations) {
  const std::string text = scenario_text("liquidation-spiral.yaml");
  const ordered_json spiral = run_text(text, "liquidation-spiral.yaml").at("cascade");
  // The same dump with a feed at the true price: the pool moves, aave's view of ETH does not.
  const ordered_json flat = run_text(edit(text, ", source: uni}", "}"), "no-feedback").at("cascade");
  int waves = 0;
  for (const ordered_json& f : spiral.at("failures")) waves += f.at("what") == "liquidations" ? 1 : 0;
  EXPECT_GE(waves, 2);  // each wave's sales made the next borrowers liquidatable
  EXPECT_GT(spiral.at("depth").get<int>(), 1);
  EXPECT_GT(spiral.at("liquidations").at("protocols").at("aave").get<int>(), 5);
  EXPECT_EQ(flat.at("liquidations").at("protocols").count("aave"), 0u);
  EXPECT_LT(flat.at("depth").get<int>(), spiral.at("depth").get<int>());
  // Causality by exposure: the whale's dump is a root, every wave of aave's liquidations traces
  // back to it (never to aave's own bad debt), and the bad debt follows the liquidations.
  const std::string dump = "script:whale swap uni ETH@600s";
  bool dump_seen = false;
  for (const ordered_json& f : spiral.at("failures")) {
    if (f.at("who") == dump) {
      dump_seen = true;
      EXPECT_TRUE(f.at("caused_by").is_null());
    }
    if (f.at("what") != "liquidations") continue;
    EXPECT_TRUE(testing::caused_by(spiral, f.at("who"), dump)) << f.dump();
    EXPECT_FALSE(testing::caused_by(spiral, f.at("who"), "protocol:aave")) << f.dump();
  }
  EXPECT_TRUE(dump_seen) << spiral.at("failures").dump();
  EXPECT_TRUE(testing::caused_by(spiral, "protocol:aave", dump));
}

}  // namespace
}  // namespace shardsim
