// The run's time series: one sample at 0, one every outputs.timeseries_every and one at the end;
// the CSV's header and rows; the report data's shape; sampling never changes the fingerprint.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "app/output/csv.hpp"

namespace shardsim::app {
namespace {

std::string topology_text(const std::string& every, const std::string& duration) {
  return "name: ts\nseed: 3\nduration: " + duration + "\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 80%}}}\n"
         "shards:\n"
         "  - {id: a, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH]}}\n"
         "  - {id: b, slot: 2s, gas_per_block: 30M}\n"
         "links: {default: {latency: {model: constant, value: 4s}}}\n"
         "workload: {kind: ping, per_shard_per_second: 5}\n"
         "outputs: {timeseries_every: " + every + "}\n";
}

std::vector<std::vector<std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream is(csv);
  for (std::string line; std::getline(is, line);) {
    std::vector<std::string> fields;
    std::string f;
    std::istringstream ls(line);
    while (std::getline(ls, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(fields);
  }
  return rows;
}

TEST(Timeseries, OneSampleAtZeroEveryIntervalAndAtTheEnd) {
  const Topology t = load_topology_string(topology_text("7m", "30m"), "ts.yaml");
  Simulation world(t, 3);
  world.run();
  // 0, 7m, 14m, 21m, 28m and the end (30m): ceil(30 / 7) + 1.
  EXPECT_EQ(world.sample_count(), 6u);
  const auto rows = csv_rows(timeseries_csv(world.time_series()));
  ASSERT_EQ(rows.size(), 7u);
  const std::vector<std::string> header = {"t_s", "ETH true", "ETH oracle@a", "mempool a", "mempool b"};
  EXPECT_EQ(rows[0], header);
  const std::vector<std::string> times = {"0", "420", "840", "1260", "1680", "1800"};
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), header.size()) << "row " << i;
    EXPECT_EQ(rows[i][0], times[i - 1]);
  }
  EXPECT_EQ(rows[1][1], "2000");  // the true price starts at its initial value
  EXPECT_EQ(rows[1][2], "");      // no oracle round before the first sample's events
  EXPECT_NE(rows[2][2], "");      // the keeper has pushed one by 7m
  EXPECT_GT(std::stod(rows[2][2]), 1000.0);
}

TEST(Timeseries, SamplingLeavesTheFingerprintAlone) {
  const Topology coarse = load_topology_string(topology_text("10m", "20m"), "ts.yaml");
  const Topology fine = load_topology_string(topology_text("13s", "20m"), "ts.yaml");
  Simulation a(coarse, 5);
  Simulation b(fine, 5);
  const core::RunStats sa = a.run();
  const core::RunStats sb = b.run();
  EXPECT_EQ(a.sample_count(), 3u);
  EXPECT_EQ(b.sample_count(), 94u);  // ceil(1200 / 13) + 1
  EXPECT_EQ(sa.events, sb.events);
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_NE(timeseries_csv(a.time_series()), timeseries_csv(b.time_series()));
}

TEST(Timeseries, ReportDataDescribesTheRun) {
  const Topology t = load_topology_string(topology_text("5m", "20m"), "ts.yaml");
  Simulation world(t, 3);
  world.run();
  const nlohmann::ordered_json r = world.report_data();
  EXPECT_EQ(r.at("name"), "ts");
  EXPECT_EQ(r.at("seed"), 3);
  EXPECT_EQ(r.at("topology").at("shards").size(), 2u);
  EXPECT_EQ(r.at("topology").at("shards")[1].at("slot_ms"), 2000.0);
  EXPECT_EQ(r.at("topology").at("links").size(), 0u);
  EXPECT_EQ(r.at("topology").at("default_link").at("latency_ms"), 4000.0);
  const auto& ts = r.at("timeseries");
  EXPECT_EQ(ts.at("t_s").size(), 5u);
  for (std::size_t i = 1; i < ts.at("t_s").size(); ++i) EXPECT_LT(ts.at("t_s")[i - 1], ts.at("t_s")[i]);
  for (const auto& s : ts.at("series")) EXPECT_EQ(s.at("values").size(), 5u) << s.at("name");
  EXPECT_EQ(ts.at("series")[0].at("group"), "prices");
  EXPECT_EQ(ts.at("series")[0].at("asset"), "ETH");
  const auto& inclusion = r.at("distributions").at("inclusion_delay_ms").at("series");
  ASSERT_EQ(inclusion.size(), 2u);
  EXPECT_GT(inclusion[0].at("count").get<std::uint64_t>(), 0u);
  ASSERT_EQ(inclusion[0].at("p_ms").size(), 100u);
  for (std::size_t i = 1; i < 100; ++i) EXPECT_LE(inclusion[0].at("p_ms")[i - 1], inclusion[0].at("p_ms")[i]);
  EXPECT_TRUE(r.contains("cascade"));
}

}  // namespace
}  // namespace shardsim::app
