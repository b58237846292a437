// Tests `--trace`: events.csv of prime-broker.yaml has the header, the same number of columns on
// every row (as pandas reads it), time never decreasing, one message row per message the engine
// delivered, one tx row per transaction included, refused or dropped, one receipt row per receipt
// consumed, the brokers' saga steps as they report them; and tracing never changes the run.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "app/topology/topology_loader.hpp"
#include "app/output/csv.hpp"
#include "app/output/trace_writer.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

std::string topology_path(const std::string& name) { return std::string(SHARDSIM_SOURCE_DIR) + "/topologies/" + name; }

// One CSV record per line (the writer quotes line breaks, none appear here), RFC 4180 quoting.
std::vector<std::string> csv_split(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

TEST(TraceCsv, FieldsAreQuotedOnlyWhenTheyNeedIt) {
  EXPECT_EQ(app::csv_field("plain"), "plain");
  EXPECT_EQ(app::csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(app::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(app::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_split(app::csv_field("x,\"y\"") + ",z"), (std::vector<std::string>{"x,\"y\"", "z"}));
  EXPECT_EQ(app::message_kind_name(201), "TxResult");
  EXPECT_EQ(app::message_kind_name(777), "kind777");
}

TEST(TraceCsv, PrimeBrokerEventsMatchTheRunAndLeaveItUnchanged) {
  const app::Topology t = app::load_topology_file(topology_path("prime-broker.yaml"));
  const auto dir = testing::scratch_dir("trace-prime");
  const std::string path = (dir / "events.csv").string();

  app::Simulation plain(t, t.seed);
  const core::RunStats plain_stats = plain.run();

  app::Simulation world(t, t.seed);
  app::TraceWriter trace(world.trace_names(), path);
  world.attach_trace(trace);
  const core::RunStats stats = world.run();
  EXPECT_FALSE(std::filesystem::exists(path)) << "nothing at the final name before commit";
  trace.commit();
  EXPECT_EQ(world.fingerprint(), plain.fingerprint());
  EXPECT_EQ(stats.events, plain_stats.events);

  std::istringstream in(testing::read_file(path));
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, app::TraceWriter::kHeader);
  const std::size_t columns = csv_split(line).size();
  EXPECT_EQ(columns, 16u);
  std::map<std::string, std::uint64_t> rows;  // kind/event -> count
  std::uint64_t n = 0, messages = 0;
  std::int64_t last_t = 0;
  std::map<std::string, std::uint64_t> tx_ids;  // shard/actor/id of included txs with a notify endpoint
  while (std::getline(in, line)) {
    const std::vector<std::string> f = csv_split(line);
    ASSERT_EQ(f.size(), columns) << "row " << n + 1 << ": " << line;
    const std::int64_t t_us = std::stoll(f[0]);
    ASSERT_GE(t_us, last_t) << "row " << n + 1 << ": " << line;
    last_t = t_us;
    ++rows[f[1] + "/" + f[2]];
    if (f[1] == "message") ++messages;
    if (f[1] == "tx" && (f[2] == "included" || f[2] == "reverted") && !f[6].empty()) ++tx_ids[f[5] + "/" + f[6] + "/" + f[7]];
    ++n;
  }
  EXPECT_EQ(n, trace.rows());
  // One message row per message delivered (actor starts and timers are not messages).
  EXPECT_GT(stats.messages, 0u);
  EXPECT_LT(stats.messages, stats.events);
  EXPECT_EQ(messages, stats.messages);
  std::uint64_t included = 0, refused = 0, dropped = 0, receipts = 0;
  for (std::size_t i = 0; i < t.shards.size(); ++i) {
    included += world.shard(i).stats().txs_included;
    refused += world.shard(i).stats().txs_refused;
    dropped += world.shard(i).stats().txs_dropped;
    receipts += world.shard(i).stats().receipts_consumed;
  }
  EXPECT_GT(included, 0u);
  EXPECT_EQ(rows["tx/included"] + rows["tx/reverted"], included);
  EXPECT_EQ(rows["tx/refused"], refused);
  EXPECT_EQ(rows["tx/dropped"], dropped);
  EXPECT_EQ(rows["receipt/consumed"], receipts);
  // A transaction a submitter tracks (shard, notify endpoint, tx id) is included at most once.
  ASSERT_FALSE(tx_ids.empty());
  for (const auto& [key, count] : tx_ids) EXPECT_EQ(count, 1u) << key;
  // The broker's steps, as its summary counts them.
  const nlohmann::ordered_json b = world.broker(0).report();
  EXPECT_EQ(rows["broker/deposit"], b["deposits"].get<std::uint64_t>());
  EXPECT_EQ(rows["broker/order_filled"], b["orders"]["filled"].get<std::uint64_t>());
  EXPECT_EQ(rows["broker/settlement_started"], b["hedges"]["sent"].get<std::uint64_t>());
  EXPECT_EQ(rows["broker/settlement_committed"], b["hedges"]["committed"].get<std::uint64_t>());
  EXPECT_EQ(rows["broker/hedge_filled"], b["hedges"]["legs_filled"].get<std::uint64_t>());
  EXPECT_EQ(rows["broker/withdrawal_committed"], b["withdrawals"]["committed"].get<std::uint64_t>());
  EXPECT_GT(rows["broker/hedge_filled"], 0u);
}

// The op, protocol, status, quantity and price have their own columns; --trace-kinds keeps only the
// kinds asked for; an unknown kind is a usage error naming the kinds there are.
TEST(TraceCsv, OpsQuantitiesAndStatusHaveColumnsAndKindsFilterRows) {
  const auto dir = testing::scratch_dir("trace-kinds");
  const auto all = testing::run_shardsim("run topologies/prime-broker.yaml --quiet --trace --out '" + (dir / "all").string() + "'", "kinds-all");
  const auto some = testing::run_shardsim(
      "run topologies/prime-broker.yaml --quiet --trace-kinds tx,broker --out '" + (dir / "some").string() + "'", "kinds-some");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ASSERT_EQ(some.exit_code, 0) << some.err;
  EXPECT_EQ(all.out, some.out);  // the same run
  std::map<std::string, std::uint64_t> all_kinds, some_kinds;
  std::uint64_t with_quantity = 0, reverted_with_status = 0, reverted = 0, perps_trades = 0;
  const auto count = [](const std::string& csv, std::map<std::string, std::uint64_t>& kinds, const auto& each) {
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const std::vector<std::string> f = csv_split(line);
      ASSERT_EQ(f.size(), 16u) << line;
      ++kinds[f[1]];
      each(f);
    }
  };
  count(testing::read_file(dir / "all" / "events.csv"), all_kinds, [&](const std::vector<std::string>& f) {
    if (f[1] != "tx" && f[1] != "call") return;
    if (!f[14].empty()) ++with_quantity;
    if (f[2] == "reverted") {
      ++reverted;
      if (!f[13].empty() && f[13] != "ok") ++reverted_with_status;
    }
    if (f[1] == "call" && f[11] == "trade" && f[2] == "executed" && f[8].find("dry_run") == std::string::npos) {
      ++perps_trades;
      EXPECT_FALSE(f[12].empty()) << "protocol";
      EXPECT_FALSE(f[14].empty()) << "quantity";
      EXPECT_FALSE(f[15].empty()) << "fill price";
    }
    if (f[2] == "included") EXPECT_EQ(f[13], "ok");
  });
  count(testing::read_file(dir / "some" / "events.csv"), some_kinds, [](const std::vector<std::string>&) {});
  EXPECT_GT(with_quantity, 0u);
  EXPECT_GT(perps_trades, 0u);
  EXPECT_EQ(reverted_with_status, reverted);
  EXPECT_GT(all_kinds["message"], 0u);
  EXPECT_EQ(some_kinds.size(), 2u);
  EXPECT_EQ(some_kinds["tx"], all_kinds["tx"]);
  EXPECT_EQ(some_kinds["broker"], all_kinds["broker"]);
  EXPECT_EQ(some_kinds.count("message"), 0u);

  const auto bad = testing::run_shardsim("run topologies/prime-broker.yaml --quiet --trace-kinds tx,pings --out '" + (dir / "bad").string() + "'", "kinds-bad");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("pings"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("broker"), std::string::npos) << bad.err;
}

TEST(TraceCsv, RunTraceWritesEventsCsvBesideTheSummaryWithTheSameFingerprint) {
  const auto dir = testing::scratch_dir("trace-cli");
  const auto with = testing::run_shardsim("run topologies/two-shards.yaml --quiet --trace --out '" + (dir / "a").string() + "'", "trace-a");
  const auto without = testing::run_shardsim("run topologies/two-shards.yaml --quiet --out '" + (dir / "b").string() + "'", "trace-b");
  ASSERT_EQ(with.exit_code, 0) << with.err;
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(with.out, without.out);  // seed= and fingerprint= lines
  const std::string csv = testing::read_file(dir / "a" / "events.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), app::TraceWriter::kHeader);
  EXPECT_GT(std::count(csv.begin(), csv.end(), '\n'), 10);
  EXPECT_FALSE(std::filesystem::exists(dir / "b" / "events.csv"));
}

}  // namespace
}  // namespace shardsim
