// Tests `shardsim compare` and `shardsim sweep` as an architect uses them: the files they write,
// the paired differences, results that do not depend on --jobs, argument errors, Ctrl-C keeping
// completed replicas with exit code 130, and how the key metrics are read from a summary.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/process.hpp"

namespace shardsim {
namespace {

using testing::run_shardsim;

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

const nlohmann::json& metric(const nlohmann::json& compare, const std::string& key) {
  for (const auto& m : compare.at("metrics")) {
    if (m.at("key") == key) return m;
  }
  throw std::runtime_error("no metric " + key);
}

// Lehman by decree: the giant defaults on every seed (a decreed default at 20m) and the small broker never:
// the risk command reports each broker apart, with Wilson intervals and its P&L tail.
TEST(Risk, ReportsEachBrokersSolvencyAsAProbability) {
  const auto out = testing::scratch_dir("risk-lehman");
  const auto r = run_shardsim("risk topologies/lehman-decree.yaml --seeds 20 --jobs 2 --quiet --out " + out.string(), "risk-lehman");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "risk.json"));
  EXPECT_EQ(j.at("complete"), true);
  EXPECT_EQ(j.at("seeds_completed"), 20);
  const auto& giant = j.at("brokers").at(0);
  const auto& small = j.at("brokers").at(1);
  EXPECT_EQ(giant.at("broker"), "giant");
  EXPECT_EQ(giant.at("p_insolvent").at("events"), 20);
  EXPECT_NEAR(giant.at("p_insolvent").at("ci_low").get<double>(), 0.838875, 1e-6);
  EXPECT_EQ(giant.at("time_to_insolvency_s").at("p50"), 1200.0);
  EXPECT_GT(giant.at("var_99").get<double>(), 1e6);
  EXPECT_EQ(small.at("p_insolvent").at("events"), 0);
  EXPECT_NEAR(small.at("p_insolvent").at("ci_high").get<double>(), 0.161125, 1e-6);
  EXPECT_TRUE(small.at("time_to_insolvency_s").is_null());
  // The decomposition adds up to the mean P&L.
  double parts = 0;
  for (const auto& [k, v] : giant.at("pnl_mean_parts_usd").items()) parts += v.get<double>();
  EXPECT_NEAR(parts, giant.at("pnl_mean_usd").get<double>(), 1e-6);
  EXPECT_NE(r.out.find("P(insolvent)"), std::string::npos);
  const auto bad = run_shardsim("risk topologies/lehman.yaml --seeds 0", "risk-bad");
  EXPECT_NE(bad.exit_code, 0);
}

// The liquidation spiral leaves aave with bad debt on every seed and the pool with none.
TEST(Risk, ReportsEachProtocolsBadDebtAsAProbability) {
  const auto out = testing::scratch_dir("risk-spiral");
  const auto r = run_shardsim("risk topologies/liquidation-spiral.yaml --seeds 20 --jobs 2 --quiet --out " + out.string(),
                              "risk-spiral");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "risk.json"));
  const auto& aave = j.at("protocols").at(0);
  const auto& uni = j.at("protocols").at(1);
  EXPECT_EQ(aave.at("protocol"), "aave");
  EXPECT_EQ(aave.at("p_bad_debt").at("events"), 20);
  EXPECT_GT(aave.at("bad_debt_mean_usd").get<double>(), 100'000.0);
  EXPECT_EQ(uni.at("protocol"), "uni");
  EXPECT_EQ(uni.at("p_bad_debt").at("events"), 0);
}

// `--risk` gives sweep (and compare) the risk command's per-broker view for every point: on
// fire-sale, giant at a 4% scan range is insolvent on every seed and at 30% on none, and small,
// reported apart, is never insolvent.
TEST(Sweep, RiskViewReportsEachPointsBrokersApart) {
  const auto out = testing::scratch_dir("sweep-risk");
  const auto r = run_shardsim("sweep topologies/fire-sale.yaml --param brokers.0.margin.scan_range.ETH=4%,30% --seeds 3 --jobs 2 "
                              "--risk --quiet --out " + out.string(), "sweep-risk");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "sweep.json"));
  ASSERT_EQ(j.at("risk").size(), 2u);
  EXPECT_EQ(j.at("risk").at(0).at("label"), "[ETH=4%]");
  EXPECT_EQ(j.at("risk").at(0).at("seeds_completed"), 3);
  EXPECT_EQ(j.at("risk").at(0).at("brokers").at(0).at("broker"), "giant");
  EXPECT_EQ(j.at("risk").at(0).at("brokers").at(0).at("p_insolvent").at("events"), 3);
  EXPECT_EQ(j.at("risk").at(1).at("brokers").at(0).at("p_insolvent").at("events"), 0);
  for (const auto& point : j.at("risk")) {
    EXPECT_EQ(point.at("brokers").at(1).at("broker"), "small");
    EXPECT_EQ(point.at("brokers").at(1).at("p_insolvent").at("events"), 0);
  }
  EXPECT_NE(r.out.find("[ETH=30%] (3 seeds)"), std::string::npos) << r.out;
  // Without --risk there is no risk section.
  const auto plain = run_shardsim("sweep topologies/fire-sale.yaml --param brokers.0.margin.scan_range.ETH=4% --seeds 1 --quiet --out " +
                                  out.string(), "sweep-norisk");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(nlohmann::json::parse(testing::read_file(out / "sweep.json")).contains("risk"));
}

// A 10x BTC long on dydx when BTC drops 12% (on a 30% vol path), liquidated by a keeper a minute
// later by `liq` (below zero equity no reward pays a liquidator; `keeper:perps` pays the oracle's gas): the loss beyond the trader's equity
// empties dydx's 1,000 USDC insurance fund and the rest is socialised, every seed.
TEST(Risk, ReportsEachProtocolsInsuranceFundDrawnAndSocialisedLoss) {
  const auto out = testing::scratch_dir("risk-insurance");
  const std::string topology = (out / "perps-insurance.yaml").string();
  std::ofstream(topology) <<
      "name: perps-insurance\nseed: 3\nduration: 30m\n"
      "assets: {USDC: {decimals: 6}, BTC: {decimals: 8}}\n"
      "prices: {model: gbm, step: 1s, assets: {BTC: {initial: 50000, vol_annual: 30%}, USDC: {initial: 1}}}\n"
      "shards:\n"
      "  - {id: perps, slot: 2s, gas_per_block: 50M, fee_asset: USDC, base_fee: 0.00001,\n"
      "     oracles: {assets: [BTC, USDC], deviation: 0.1%},\n"
      "     protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%, mmf: 3%}},\n"
      "                  liquidation_penalty: 1%, liquidator_share: 50%, insurance_fund: 1000}}]}\n"
      "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
      "accounts: {trader: {shard: perps, balances: {USDC: 10010}}, \"keeper:perps\": {shard: perps, balances: {USDC: 10k}},\n"
      "           liq: {shard: perps, balances: {USDC: 100}}}\n"
      "script:\n"
      "  - {at: 1m, tx: {from: trader, shard: perps, protocol: dydx, op: deposit, args: {amount: 10000}}}\n"
      "  - {at: 2m, tx: {from: trader, shard: perps, protocol: dydx, op: trade, args: {market: BTC-PERP, size: 2}}}\n"
      "  - {at: 20m, price: {asset: BTC, shock: -12%}}\n"
      "  - {at: 21m, tx: {from: liq, shard: perps, protocol: dydx, op: liquidate, args: {account: trader}}}\n";
  const auto r = run_shardsim("risk " + topology + " --seeds 20 --jobs 2 --quiet --out " + out.string(), "risk-insurance");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "risk.json"));
  const auto& dydx = j.at("protocols").at(0);
  EXPECT_EQ(dydx.at("protocol"), "dydx");
  EXPECT_EQ(dydx.at("kind"), "perps");
  EXPECT_EQ(dydx.at("insurance_fund_start_mean_usd"), 1000.0);
  EXPECT_EQ(dydx.at("p_insurance_fund_drawn").at("events"), 20);
  EXPECT_EQ(dydx.at("insurance_fund_drawn_mean_usd"), 1000.0);  // emptied
  EXPECT_EQ(dydx.at("p_socialised").at("events"), 20);
  EXPECT_GT(dydx.at("socialised_mean_usd").get<double>(), 500.0);
  EXPECT_GE(dydx.at("socialised_p99_usd").get<double>(), dydx.at("socialised_mean_usd").get<double>());
  EXPECT_NEAR(dydx.at("p_socialised").at("ci_low").get<double>(), 0.838875, 1e-6);
}

TEST(Compare, HaltedHedgesSettleLaterThanTheBaselineOnTheSameSeeds) {
  const auto out = testing::scratch_dir("compare-halt");
  const auto r = run_shardsim("compare topologies/prime-broker.yaml topologies/halt-mid-hedge.yaml --seeds 3 --jobs 2 --out " +
                                  out.string(),
                              "compare-halt");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "compare.json"));
  EXPECT_EQ(j.at("complete"), true);
  EXPECT_EQ(j.at("replicas_completed"), 6);
  EXPECT_EQ(j.at("topologies"), (nlohmann::json{"prime-broker", "halt-mid-hedge"}));
  const auto& p50 = metric(j, "broker.prime.settlement_p50_ms");
  EXPECT_TRUE(p50.at("rows").at(0).at("diff").is_null());  // A is the baseline
  const auto& b = p50.at("rows").at(1);
  EXPECT_EQ(b.at("n"), 3);
  EXPECT_GT(b.at("diff").at("ci_low").get<double>(), 0.0) << "a perps halt must delay settlement on every seed";
  // With every seed present on both sides, the paired mean difference is the difference of means.
  EXPECT_NEAR(b.at("diff").at("mean").get<double>(),
              b.at("mean").get<double>() - p50.at("rows").at(0).at("mean").get<double>(), 1e-6);
  EXPECT_EQ(j.at("samples").at("broker.prime.settlement_p50_ms").at("halt-mid-hedge").size(), 3u);
  EXPECT_EQ(p50.at("better"), "lower");
  EXPECT_EQ(b.at("verdict"), "worse");  // prime-broker (A) settles faster
  EXPECT_EQ(b.at("verdict_text"), "prime-broker better");
  for (const auto& row : p50.at("rows")) {
    EXPECT_LE(row.at("ci_low").get<double>(), row.at("mean").get<double>());
    EXPECT_GE(row.at("ci_high").get<double>(), row.at("mean").get<double>());
  }
  const std::string csv = testing::read_file(out / "compare.csv");
  EXPECT_EQ(line_count(csv), 1 + j.at("metrics").size() * 2);
  EXPECT_EQ(csv.rfind("metric,unit,better,topology,n,mean,ci_low,ci_high,diff_vs_a_mean", 0), 0u);
  EXPECT_NE(r.out.find("broker prime: settlement latency p50"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("halt-mid-hedge - A [95% CI]"), std::string::npos) << r.out;
}

TEST(Compare, NeedsTwoTopologies) {
  const auto r = run_shardsim("compare topologies/prime-broker.yaml", "compare-one");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
}

TEST(Sweep, EveryReplicaIsTheSameWhateverTheJobs) {
  const std::string args = "sweep topologies/prime-broker.yaml --param brokers.0.hedging.policy=immediate,none "
                           "--param links.pairs.0.latency.median=2s,20s --seeds 2 --quiet --out ";
  const auto one = testing::scratch_dir("sweep-j1");
  const auto two = testing::scratch_dir("sweep-j2");
  ASSERT_EQ(run_shardsim(args + one.string() + " --jobs 1", "sweep-j1").exit_code, 0);
  ASSERT_EQ(run_shardsim(args + two.string() + " --jobs 2", "sweep-j2").exit_code, 0);
  const std::string csv = testing::read_file(one / "sweep.csv");
  EXPECT_EQ(csv, testing::read_file(two / "sweep.csv"));
  EXPECT_EQ(line_count(csv), 1u + 4 * 2);  // header + 4 points x 2 seeds
  EXPECT_EQ(csv.rfind("brokers.0.hedging.policy,links.pairs.0.latency.median,seed,fingerprint,error,", 0), 0u);
  const auto j = nlohmann::json::parse(testing::read_file(one / "sweep.json"));
  ASSERT_EQ(j.at("points").size(), 4u);
  EXPECT_EQ(j.at("points").at(0).at("params").at("brokers.0.hedging.policy"), "immediate");
  // Without hedging nothing settles; with it every seed settles.
  EXPECT_EQ(j.at("points").at(3).at("metrics").at("broker.prime.settlement_p50_ms").at("n"), 0);
  EXPECT_EQ(j.at("points").at(0).at("metrics").at("broker.prime.settlement_p50_ms").at("n"), 2);
  // A slower hedge link settles later.
  EXPECT_GT(j.at("points").at(1).at("metrics").at("broker.prime.settlement_p50_ms").at("mean").get<double>(),
            j.at("points").at(0).at("metrics").at("broker.prime.settlement_p50_ms").at("mean").get<double>());
}

TEST(Sweep, BadParamIsOneLineAndExit2BeforeAnyRun) {
  for (const char* p : {"brokers.9.name=x", "brokers.0.hedging.policy=bogus", "nonsense"}) {
    const auto out = testing::scratch_dir("sweep-bad");
    const auto r = run_shardsim("sweep topologies/prime-broker.yaml --seeds 2 --out " + out.string() + " --param " + p,
                                "sweep-bad");
    EXPECT_EQ(r.exit_code, 2) << p;
    EXPECT_EQ(line_count(r.err), 1u) << p << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(out / "sweep.csv")) << p;
  }
}

// Ctrl-C: the running replica stops, completed ones are written, the files say incomplete, exit 130.
TEST(Sweep, SigintKeepsCompletedReplicasAndExits130) {
  const auto out = testing::scratch_dir("sweep-sigint");
  // Replica 1 runs one minute; replica 2 would run for 30 days (seconds of wall time).
  const testing::InterruptedRun r = testing::interrupt_shardsim_after(
      {"sweep", std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml", "--param", "duration=1m,30d",
       "--seeds", "1", "--jobs", "1", "--out", out.string()},
      "replica 1/2");
  ASSERT_NE(r.out.find("replica 1/2"), std::string::npos) << r.out;
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 130);
  const auto j = nlohmann::json::parse(testing::read_file(out / "sweep.json"));
  EXPECT_EQ(j.at("complete"), false);
  EXPECT_EQ(j.at("replicas_completed"), 1);
  const std::string csv = testing::read_file(out / "sweep.csv");
  EXPECT_EQ(line_count(csv), 2u) << csv;
  EXPECT_NE(csv.find("\n1m,1,"), std::string::npos) << csv;
}

// A sweep row replays with `run --param PATH=V --seed S`: the same fingerprint.
TEST(Sweep, ARowReplaysWithRunParam) {
  const auto out = testing::scratch_dir("sweep-replay");
  ASSERT_EQ(run_shardsim("sweep topologies/prime-broker.yaml --param brokers.0.hedging.policy=none,batch --seeds 2 "
                         "--first-seed 5 --quiet --out " + out.string(),
                         "sweep-replay")
                .exit_code,
            0);
  const std::string csv = testing::read_file(out / "sweep.csv");
  const std::size_t row = csv.find("\nbatch,6,");
  ASSERT_NE(row, std::string::npos) << csv;
  const std::string fingerprint = csv.substr(row + std::string("\nbatch,6,").size(), 16);
  const auto r = run_shardsim("run topologies/prime-broker.yaml --param brokers.0.hedging.policy=batch --seed 6 --quiet --out " +
                                  testing::scratch_dir("sweep-replay-run").string(),
                              "sweep-replay-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out_lines().back(), "fingerprint=" + fingerprint);
  const auto two = run_shardsim("run topologies/prime-broker.yaml --param brokers.0.hedging.policy=none,batch", "run-two");
  EXPECT_EQ(two.exit_code, 2);
}

// The verdict of each metric follows the direction that metric counts as better: spreading
// the layout across shards settles prime's hedges later (colocated better), and its higher
// throughput (retries and cross-shard traffic) is only "higher", never "better".
TEST(Compare, VerdictsFollowEachMetricsBetterDirection) {
  const auto out = testing::scratch_dir("compare-verdicts");
  const auto r = run_shardsim("compare topologies/colocated.yaml topologies/spread.yaml --seeds 5 --jobs 2 --quiet --out " +
                                  out.string(), "compare-verdicts");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "compare.json"));
  const auto& p50 = metric(j, "broker.prime.settlement_p50_ms").at("rows").at(1);
  EXPECT_GT(p50.at("diff").at("ci_low").get<double>(), 0.0);
  EXPECT_EQ(p50.at("verdict"), "worse");
  EXPECT_EQ(p50.at("verdict_text"), "colocated better");
  const auto& tps = metric(j, "throughput_tps");
  EXPECT_EQ(tps.at("better"), "neutral");
  EXPECT_GT(tps.at("rows").at(1).at("diff").at("ci_low").get<double>(), 0.0);
  EXPECT_EQ(tps.at("rows").at(1).at("verdict"), "higher");
  EXPECT_EQ(metric(j, "bad_debt_usd").at("rows").at(1).at("verdict"), "no_difference");
  EXPECT_TRUE(j.at("warnings").empty());  // 5 seeds: no small-sample warning
  EXPECT_NE(r.out.find("colocated better"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("spread higher"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("warning:"), std::string::npos) << r.out;
  EXPECT_NE(testing::read_file(out / "compare.csv").find(",worse\n"), std::string::npos);
}

// Lehman's two brokers are reported apart (never summed): the giant defaults, the small one does not.
TEST(Compare, MetricsArePerBrokerAndFewSeedsWarn) {
  const auto out = testing::scratch_dir("compare-lehman");
  const auto r = run_shardsim("compare topologies/lehman.yaml topologies/lehman-decree.yaml --seeds 2 --jobs 2 --quiet --out " +
                                  out.string(), "compare-lehman");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "compare.json"));
  for (const auto& m : j.at("metrics")) EXPECT_NE(m.at("key"), "broker_pnl");
  const auto& giant = metric(j, "broker.giant.pnl_usd").at("rows").at(0);
  const auto& small = metric(j, "broker.small.pnl_usd").at("rows").at(0);
  // Each broker's own P&L: the giant loses its whole 2M capital, the small one less.
  EXPECT_LT(giant.at("mean").get<double>(), -1.9e6);
  EXPECT_GT(small.at("mean").get<double>(), giant.at("mean").get<double>() + 1e5);
  EXPECT_EQ(metric(j, "broker.giant.insolvent").at("rows").at(1).at("mean"), 1.0);
  EXPECT_EQ(metric(j, "broker.small.insolvent").at("rows").at(1).at("mean"), 0.0);
  EXPECT_GT(metric(j, "broker.giant.default_fund_used_usd").at("rows").at(0).at("mean").get<double>(), 0.0);
  EXPECT_GE(metric(j, "cascade_depth").at("rows").at(0).at("mean").get<double>(), 2.0);
  EXPECT_EQ(metric(j, "cross_shard_latency_p50_ms").at("rows").at(0).at("n"), 2);
  // 2 seeds: a warning on stdout, in compare.json and for the page.
  ASSERT_EQ(j.at("warnings").size(), 1u);
  EXPECT_NE(j.at("warnings").at(0).get<std::string>().find("only 2 seeds"), std::string::npos);
  EXPECT_NE(r.out.find("warning: only 2 seeds"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broker giant: P&L"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broker small: P&L"), std::string::npos) << r.out;
}

// --metric and a topology's metrics: section add columns read from summary.json; a path that
// leads nowhere stops the command before any replica, naming the path and what exists.
TEST(Compare, UserMetricsFromTheCommandLineAndTheTopology) {
  const auto out = testing::scratch_dir("compare-user-metrics");
  const std::string lehman = testing::read_file(std::filesystem::path(SHARDSIM_SOURCE_DIR) / "topologies/lehman.yaml");
  const std::string with = (out / "lehman-metrics.yaml").string();
  std::ofstream(with) << lehman << "\nmetrics:\n  giant_fund: {path: brokers.giant.default_fund_used, better: lower}\n";
  const auto r = run_shardsim("compare topologies/lehman.yaml " + with + " --seeds 2 --quiet --metric small_pnl=brokers.small.pnl:higher"
                              " --metric l2_txs=shards.0.txs_included --out " + out.string(), "compare-user-metrics");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "compare.json"));
  const auto& small = metric(j, "small_pnl");
  EXPECT_EQ(small.at("better"), "higher");
  EXPECT_EQ(small.at("path"), "brokers.small.pnl");
  EXPECT_EQ(j.at("samples").at("small_pnl"), j.at("samples").at("broker.small.pnl_usd"));
  EXPECT_EQ(metric(j, "giant_fund").at("better"), "lower");
  EXPECT_EQ(j.at("samples").at("giant_fund"), j.at("samples").at("broker.giant.default_fund_used_usd"));
  EXPECT_EQ(metric(j, "l2_txs").at("rows").at(0).at("n"), 2);
  EXPECT_NE(r.out.find("small_pnl (brokers.small.pnl)"), std::string::npos) << r.out;

  const auto bad = run_shardsim("compare topologies/lehman.yaml topologies/lehman.yaml --seeds 2 --metric x=brokers.nobody.pnl --out " +
                                out.string(), "compare-bad-metric");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(line_count(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("--metric x=brokers.nobody.pnl"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("ids: giant, small"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out.find("replica"), std::string::npos) << bad.out;

  const std::string typo = (out / "lehman-typo.yaml").string();
  std::ofstream(typo) << lehman << "\nmetrics:\n  fund: brokers.giant.default_fund\n";
  const auto at = run_shardsim("compare topologies/lehman.yaml " + typo + " --seeds 2 --out " + out.string(), "compare-typo-metric");
  EXPECT_EQ(at.exit_code, 2);
  EXPECT_EQ(line_count(at.err), 1u) << at.err;
  EXPECT_EQ(at.err.rfind(typo + ":", 0), 0u) << at.err;  // FILE:LINE:COL: metrics.fund: ...
  EXPECT_NE(at.err.find(": metrics.fund: "), std::string::npos) << at.err;
  EXPECT_NE(at.err.find("no key \"default_fund\""), std::string::npos) << at.err;
  EXPECT_NE(at.err.find("default_fund_used"), std::string::npos) << at.err;  // what exists
}

// A/B on one file: --param B:PATH=V sets the path in a second copy of the topology.
TEST(Compare, ParamMakesAnABOnOneFile) {
  const auto out = testing::scratch_dir("compare-param");
  const auto r = run_shardsim("compare topologies/prime-broker.yaml --param B:brokers.0.hedging.policy=none --seeds 2 --quiet --out " +
                                  out.string(), "compare-param");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::read_file(out / "compare.json"));
  EXPECT_EQ(j.at("topologies"), (nlohmann::json{"prime-broker", "prime-broker[policy=none]"}));
  // Without hedging nothing settles.
  EXPECT_EQ(metric(j, "broker.prime.settlement_p50_ms").at("rows").at(0).at("n"), 2);
  EXPECT_EQ(metric(j, "broker.prime.settlement_p50_ms").at("rows").at(1).at("n"), 0);
  EXPECT_NE(j.at("fingerprints").at("prime-broker").at(0), j.at("fingerprints").at("prime-broker[policy=none]").at(0));
  // The same with two files and a position; a target beyond the topologies is an error.
  const auto two = run_shardsim("compare topologies/prime-broker.yaml topologies/prime-broker.yaml --param 2:brokers.0.hedging.policy=none "
                                "--seeds 2 --quiet --out " + out.string(), "compare-param-2");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(nlohmann::json::parse(testing::read_file(out / "compare.json")).at("fingerprints"), j.at("fingerprints"));
  const auto beyond = run_shardsim("compare topologies/prime-broker.yaml topologies/colocated.yaml --param C:duration=1m --seeds 1 --out " +
                                   out.string(), "compare-param-bad");
  EXPECT_EQ(beyond.exit_code, 2);
  EXPECT_EQ(line_count(beyond.err), 1u) << beyond.err;
}

// With three topologies the columns never run together: between every two of the 9 columns
// (metric, unit, 3 means, 2 x difference and verdict) a stripe of at least two spaces runs down
// every line of the table.
TEST(Compare, ThreeTopologiesTableColumnsLineUp) {
  const auto out = testing::scratch_dir("compare-three");
  const auto r = run_shardsim("compare topologies/colocated.yaml topologies/spread.yaml topologies/prime-broker.yaml --seeds 2 "
                              "--jobs 2 --quiet --out " + out.string(), "compare-three");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> table;
  for (const std::string& line : r.out_lines()) {
    if (line.rfind("(mean over", 0) == 0) break;
    table.push_back(line);
  }
  ASSERT_GT(table.size(), 10u);
  ASSERT_EQ(table[0].rfind("metric", 0), 0u) << table[0];
  std::size_t width = 0;
  for (const auto& line : table) width = std::max(width, line.size());
  auto blank = [&](std::size_t p) {
    return std::all_of(table.begin(), table.end(), [&](const std::string& l) { return p >= l.size() || l[p] == ' '; });
  };
  std::size_t stripes = 0, run = 0;
  for (std::size_t p = 0; p < width; ++p) {
    if (blank(p)) {
      ++run;
    } else {
      if (run >= 2) ++stripes;
      run = 0;
    }
  }
  EXPECT_GE(stripes, 8u) << r.out;
  EXPECT_NE(table[0].find("spread - A [95% CI]"), std::string::npos) << table[0];
  EXPECT_NE(table[0].find("prime-broker - A [95% CI]"), std::string::npos) << table[0];
}

// `range:LO..HI` with `--sample lhs:N`: N points whose values (with their unit) are in sweep.csv
// and, as numbers on the parameter's axis, in sweep.json; the design depends only on
// --sample-seed; a listed parameter multiplies the samples; list items are named by id.
TEST(Sweep, SampledRangesAreInTheFilesAndDeterministic) {
  const std::string args = "sweep topologies/prime-broker.yaml --param duration=10m --param brokers.prime.hedging.policy=immediate,batch "
                           "--param links.pairs.0.latency.median=range:1s..30s --sample lhs:3 --seeds 1 --quiet --out ";
  const auto a = testing::scratch_dir("sweep-lhs-a");
  const auto b = testing::scratch_dir("sweep-lhs-b");
  const auto c = testing::scratch_dir("sweep-lhs-c");
  ASSERT_EQ(run_shardsim(args + a.string(), "sweep-lhs-a").exit_code, 0);
  ASSERT_EQ(run_shardsim(args + b.string(), "sweep-lhs-b").exit_code, 0);
  ASSERT_EQ(run_shardsim(args + c.string() + " --sample-seed 2", "sweep-lhs-c").exit_code, 0);
  const std::string csv = testing::read_file(a / "sweep.csv");
  EXPECT_EQ(csv, testing::read_file(b / "sweep.csv"));
  EXPECT_NE(csv, testing::read_file(c / "sweep.csv"));
  EXPECT_EQ(line_count(csv), 1u + 2 * 3);  // header + 2 policies x 3 samples, 1 seed
  const auto j = nlohmann::json::parse(testing::read_file(a / "sweep.json"));
  EXPECT_EQ(j.at("sample"), nlohmann::json({{"method", "lhs"}, {"n", 3}, {"seed", 1}}));
  const auto& axes = j.at("axes");
  ASSERT_EQ(axes.size(), 3u);
  EXPECT_EQ(axes.at(2).at("numeric"), true);
  EXPECT_EQ(axes.at(2).at("unit"), "s");
  EXPECT_EQ(axes.at(2).at("range"), "1s..30s");
  EXPECT_EQ(axes.at(1).at("numeric"), false);
  ASSERT_EQ(j.at("points").size(), 6u);
  // The three samples lie one in each third of 1..30 s, in order, and both policies get the same ones.
  for (int p = 0; p < 3; ++p) {
    const auto& point = j.at("points").at(p);
    const std::string text = point.at("params").at("links.pairs.0.latency.median");
    const double value = point.at("values").at("links.pairs.0.latency.median");
    EXPECT_EQ(text, std::to_string(static_cast<int>(value)) + "s");
    EXPECT_GE(value, 1.0 + 29.0 * p / 3 - 0.5) << text;
    EXPECT_LE(value, 1.0 + 29.0 * (p + 1) / 3 + 0.5) << text;
    EXPECT_EQ(j.at("points").at(p + 3).at("params").at("links.pairs.0.latency.median"), text);
    EXPECT_NE(csv.find("\n10m,immediate," + text + ",1,"), std::string::npos) << csv;
  }
  // A range needs --sample, and --sample a range: one line, exit 2.
  for (const std::string bad : {"--param links.pairs.0.latency.median=range:1s..30s",
                                "--param links.pairs.0.latency.median=2s --sample lhs:3",
                                "--param links.pairs.0.latency.median=range:1s..30s --sample grid:3"}) {
    const auto r = run_shardsim("sweep topologies/prime-broker.yaml --seeds 1 --quiet --out " + c.string() + " " + bad, "sweep-lhs-bad");
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(line_count(r.err), 1u) << bad << ": " << r.err;
  }
}

}  // namespace
}  // namespace shardsim
