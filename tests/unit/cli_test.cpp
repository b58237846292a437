// Tests the command line as a user meets it: exit codes, one-line errors naming file, line,
// column and key, the seed=/fingerprint= framing, atomic summaries, and Ctrl-C.
#include <gtest/gtest.h>


#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/process.hpp"

namespace shardsim {
namespace {

using testing::run_shardsim;

std::string write_topology(const std::string& tag, const std::string& text) {
  const auto path = testing::scratch_dir(tag) / "t.yaml";
  std::ofstream(path) << text;
  return path.string();
}

TEST(Cli, VersionAndHelp) {
  const auto v = run_shardsim("--version", "cli-version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("shardsim 0."), std::string::npos) << v.out;
  const auto h = run_shardsim("--help", "cli-help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("run"), std::string::npos);
  EXPECT_NE(h.out.find("validate"), std::string::npos);
}

TEST(Cli, BadArgumentsAreOneLineAndExitTwo) {
  for (const std::string args : {"", "run", "run topologies/default.yaml --seed banana", "frobnicate",
                                 "run topologies/default.yaml --bogus"}) {
    SCOPED_TRACE(args);
    const auto r = run_shardsim(args, "cli-bad");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("shardsim: error: ", 0), 0u) << r.err;
  }
}

// A typo gets the nearest command or flag, and the error points to the help that lists them.
TEST(Cli, TyposGetASuggestionAndTheSubcommandsHelp) {
  const auto runn = run_shardsim("runn topologies/default.yaml", "cli-runn");
  EXPECT_EQ(runn.exit_code, 2);
  EXPECT_NE(runn.err.find("unknown command runn; did you mean run?"), std::string::npos) << runn.err;
  EXPECT_NE(runn.err.find("expected one of: run, validate, swarm, compare, sweep, risk"), std::string::npos) << runn.err;
  const auto sed = run_shardsim("run topologies/default.yaml --sed 3", "cli-sed");
  EXPECT_EQ(sed.exit_code, 2);
  EXPECT_NE(sed.err.find("--sed: did you mean --seed?"), std::string::npos) << sed.err;
  EXPECT_NE(sed.err.find("see `shardsim run --help`"), std::string::npos) << sed.err;
  const auto far = run_shardsim("frobnicate", "cli-far");
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  // No arguments at all: the usage on stdout, one error line.
  const auto bare = run_shardsim("", "cli-bare");
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_NE(bare.out.find("Usage"), std::string::npos) << bare.out;
  EXPECT_NE(bare.out.find("risk"), std::string::npos) << bare.out;
}

TEST(Cli, MissingFileNamesTheFile) {
  const auto r = run_shardsim("run does/not/exist.yaml", "cli-missing");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does/not/exist.yaml:"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Cli, BadTopologyNamesLineColumnAndKey) {
  const std::string file = write_topology("cli-badkey",
                                          "name: x\n"
                                          "duration: 1h\n"
                                          "shards:\n"
                                          "  - {id: a, slot: 12s, gas_per_block: 30M}\n"
                                          "  - {id: b, slot: 12s, gas_per_blok: 30M}\n"
                                          "links:\n"
                                          "  default: {latency: {model: constant, value: 24s}}\n");
  for (const std::string cmd : {"run", "validate"}) {
    const auto r = run_shardsim(cmd + " " + file, "cli-badkey-" + cmd);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(file + ":5:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("shards.1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("gas_per_blok"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("expected"), std::string::npos) << r.err;
  }
}

TEST(Cli, RunFramesOutputAndWritesTheSummary) {
  const auto out = testing::scratch_dir("cli-run-out");
  const auto r = run_shardsim("run topologies/two-shards.yaml --seed 11 --out " + out.string(), "cli-run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.out_lines();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front(), "seed=11");
  EXPECT_EQ(lines.back().rfind("fingerprint=", 0), 0u);
  EXPECT_EQ(lines.back().size(), std::string("fingerprint=").size() + 16);
  const auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("seed"), 11);
  EXPECT_EQ("fingerprint=" + summary.at("fingerprint").get<std::string>(), lines.back());
  EXPECT_EQ(summary.at("complete"), true);
  EXPECT_EQ(summary.at("sim_seconds"), 3600.0);
  for (const char* key : {"events", "wall_seconds", "events_per_second"}) EXPECT_TRUE(summary.contains(key)) << key;
  EXPECT_GT(summary.at("events").get<std::uint64_t>(), 0u);
  // Atomic writes: no temporary file is left beside the summary, the page and the series.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(out)) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"report.html", "summary.json", "timeseries.csv"}));
}

// One error line on stderr, exit 2, and the line names `words`.
void expect_usage_error(const testing::ProcessResult& r, const std::string& words) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("shardsim: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
}

TEST(Cli, RunParamOnAPathThatDoesNotExistIsOneLine) {
  const auto out = testing::scratch_dir("cli-param-out").string();
  const std::pair<std::string, std::string> cases[] = {
      {"topologies/prime-broker.yaml --param brokers.3.hedging.policy=none", "'brokers' is a list of 1 items"},
      {"topologies/two-shards.yaml --param brokers.0.hedging.policy=none", "has no key 'brokers'"},
      {"topologies/two-shards.yaml --param shards.0.slot.x=1", "is a value, not a map or list"},
      {"topologies/two-shards.yaml --param shards.c.slot=1s", "'shards' is a list of 2 items; expected an id (a, b) or an index 0..1"},
  };
  for (const auto& [args, words] : cases) {
    SCOPED_TRACE(args);
    const auto r = run_shardsim("run " + args + " --out " + out, "cli-param");
    expect_usage_error(r, words);
    EXPECT_EQ(r.err.rfind("shardsim: error: --param ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  // A missing map is created (two-shards has no `outputs:`); a key the loader does not know in it
  // is the loader's error, at its line and column in the edited document.
  const auto bad = run_shardsim("run topologies/two-shards.yaml --param outputs.bogus=1 --out " + out, "cli-param-loader");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("topologies/two-shards.yaml [outputs.bogus=1]:"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("outputs.bogus: unknown key \"bogus\""), std::string::npos) << bad.err;
}

TEST(Cli, NegativeSeedsAreRejected) {
  const auto out = testing::scratch_dir("cli-seed-out").string();
  const std::string two = "topologies/two-shards.yaml";
  for (const std::string args :
       {"run " + two + " --seed -1", "compare " + two + " " + two + " --first-seed -1", "compare " + two + " " + two +
        " --seeds -1", "sweep " + two + " --param seed=1,2 --first-seed -1", "swarm " + two + " --seeds 1 --first-seed -1",
        "swarm " + two + " --seeds -1", "run " + two + " --seed 18446744073709551616"}) {
    SCOPED_TRACE(args);
    const auto r = run_shardsim(args.starts_with("swarm") ? args : args + " --out " + out, "cli-seed");
    expect_usage_error(r, args.ends_with("551616") ? "18446744073709551616" : "-1");
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Cli, BadOutIsFoundBeforeTheRun) {
  const auto dir = testing::scratch_dir("cli-bad-out");
  const std::string file = (dir / "a-file").string();
  std::ofstream(file) << "not a directory\n";
  const std::string two = "topologies/two-shards.yaml";
  const std::pair<std::string, std::string> places[] = {
      {file, "exists and is not a directory"},
      {file + "/below", "cannot create the directory"},
      {"/proc/shardsim-cannot-write-here", "cannot create the directory"},
  };
  for (const auto& [place, words] : places) {
    for (const std::string cmd :
         {"run " + two, "compare " + two + " " + two + " --seeds 2", "sweep " + two + " --param seed=1,2 --seeds 2"}) {
      SCOPED_TRACE(cmd + " --out " + place);
      const auto r = run_shardsim(cmd + " --out " + place, "cli-bad-out");
      expect_usage_error(r, "--out " + place + ": " + words);
      EXPECT_TRUE(r.out.empty()) << r.out;  // nothing ran
    }
  }
  const auto r = run_shardsim("run " + two + " --out " + (dir / "out").string() + " --dump-state " + dir.string(),
                              "cli-bad-dump");
  expect_usage_error(r, "--dump-state " + dir.string() + ": is a directory");
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Cli, ValidateReportsOk) {
  const auto r = run_shardsim("validate topologies/default.yaml", "cli-validate");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(": ok:"), std::string::npos) << r.out;
}

// Input that loads but looks wrong is a warning with the error's position (validate and run
// still succeed): a volatility of 80,000% a year.
TEST(Cli, ImplausibleVolatilityIsAWarningAtItsKey) {
  const std::string file = write_topology("cli-vol",
                                          "name: vol\nduration: 1h\nassets: {ETH: {}}\n"
                                          "prices:\n  model: gbm\n  step: 1s\n  assets:\n"
                                          "    ETH: {initial: 2000, vol_annual: 80000%}\n"
                                          "shards: [{id: a, slot: 12s, gas_per_block: 1M}]\n"
                                          "links: {default: {latency: {model: constant, value: 1s}}}\n");
  const auto r = run_shardsim("validate " + file, "cli-vol");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("shardsim: warning: " + file + ":8:38: prices.assets.ETH.vol_annual: a volatility of 80000% a year"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run_shardsim("validate topologies/default.yaml", "cli-vol-ok").err, "");
}

// A stablecoin feed that ends far off its peg is a warning on stderr and in the summary: the
// liquidation spiral drains the pool its USDC feed is priced from.
TEST(Cli, StablecoinFeedFarOffItsPegIsAWarning) {
  const auto out = testing::scratch_dir("cli-peg");
  const auto r = run_shardsim("run topologies/liquidation-spiral.yaml --quiet --out " + out.string(), "cli-peg");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("shardsim: warning: the USDC feed on shard lend ended at 1.754 USD, 75% off its true price 1"),
            std::string::npos)
      << r.err;
  const auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("warnings").size(), 1u);
}

TEST(Cli, LimitExceededIsAClearErrorAndAnIncompleteSummary) {
  const std::string file = write_topology("cli-limit",
                                          "name: limited\nduration: 1h\n"
                                          "shards: [{id: a, slot: 12s, gas_per_block: 1M}, {id: b, slot: 12s, gas_per_block: 1M}]\n"
                                          "links: {default: {latency: {model: constant, value: 1s}}}\n"
                                          "workload: {kind: ping, per_shard_per_second: 100}\n"
                                          "limits: {max_events: 1000}\n");
  const auto out = testing::scratch_dir("cli-limit-out");
  const auto r = run_shardsim("run " + file + " --out " + out.string(), "cli-limit");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("limits.max_events = 1000"), std::string::npos) << r.err;
  const auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("complete"), false);
  EXPECT_EQ(r.out_lines().back().rfind("fingerprint=", 0), 0u);
}

// Ctrl-C: the run stops, writes a summary marked incomplete, and exits 130.
TEST(Cli, SigintWritesAnIncompleteSummaryAndExits130) {
  const std::string file = write_topology("cli-sigint",
                                          "name: long\nduration: 100000d\n"
                                          "shards: [{id: a, slot: 12s, gas_per_block: 1M}, {id: b, slot: 12s, gas_per_block: 1M}]\n"
                                          "links: {default: {latency: {model: constant, value: 1s}}}\n"
                                          "workload: {kind: ping, per_shard_per_second: 1000}\n");
  const auto out = testing::scratch_dir("cli-sigint-out");
  // Interrupted once the second line is out (printed after the world is built and the handler installed).
  const testing::InterruptedRun r = testing::interrupt_shardsim_after({"run", file, "--out", out.string()}, "topology=");
  const std::string& seen = r.out;
  ASSERT_EQ(seen.rfind("seed=", 0), 0u) << seen;
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 130);
  const auto summary = nlohmann::json::parse(testing::read_file(out / "summary.json"));
  EXPECT_EQ(summary.at("complete"), false);
  EXPECT_EQ(summary.at("interrupted"), true);
  EXPECT_NE(seen.find("fingerprint="), std::string::npos);
  // The page and the series are written too; the page's data says the run is incomplete.
  EXPECT_NE(testing::read_file(out / "report.html").find("\"complete\":false"), std::string::npos);
  EXPECT_EQ(testing::read_file(out / "timeseries.csv").rfind("t_s,", 0), 0u);
}

}  // namespace
}  // namespace shardsim
