// Tests the topology loader: a valid file gives every field, omitted sections give their
// defaults, and each kind of user mistake gives one precise line (file, line, column, key path).
#include "app/topology/topology_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

namespace shardsim::app {
namespace {

using core::Duration;
using core::LatencyKind;

// Line numbers below refer to this text.
constexpr std::string_view kValid =
    "name: two-shards\n"                                                             // 1
    "seed: 1\n"                                                                      // 2
    "duration: 1h\n"                                                                 // 3
    "shards:\n"                                                                      // 4
    "  - {id: a, slot: 12s, gas_per_block: 30000000}\n"                              // 5
    "  - {id: b, slot: 12s, slot_offset: 6s, gas_per_block: 30M}\n"                  // 6
    "links:\n"                                                                       // 7
    "  default: {latency: {model: constant, value: 24s}}\n"                          // 8
    "  pairs:\n"                                                                     // 9
    "    - {from: a, to: b, latency: {model: lognormal, median: 2s, sigma: 0.5, min: 500ms}}\n"
    "workload: {kind: ping, per_shard_per_second: 50, payload_bytes: 8}\n"           // 11
    "limits: {max_pending_events: 1M, max_events: 0, max_inflight_calls: 10k}\n"     // 12
    "outputs: {timeseries_every: 1m, trace: false}\n";                               // 13

constexpr std::string_view kMinimal =
    "name: one\n"
    "duration: 10m\n"
    "shards:\n"
    "  - {id: solo, slot: 2s, gas_per_block: 1M}\n"
    "links:\n"
    "  default: {latency: {model: constant, value: 1s}}\n";

// kValid with exactly one occurrence of `from` replaced by `to`.
std::string with(std::string_view from, std::string_view to) {
  std::string text(kValid);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not in kValid: " << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The error loading `yaml` raises; a test failure if it loads.
TopologyError error_of(std::string_view yaml) {
  try {
    (void)load_topology_string(yaml, "t.yaml");
  } catch (const TopologyError& error) {
    return error;
  }
  ADD_FAILURE() << "loaded without error:\n" << yaml;
  return TopologyError("", -1, -1, "", "", "");
}

void expect_error(std::string_view yaml, std::string_view key_path, int line, int column,
                  std::initializer_list<std::string_view> words) {
  const TopologyError error = error_of(yaml);
  SCOPED_TRACE(error.what());
  EXPECT_EQ(error.file(), "t.yaml");
  EXPECT_EQ(error.key_path(), key_path);
  EXPECT_EQ(error.line(), line);
  EXPECT_EQ(error.column(), column);
  const std::string what = error.what();
  EXPECT_EQ(what.find('\n'), std::string::npos);
  const std::string prefix = "t.yaml:" + std::to_string(line) + ":" + std::to_string(column) +
                             ": " + std::string(key_path) + ": ";
  EXPECT_EQ(what.rfind(prefix, 0), 0u);
  EXPECT_NE(what.find(" (expected "), std::string::npos);
  for (std::string_view word : words) EXPECT_NE(what.find(word), std::string::npos) << word;
}

// ---- valid input ----------------------------------------------------------------------------

TEST(TopologyLoader, ReadsEveryField) {
  const Topology t = load_topology_string(kValid, "two.yaml");
  EXPECT_EQ(t.file, "two.yaml");
  EXPECT_EQ(t.name, "two-shards");
  EXPECT_EQ(t.seed, 1u);
  EXPECT_EQ(t.duration, Duration::h(1));
  ASSERT_EQ(t.shards.size(), 2u);
  EXPECT_EQ(t.shards[0].id, "a");
  EXPECT_EQ(t.shards[0].slot, Duration::s(12));
  EXPECT_EQ(t.shards[0].slot_offset, Duration{});
  EXPECT_EQ(t.shards[0].gas_per_block, 30'000'000u);
  EXPECT_EQ(t.shards[0].line, 5u);
  EXPECT_EQ(t.shards[1].id, "b");
  EXPECT_EQ(t.shards[1].slot_offset, Duration::s(6));
  EXPECT_EQ(t.shards[1].gas_per_block, 30'000'000u);
  EXPECT_EQ(t.shards[1].line, 6u);

  EXPECT_EQ(t.links.default_latency.kind, LatencyKind::constant);
  EXPECT_EQ(t.links.default_latency.value, Duration::s(24));
  EXPECT_FALSE(t.links.default_latency.min.has_value());
  ASSERT_EQ(t.links.pairs.size(), 1u);
  const LinkPair& pair = t.links.pairs[0];
  EXPECT_EQ(pair.from, 0u);
  EXPECT_EQ(pair.to, 1u);
  EXPECT_EQ(pair.latency.kind, LatencyKind::lognormal);
  EXPECT_EQ(pair.latency.median, Duration::s(2));
  EXPECT_DOUBLE_EQ(pair.latency.sigma, 0.5);
  ASSERT_TRUE(pair.latency.min.has_value());
  EXPECT_EQ(*pair.latency.min, Duration::ms(500));

  EXPECT_EQ(t.workload.kind, "ping");
  EXPECT_DOUBLE_EQ(t.workload.per_shard_per_second, 50.0);
  EXPECT_EQ(t.workload.payload_bytes, 8u);
  EXPECT_EQ(t.limits.max_pending_events, 1'000'000u);
  EXPECT_EQ(t.limits.max_events, 0u);
  EXPECT_EQ(t.limits.max_inflight_calls, 10'000u);
  EXPECT_EQ(t.outputs.timeseries_every, Duration::min(1));
  EXPECT_FALSE(t.outputs.trace);

  EXPECT_EQ(t.shard_index("b"), 1u);
  EXPECT_FALSE(t.shard_index("c").has_value());
}

TEST(TopologyLoader, OmittedOptionalsTakeDefaults) {
  const Topology t = load_topology_string(kMinimal, "min.yaml");
  EXPECT_EQ(t.seed, 1u);
  EXPECT_EQ(t.duration, Duration::min(10));
  ASSERT_EQ(t.shards.size(), 1u);
  EXPECT_EQ(t.shards[0].slot_offset, Duration{});
  EXPECT_TRUE(t.links.pairs.empty());
  EXPECT_EQ(t.workload.kind, "none");
  EXPECT_EQ(t.workload.per_shard_per_second, 0.0);
  EXPECT_EQ(t.workload.payload_bytes, 8u);
  EXPECT_EQ(t.limits.max_pending_events, 50'000'000u);
  EXPECT_EQ(t.limits.max_events, 0u);
  EXPECT_EQ(t.limits.max_inflight_calls, 10'000u);
  EXPECT_EQ(t.outputs.timeseries_every, Duration::min(1));
  EXPECT_FALSE(t.outputs.trace);
}

TEST(TopologyLoader, OmittedKeysInsideSectionsTakeDefaults) {
  std::string text(kMinimal);
  text += "workload: {kind: ping}\nlimits: {max_events: 5k}\noutputs: {trace: true}\n";
  const Topology t = load_topology_string(text, "min.yaml");
  EXPECT_EQ(t.workload.kind, "ping");
  EXPECT_EQ(t.workload.per_shard_per_second, 0.0);
  EXPECT_EQ(t.workload.payload_bytes, 8u);
  EXPECT_EQ(t.limits.max_pending_events, 50'000'000u);
  EXPECT_EQ(t.limits.max_events, 5'000u);
  EXPECT_EQ(t.limits.max_inflight_calls, 10'000u);
  EXPECT_EQ(t.outputs.timeseries_every, Duration::min(1));
  EXPECT_TRUE(t.outputs.trace);
}

TEST(TopologyLoader, ReadsEveryLatencyModel) {
  const std::string text = with(
      "    - {from: a, to: b, latency: {model: lognormal, median: 2s, sigma: 0.5, min: 500ms}}\n",
      "    - {from: a, to: b, latency: {model: uniform, low: 1s, high: 3s}}\n"
      "    - {from: b, to: a, latency: {model: normal, mean: 2s, stddev: 300ms, min: 1s}}\n"
      "    - from: a\n"
      "      to: a2\n"
      "      latency: {model: empirical, table: [2s, 3s]}\n"
      "    - {from: a2, to: a, latency: {model: empirical,\n"
      "                                  table: [{value: 4s, weight: 3}, 6s]}}\n");
  const std::string shards = "  - {id: a2, slot: 1s, gas_per_block: 1}\nlinks:\n";
  const std::string full = std::string(text).replace(text.find("links:\n"), 7, shards);
  const Topology t = load_topology_string(full, "m.yaml");
  ASSERT_EQ(t.links.pairs.size(), 4u);
  const auto& uniform = t.links.pairs[0].latency;
  EXPECT_EQ(uniform.kind, LatencyKind::uniform);
  EXPECT_EQ(uniform.low, Duration::s(1));
  EXPECT_EQ(uniform.high, Duration::s(3));
  const auto& normal = t.links.pairs[1].latency;
  EXPECT_EQ(normal.kind, LatencyKind::normal);
  EXPECT_EQ(normal.mean, Duration::s(2));
  EXPECT_EQ(normal.stddev, Duration::ms(300));
  EXPECT_EQ(normal.min, Duration::s(1));
  const auto& equal = t.links.pairs[2].latency;
  EXPECT_EQ(equal.kind, LatencyKind::empirical);
  ASSERT_EQ(equal.table.size(), 2u);
  EXPECT_EQ(equal.table[1].value, Duration::s(3));
  EXPECT_EQ(equal.table[1].weight, 1.0);
  const auto& weighted = t.links.pairs[3].latency;
  EXPECT_EQ(t.links.pairs[3].from, 2u);
  ASSERT_EQ(weighted.table.size(), 2u);
  EXPECT_EQ(weighted.table[0].value, Duration::s(4));
  EXPECT_EQ(weighted.table[0].weight, 3.0);
  EXPECT_EQ(weighted.table[1].weight, 1.0);
}

TEST(TopologyLoader, AcceptsQuotedScalarsAnchorsAndSuffixedCounts) {
  const Topology t = load_topology_string(
      "name: \"q\"\n"
      "seed: 42\n"
      "duration: '1.5h'\n"
      "shards:\n"
      "  - &s {id: a, slot: \"250ms\", gas_per_block: 1.5B}\n"
      "  - {id: b, slot: 6h10m, gas_per_block: 2k}\n"
      "links: {default: {latency: &l {model: constant, value: 1s}}, pairs: [{from: b, to: a, "
      "latency: *l}]}\n",
      "q.yaml");
  EXPECT_EQ(t.seed, 42u);
  EXPECT_EQ(t.duration, Duration::min(90));
  EXPECT_EQ(t.shards[0].slot, Duration::ms(250));
  EXPECT_EQ(t.shards[0].gas_per_block, 1'500'000'000u);
  EXPECT_EQ(t.shards[1].slot, Duration::h(6) + Duration::min(10));
  EXPECT_EQ(t.shards[1].gas_per_block, 2'000u);
  EXPECT_EQ(t.links.pairs[0].latency.value, Duration::s(1));
}

TEST(TopologyLoader, LoadsFromFile) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "shardsim_loader_test.yaml";
  std::ofstream(path) << kValid;
  const Topology t = load_topology_file(path.string());
  EXPECT_EQ(t.file, path.string());
  EXPECT_EQ(t.shards.size(), 2u);
  std::filesystem::remove(path);
}

// ---- user errors ----------------------------------------------------------------------------

TEST(TopologyLoaderError, WholeLineFormat) {
  const TopologyError error = error_of(with(", gas_per_block: 30000000}", "}"));
  EXPECT_STREQ(error.what(),
               "t.yaml:5:5: shards.0.gas_per_block: missing required key \"gas_per_block\" "
               "(expected a whole number, e.g. 42, 10k, 30M or 1.5B)");
  EXPECT_EQ(error.message(), "missing required key \"gas_per_block\"");
  EXPECT_EQ(error.expected(), "a whole number, e.g. 42, 10k, 30M or 1.5B");
}

TEST(TopologyLoaderError, UnknownKeyListsAllowedKeys) {
  expect_error(with("30000000}", "30000000, colour: red}"), "shards.0.colour", 5, 49,
               {"unknown key \"colour\"", "one of: id, slot, slot_offset, gas_per_block"});
}

TEST(TopologyLoaderError, UnknownTopLevelKeySuggestsTheNearestKey) {
  expect_error(with("seed: 1", "sead: 1"), "sead", 2, 1,
               {"unknown key \"sead\"", "did you mean \"seed\"?",
                "one of: name, seed, duration, assets, prices, shards, links, accounts, brokers, clearing, faults, "
                "script, agents, workload, limits, outputs"});
}

TEST(TopologyLoaderError, UnknownKeyInSectionSuggestsTheNearestKey) {
  expect_error(with("payload_bytes: 8", "payload_byte: 8"), "workload.payload_byte", 11, 50,
               {"unknown key \"payload_byte\"", "did you mean \"payload_bytes\"?"});
}

TEST(TopologyLoaderError, MisspeltRequiredKeyIsPointedOut) {
  expect_error(with("{id: a, slot: 12s", "{id: a, slto: 12s"), "shards.0.slot", 5, 5,
               {"missing required key \"slot\"", "\"slto\" on line 5 looks like a misspelling"});
}

TEST(TopologyLoaderError, UnrelatedKeyIsNotCalledAMisspelling) {
  const TopologyError error = error_of(with("name: two-shards", "base: two-shards"));
  EXPECT_EQ(error.key_path(), "name");
  EXPECT_EQ(std::string(error.what()).find("misspelling"), std::string::npos) << error.what();
}

TEST(TopologyLoaderError, MapExpectedGotList) {
  expect_error(with("outputs: {timeseries_every: 1m, trace: false}", "outputs: [1m, false]"),
               "outputs", 13, 10, {"got a list", "(expected an outputs map"});
}

TEST(TopologyLoaderError, ScalarExpectedGotMap) {
  expect_error(with("duration: 1h", "duration: {h: 1}"), "duration", 3, 11,
               {"got a map", "a duration with a unit, e.g. 12s"});
}

TEST(TopologyLoaderError, ScalarExpectedGotList) {
  expect_error(with("slot: 12s, gas_per_block: 30000000", "slot: [12s], gas_per_block: 30000000"),
               "shards.0.slot", 5, 19, {"got a list", "a duration with a unit"});
}

TEST(TopologyLoaderError, ListExpectedGotScalar) {
  expect_error(with("shards:\n  - {id: a, slot: 12s, gas_per_block: 30000000}\n"
                    "  - {id: b, slot: 12s, slot_offset: 6s, gas_per_block: 30M}\n",
                    "shards: two\n"),
               "shards", 4, 9, {"got \"two\"", "a non-empty list of shards"});
}

TEST(TopologyLoaderError, NullValue) {
  expect_error(with("duration: 1h", "duration:"), "duration", 3, 1,
               {"got nothing (null)", "a duration with a unit"});
}

TEST(TopologyLoaderError, BadDurationUnit) {
  expect_error(with("slot: 12s, gas", "slot: 12parsecs, gas"),
               "shards.0.slot", 5, 19,
               {"invalid duration \"12parsecs\"", "a duration with a unit, e.g. 12s"});
}

TEST(TopologyLoaderError, DurationWithoutUnit) {
  expect_error(with("duration: 1h", "duration: 12"), "duration", 3, 11,
               {"missing unit in \"12\"", "(expected a duration with a unit, e.g. 12s)"});
}

TEST(TopologyLoaderError, DurationTooLarge) {
  expect_error(with("duration: 1h", "duration: 99999999999999999999h"), "duration", 3, 11,
               {"too large"});
  expect_error(with("duration: 1h", "duration: 9999999999999999d"), "duration", 3, 11,
               {"invalid duration"});
}

TEST(TopologyLoaderError, MissingRequiredPointsAtParentMap) {
  expect_error(with(", gas_per_block: 30000000}", "}"), "shards.0.gas_per_block", 5, 5,
               {"missing required key \"gas_per_block\""});
  expect_error(with("name: two-shards\n", ""), "name", 1, 1, {"missing required key \"name\""});
  expect_error(with("  default: {latency: {model: constant, value: 24s}}\n", ""),
               "links.default", 8, 3, {"missing required key \"default\""});
  expect_error(with("{model: constant, value: 24s}", "{value: 24s}"),
               "links.default.latency.model", 8, 22,
               {"missing required key \"model\"",
                "one of: constant, uniform, lognormal, normal, empirical"});
}

TEST(TopologyLoaderError, DuplicateShardIdPointsAtTheSecond) {
  expect_error(with("{id: b", "{id: a"), "shards.1.id", 6, 10,
               {"duplicate shard id \"a\"", "first defined on line 5", "a unique shard id"});
}

TEST(TopologyLoaderError, InvalidShardId) {
  expect_error(with("{id: a,", "{id: \"a b\","), "shards.0.id", 5, 10,
               {"invalid shard id \"a b\"", "letters, digits"});
}

TEST(TopologyLoaderError, NoShards) {
  expect_error(with("shards:\n  - {id: a, slot: 12s, gas_per_block: 30000000}\n"
                    "  - {id: b, slot: 12s, slot_offset: 6s, gas_per_block: 30M}\n",
                    "shards: []\n"),
               "shards", 4, 9, {"no shards", "a non-empty list of shards"});
}

TEST(TopologyLoaderError, UnknownShardInPair) {
  expect_error(with("{from: a", "{from: x"), "links.pairs.0.from", 10, 14,
               {"unknown shard \"x\"", "(expected one of: a, b)"});
  expect_error(with("to: b", "to: y"), "links.pairs.0.to", 10, 21, {"unknown shard \"y\""});
}

TEST(TopologyLoaderError, LinkToItself) {
  expect_error(with("to: b", "to: a"), "links.pairs.0.to", 10, 21,
               {"link from \"a\" to itself", "two different shards"});
}

TEST(TopologyLoaderError, DuplicatePair) {
  const std::string pair =
      "    - {from: a, to: b, latency: {model: lognormal, median: 2s, sigma: 0.5, min: 500ms}}\n";
  expect_error(with(pair, pair + "    - {from: a, to: b, latency: {model: constant, value: 1s}}\n"),
               "links.pairs.1", 11, 7,
               {"duplicate link from \"a\" to \"b\"", "first given on line 10"});
}

TEST(TopologyLoaderError, ZeroConstantLatency) {
  expect_error(with("value: 24s", "value: 0s"), "links.default.latency.value", 8, 47,
               {"must be positive, got 0s", "a duration greater than 0"});
}

TEST(TopologyLoaderError, ZeroUniformLow) {
  expect_error(with("{model: constant, value: 24s}", "{model: uniform, low: 0s, high: 1s}"),
               "links.default.latency.low", 8, 44, {"must be positive, got 0s"});
}

TEST(TopologyLoaderError, UniformHighBelowLow) {
  expect_error(with("{model: constant, value: 24s}", "{model: uniform, low: 3s, high: 1s}"),
               "links.default.latency.high", 8, 54, {"high 1s is below low 3s", "high >= low"});
}

TEST(TopologyLoaderError, NegativeLatency) {
  expect_error(with("median: 2s", "median: -2s"), "links.pairs.0.latency.median", 10, 60,
               {"must be positive, got -2s"});
}

TEST(TopologyLoaderError, NonPositiveSigma) {
  expect_error(with("sigma: 0.5", "sigma: 0"), "links.pairs.0.latency.sigma", 10, 71,
               {"must be positive, got 0", "a number greater than 0"});
  expect_error(with("sigma: 0.5", "sigma: -1"), "links.pairs.0.latency.sigma", 10, 71,
               {"must be positive, got -1"});
}

TEST(TopologyLoaderError, UnknownLatencyModel) {
  expect_error(with("model: constant", "model: gamma"), "links.default.latency.model", 8, 30,
               {"unknown latency model \"gamma\"",
                "one of: constant, uniform, lognormal, normal, empirical"});
}

TEST(TopologyLoaderError, KeyOfAnotherLatencyModel) {
  expect_error(with("value: 24s}", "value: 24s, sigma: 1}"), "links.default.latency.sigma", 8, 52,
               {"unknown key \"sigma\"", "one of: model, value, min"});
}

TEST(TopologyLoaderError, EmptyEmpiricalTable) {
  expect_error(with("{model: constant, value: 24s}", "{model: empirical, table: []}"),
               "links.default.latency.table", 8, 48, {"empty table", "at least one entry"});
}

TEST(TopologyLoaderError, ZeroEmpiricalWeight) {
  expect_error(with("{model: constant, value: 24s}",
                    "{model: empirical, table: [{value: 2s, weight: 0}]}"),
               "links.default.latency.table.0.weight", 8, 69, {"must be positive, got 0"});
}

TEST(TopologyLoaderError, EmpiricalWeightsOverflow) {
  expect_error(with("{model: constant, value: 24s}",
                    "{model: empirical, table: [{value: 1s, weight: 1e308}, "
                    "{value: 2s, weight: 1e308}]}"),
               "links.default.latency.table", 8, 48, {"weights add up to infinity"});
}

TEST(TopologyLoaderError, ZeroSlot) {
  expect_error(with("slot: 12s, gas_per_block: 30000000", "slot: 0s, gas_per_block: 30000000"),
               "shards.0.slot", 5, 19, {"must be positive, got 0s"});
}

TEST(TopologyLoaderError, SlotOffsetNotBelowSlot) {
  expect_error(with("slot_offset: 6s", "slot_offset: 12s"), "shards.1.slot_offset", 6, 37,
               {"slot_offset 12s is not below the slot 12s", "0 <= slot_offset < slot"});
}

TEST(TopologyLoaderError, ZeroGas) {
  expect_error(with("30000000}", "0}"), "shards.0.gas_per_block", 5, 39,
               {"must be at least 1, got 0"});
}

TEST(TopologyLoaderError, BadCountSuffix) {
  expect_error(with("30M}", "30X}"), "shards.1.gas_per_block", 6, 56,
               {"invalid whole number \"30X\"", "30M"});
}

TEST(TopologyLoaderError, CountOverflow) {
  expect_error(with("30000000}", "20000000000000000000}"), "shards.0.gas_per_block", 5, 39,
               {"too large: \"20000000000000000000\""});
}

TEST(TopologyLoaderError, CountAboveFieldRange) {
  expect_error(with("payload_bytes: 8", "payload_bytes: 5B"), "workload.payload_bytes", 11, 65,
               {"must be at most 4294967295, got 5000000000"});
}

TEST(TopologyLoaderError, ZeroPendingEventLimit) {
  expect_error(with("max_pending_events: 1M", "max_pending_events: 0"),
               "limits.max_pending_events", 12, 30, {"must be at least 1, got 0"});
}

TEST(TopologyLoaderError, NonPositiveDuration) {
  expect_error(with("duration: 1h", "duration: 0s"), "duration", 3, 11, {"must be positive"});
  expect_error(with("duration: 1h", "duration: -1h"), "duration", 3, 11,
               {"must be positive, got -1h"});
}

TEST(TopologyLoaderError, SeedNotAnInteger) {
  expect_error(with("seed: 1", "seed: abc"), "seed", 2, 7, {"invalid whole number \"abc\""});
  expect_error(with("seed: 1", "seed: 1.5"), "seed", 2, 7, {"not a whole number: \"1.5\""});
  expect_error(with("seed: 1", "seed: -3"), "seed", 2, 7, {"must not be negative"});
}

TEST(TopologyLoaderError, BadWorkloadKind) {
  expect_error(with("kind: ping", "kind: pong"), "workload.kind", 11, 18,
               {"unknown workload kind \"pong\"", "(expected one of: none, ping)"});
}

TEST(TopologyLoaderError, NegativeRate) {
  expect_error(with("per_shard_per_second: 50", "per_shard_per_second: -5"),
               "workload.per_shard_per_second", 11, 46, {"must not be negative, got -5"});
  expect_error(with("per_shard_per_second: 50", "per_shard_per_second: 5/s"),
               "workload.per_shard_per_second", 11, 46, {"invalid number \"5/s\""});
}

TEST(TopologyLoaderError, NotABoolean) {
  expect_error(with("trace: false", "trace: yes"), "outputs.trace", 13, 40,
               {"got \"yes\"", "(expected true or false)"});
}

TEST(TopologyLoaderError, DuplicateYamlKey) {
  expect_error(with("seed: 1\n", "seed: 1\nseed: 2\n"), "seed", 3, 1,
               {"duplicate key \"seed\"", "first given on line 2"});
}

TEST(TopologyLoaderError, NonScalarKey) {
  expect_error(with("seed: 1", "[seed]: 1"), "(root)", 2, 1, {"got a list", "a key name"});
}

TEST(TopologyLoaderError, EmptyFileAndOnlyComments) {
  expect_error("", "(root)", 1, 1, {"empty topology", "(expected a topology map)"});
  expect_error("# just\n# comments\n", "(root)", 1, 1, {"(expected a topology map)"});
}

TEST(TopologyLoaderError, TopLevelNotAMap) {
  expect_error("- a\n- b\n", "(root)", 1, 1, {"got a list", "(expected a topology map)"});
  expect_error("just text\n", "(root)", 1, 1, {"got \"just text\""});
}

TEST(TopologyLoaderError, YamlSyntaxError) {
  expect_error(with("trace: false}", "trace: false"), "(syntax)", 14, 1,
               {"invalid YAML: end of map flow not found"});
  expect_error("name: x\n  bad: [1, 2\n", "(syntax)", 2, 6, {"invalid YAML: illegal map value"});
}

TEST(TopologyLoaderError, SecondDocument) {
  expect_error(std::string(kValid) + "---\nname: other\n", "(syntax)", 14, 1,
               {"a second YAML document", "a single topology document"});
}

TEST(TopologyLoaderError, NestingTooDeep) {
  // The root map is level 1, so the 64th bracket (column 6 + 64) is level 65.
  const std::string deep = "name: " + std::string(100, '[') + std::string(100, ']') + "\n";
  expect_error(deep, "(syntax)", 1, 70, {"nested deeper than 64 levels"});
  std::string block = "shards:\n";
  for (int i = 0; i < 100; ++i) block += "- ";
  expect_error(block + "x\n", "(syntax)", 2, 127, {"nested deeper than 64 levels"});
}

TEST(TopologyLoaderError, SelfReferentialAliasDoesNotLoop) {
  expect_error("name: t\nduration: 1h\nshards: &s [*s]\n", "shards.0", 3, 9,
               {"got a list", "a shard map"});
}

TEST(TopologyLoaderError, ControlCharactersStayOnOneLine) {
  expect_error(with("seed: 1", "\"se\\ned\\u0007\": 1"), "se\\ned\\x07", 2, 1,
               {"unknown key \"se\\ned\\x07\""});
}

TEST(TopologyLoaderError, MissingFile) {
  const std::string path = "/nonexistent/dir/topology.yaml";
  try {
    (void)load_topology_file(path);
    FAIL() << "loaded a missing file";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.file(), path);
    EXPECT_EQ(error.line(), 0);
    EXPECT_EQ(error.column(), 0);
    EXPECT_EQ(error.key_path(), "(file)");
    EXPECT_EQ(std::string(error.what()).rfind(path + ":0:0: (file): cannot open file", 0), 0u);
    EXPECT_NE(std::string(error.what()).find("(expected a readable YAML topology"),
              std::string::npos);
  }
}

TEST(TopologyLoaderError, DirectoryIsNotAFile) {
  try {
    (void)load_topology_file(::testing::TempDir());
    FAIL() << "loaded a directory";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.key_path(), "(file)");
    EXPECT_NE(std::string(error.what()).find("not a regular file"), std::string::npos);
  }
}

}  // namespace
}  // namespace shardsim::app
