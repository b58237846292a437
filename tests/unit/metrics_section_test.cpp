// Tests user metrics: the topology's `metrics:` section (each mistake one line at its key path,
// line and column), `--metric NAME=PATH[:better]` parsing, paths into a summary (list items by
// index or id, errors naming what exists), and the per-broker metrics read from a summary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/batch/metrics.hpp"
#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/user_metrics.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;

TEST(MetricsSection, LoadsAndIsReadBackWithPositions) {
  const std::string yaml = std::string(kBare) +
                           "metrics:\n"                                                  // 5
                           "  a_txs: shards.a.txs_included\n"                            // 6
                           "  b_fund: {path: brokers.0.default_fund_used, better: lower}\n";  // 7
  (void)load_topology_string(yaml, "t.yaml");
  const auto dir = std::filesystem::temp_directory_path() / ("shardsim-metrics-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "m.yaml").string();
  std::ofstream(file) << yaml;
  const Topology t = load_topology_file(file);
  const auto specs = topology_metrics(t);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "a_txs");
  EXPECT_EQ(specs[0].path, "shards.a.txs_included");
  EXPECT_EQ(specs[0].better, Better::neutral);
  EXPECT_EQ(specs[0].line, 6);
  EXPECT_EQ(specs[1].better, Better::lower);
  EXPECT_EQ(specs[1].key_path, "metrics.b_fund.path");
  EXPECT_EQ(specs[1].line, 7);
  EXPECT_EQ(specs[1].file, file);
  std::filesystem::remove_all(dir);
}

TEST(MetricsSection, EachMistakeIsOneLineAtItsKey) {
  const std::string base = std::string(kBare) + "metrics:\n";  // line 5
  expect_error(base + "  x: brokers..pnl\n", "metrics.x", 6, {"empty segment", "dotted path"});
  expect_error(base + "  x: brokers.0.pnl usd\n", "metrics.x", 6, {"invalid character"});
  expect_error(base + "  x: {path: brokers.0.pnl, better: up}\n", "metrics.x.better", 6, {"unknown direction", "higher, lower"});
  expect_error(base + "  x: {better: lower}\n", "metrics.x.path", 6, {"missing required key \"path\""});
  expect_error(base + "  x: {path: a, worse: lower}\n", "metrics.x.worse", 6, {"worse"});
  expect_error(std::string(kBare) + "metrics: [a]\n", "metrics", 5, {"a map of metric names"});
}

TEST(MetricOption, ParsesNamePathAndDirection) {
  const UserMetricSpec s = parse_metric_option("fund=brokers.giant.default_fund_used:lower");
  EXPECT_EQ(s.name, "fund");
  EXPECT_EQ(s.path, "brokers.giant.default_fund_used");
  EXPECT_EQ(s.better, Better::lower);
  EXPECT_EQ(parse_metric_option("p=brokers.0.pnl").better, Better::neutral);
  EXPECT_THROW(parse_metric_option("nopath"), ParamError);
  EXPECT_THROW(parse_metric_option("p=a.b:sideways"), ParamError);
  EXPECT_THROW(parse_metric_option("p=a..b"), ParamError);
}

const Summary kSummary = Summary::parse(R"({
  "shards": [{"id": "l2", "txs_included": 30}],
  "brokers": [{"name": "giant", "pnl": -5, "insolvent": true, "margin": {"gross": 3, "net": 2}},
              {"name": "small", "pnl": 7, "insolvent": false, "margin": {"gross": 1, "net": 0}}]})");

TEST(SummaryPath, ReadsByIndexIdOrNameAndSaysWhatExists) {
  EXPECT_EQ(read_summary_path(kSummary, "brokers.1.pnl").value, 7.0);
  EXPECT_EQ(read_summary_path(kSummary, "brokers.giant.pnl").value, -5.0);
  EXPECT_EQ(read_summary_path(kSummary, "shards.l2.txs_included").value, 30.0);
  EXPECT_EQ(read_summary_path(kSummary, "brokers.giant.insolvent").value, 1.0);
  const PathValue missing = read_summary_path(kSummary, "brokers.nobody.pnl");
  EXPECT_FALSE(missing.value);
  EXPECT_NE(missing.error.find("ids: giant, small"), std::string::npos) << missing.error;
  const PathValue key = read_summary_path(kSummary, "brokers.giant.pnl_usd");
  EXPECT_NE(key.error.find("brokers.giant has no key \"pnl_usd\" (similar: pnl; keys: name, pnl, insolvent, margin)"), std::string::npos)
      << key.error;
  EXPECT_NE(read_summary_path(kSummary, "brokers.giant.margin").error.find("a map, not a number"), std::string::npos);
}

TEST(Metrics, EachBrokerOnItsOwnNeverSummed) {
  Topology t;
  t.brokers.resize(2);
  t.brokers[0].name = "giant";
  t.brokers[1].name = "small";
  const auto defs = batch_metrics({&t}, {});
  const auto values = metric_values(defs, kSummary);
  auto value = [&](const std::string& key) -> std::optional<double> {
    for (std::size_t i = 0; i < defs.size(); ++i) {
      if (defs[i].key == key) return values[i];
    }
    ADD_FAILURE() << "no metric " << key;
    return std::nullopt;
  };
  EXPECT_EQ(value("broker.giant.pnl_usd"), -5.0);
  EXPECT_EQ(value("broker.small.pnl_usd"), 7.0);
  EXPECT_EQ(value("broker.giant.insolvent"), 1.0);
  EXPECT_EQ(value("broker.small.insolvent"), 0.0);
  EXPECT_EQ(value("broker.giant.margin_efficiency"), 1.5);
  EXPECT_FALSE(value("broker.small.margin_efficiency"));  // no net margin: absent, not 0
  EXPECT_FALSE(value("broker.giant.settlement_p50_ms"));  // nothing settled
  EXPECT_EQ(value("throughput_tps"), std::nullopt);         // no sim_seconds
  for (const MetricDef& d : defs) EXPECT_EQ(d.key.find("broker_pnl"), std::string::npos);
  // Directions: losses lower, P&L higher, throughput only describes.
  for (const MetricDef& d : defs) {
    if (d.key == "broker.giant.pnl_usd") {
      EXPECT_EQ(d.better, Better::higher);
    } else if (d.key == "bad_debt_usd" || d.key == "broker.giant.default_fund_used_usd") {
      EXPECT_EQ(d.better, Better::lower);
    } else if (d.key == "throughput_tps") {
      EXPECT_EQ(d.better, Better::neutral);
    }
  }
}

}  // namespace
}  // namespace shardsim::app
