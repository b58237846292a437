// Tests every topology in topologies/ at its default seed against its golden file
// (tests/golden/<name>.json): the fingerprint and headline numbers (events, included
// transactions, broker P&L, bad debt, settlement p50, conservation). A deliberate model change
// regenerates them all with `make golden` (SHARDSIM_UPDATE_GOLDEN=1 writes instead of compares),
// so every behaviour change shows in review. Each run also has to complete, conserve value, and
// its ping workload (if any) never beats the link floor.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/batch/metrics.hpp"
#include "app/batch/replica.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

namespace fs = std::filesystem;

fs::path source_dir() { return fs::path(SHARDSIM_SOURCE_DIR); }

std::vector<std::string> topology_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(source_dir() / "topologies")) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool updating() {
  const char* v = std::getenv("SHARDSIM_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// The golden files' headline numbers, as they were first recorded: over all brokers, the P&L
// summed and the settlement p50 weighted by settled count (compare reports them per broker).
nlohmann::ordered_json broker_pnl_sum(const nlohmann::ordered_json& summary) {
  if (!summary.contains("brokers") || summary.at("brokers").empty()) return nullptr;
  double pnl = 0;
  for (const auto& b : summary.at("brokers")) pnl += b.at("pnl").get<double>();
  return pnl;
}

nlohmann::ordered_json settlement_p50_weighted(const nlohmann::ordered_json& summary) {
  double weighted = 0, count = 0;
  if (summary.contains("brokers")) {
    for (const auto& b : summary.at("brokers")) {
      const auto& s = b.at("settlement_latency_ms");
      const double n = s.at("count").get<double>();
      if (n <= 0) continue;
      weighted += n * s.at("p50").get<double>();
      count += n;
    }
  }
  if (count <= 0) return nullptr;
  return weighted / count;
}

nlohmann::ordered_json key_metric(const nlohmann::ordered_json& summary, const std::string& key) {
  for (const auto& def : app::key_metrics()) {
    if (def.key != key) continue;
    const auto v = def.read(summary);
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  }
  ADD_FAILURE() << "no key metric " << key;
  return nullptr;
}

// The headline of one run, as its golden file holds it.
nlohmann::ordered_json headline(const app::Topology& t, app::Simulation& world, const core::RunStats& stats) {
  const nlohmann::ordered_json summary = app::make_summary(t, t.seed, world, stats, "", 0.0);
  std::uint64_t txs = 0;
  for (const auto& s : summary.at("shards")) txs += s.at("txs_included").get<std::uint64_t>();
  nlohmann::ordered_json g;
  g["topology"] = "topologies/" + fs::path(t.file).filename().string();
  g["seed"] = t.seed;
  g["fingerprint"] = summary.at("fingerprint");
  g["events"] = stats.events;
  g["txs_included"] = txs;
  g["broker_pnl"] = broker_pnl_sum(summary);
  g["bad_debt"] = key_metric(summary, "bad_debt_usd");
  g["settlement_p50_ms"] = settlement_p50_weighted(summary);
  g["conservation"] = summary.at("conservation").at("ok").get<bool>() ? "ok" : "BREACHED";
  return g;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, TopologyAtItsDefaultSeedMatchesItsGoldenFile) {
  const std::string name = GetParam();
  const app::Topology t = app::load_topology_file((source_dir() / "topologies" / (name + ".yaml")).string());
  app::Simulation world(t, t.seed);
  const core::RunStats stats = world.run();
  ASSERT_FALSE(stats.interrupted);
  EXPECT_EQ(stats.end_time, core::SimTime::zero() + t.duration);
  EXPECT_GT(stats.events, 0u);
  const app::ConservationReport conservation = world.check_conservation();
  EXPECT_TRUE(conservation.ok) << name << ": " << conservation.breach;
  if (t.workload.kind == "ping") {
    const auto w = world.results().at("workload");
    EXPECT_GT(w.at("received").get<std::uint64_t>(), 0u);
    EXPECT_EQ(w.at("sent").get<std::uint64_t>(),
              w.at("received").get<std::uint64_t>() + w.at("in_flight").get<std::uint64_t>());
    // The fastest message cannot beat the lookahead, the minimum link floor.
    EXPECT_GE(w.at("latency_us").at("p50").get<std::int64_t>(), world.lookahead().count_us());
  }
  const nlohmann::ordered_json actual = headline(t, world, stats);

  const fs::path file = source_dir() / "tests" / "golden" / (name + ".json");
  if (updating()) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << actual.dump(2) << "\n";
    std::cout << "updated " << file.string() << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(file)) << "topology " << name << " has no golden file " << file.string()
                                << "; run `make golden` and commit tests/golden/";
  const nlohmann::ordered_json expected = nlohmann::ordered_json::parse(testing::read_file(file));
  std::string diff;
  for (const auto& [key, value] : actual.items()) {
    const nlohmann::ordered_json want = expected.contains(key) ? expected.at(key) : nlohmann::ordered_json("(absent)");
    if (want != value) diff += "\n  " + key + ": golden " + want.dump() + ", now " + value.dump();
  }
  for (const auto& [key, value] : expected.items()) {
    if (!actual.contains(key)) diff += "\n  " + key + ": golden " + value.dump() + ", now (absent)";
  }
  EXPECT_TRUE(diff.empty()) << "topology " << name << " differs from tests/golden/" << name << ".json:" << diff
                            << "\nIf the change is deliberate, run `make golden` and commit tests/golden/.";
}

INSTANTIATE_TEST_SUITE_P(Topologies, Golden, ::testing::ValuesIn(topology_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string id = info.param;
                           std::replace(id.begin(), id.end(), '-', '_');
                           return id;
                         });

// Every topology has a golden file, and a golden file whose topology is gone (never compared
// again) is flagged.
TEST(GoldenFiles, OnePerTopology) {
  const auto names = topology_names();
  for (const std::string& name : names) {
    EXPECT_TRUE(fs::exists(source_dir() / "tests" / "golden" / (name + ".json")))
        << "topologies/" << name << ".yaml has no golden file; run `make golden` and commit tests/golden/";
  }
  for (const auto& e : fs::directory_iterator(source_dir() / "tests" / "golden")) {
    if (e.path().extension() != ".json") continue;
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), e.path().stem().string()))
        << e.path().string() << " has no topologies/" << e.path().stem().string() << ".yaml; delete it";
  }
}

}  // namespace
}  // namespace shardsim
