// Tests the published topology language against the loader: the shipped JSON Schema and key
// reference are what `shardsim schema` generates, every shipped topology validates against the
// schema, the loader reads exactly the keys its tables declare (and every declared key), an
// unknown key is rejected by both, and `explain` describes a key.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/topology/topology_keys.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/topology_schema.hpp"
#include "tests/support/json_schema_check.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

const std::string kSource = SHARDSIM_SOURCE_DIR;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> topology_files() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/topologies")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

testing::SchemaCheck schema_check() { return testing::SchemaCheck(app::topology_schema()); }

std::vector<std::string> schema_errors(const std::string& yaml_text) {
  return schema_check().errors(testing::yaml_to_json(YAML::Load(yaml_text)));
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

TEST(TopologySchema, ShippedSchemaAndReferenceAreTheGeneratedOnes) {
  EXPECT_EQ(read_text(kSource + "/docs/topology.schema.json"), app::topology_schema_text())
      << "regenerate: ./build/shardsim schema > docs/topology.schema.json";
  EXPECT_EQ(read_text(kSource + "/docs/topology-keys.md"), app::topology_keys_markdown())
      << "regenerate: ./build/shardsim schema --markdown > docs/topology-keys.md";
}

TEST(TopologySchema, EveryShippedTopologyValidatesAndPointsAtTheSchema) {
  const auto files = topology_files();
  ASSERT_GE(files.size(), 20u);
  for (const std::string& file : files) {
    const std::string text = read_text(file);
    EXPECT_EQ(schema_errors(text), std::vector<std::string>{}) << file << ":\n" << joined(schema_errors(text));
    EXPECT_NE(text.find("# yaml-language-server: $schema=../docs/topology.schema.json\n"), std::string::npos) << file;
  }
}

// Sections and variants the shipped topologies leave out, so that every declared key is read.
const char* const kKitchenSink[] = {
    R"(name: sink
duration: 1h
assets: {USDC: {decimals: 6}, ETH: {}, BTC: {}, sBTC: {}}
prices:
  model: jump_diffusion
  step: 1s
  assets:
    ETH: {initial: 2000, vol_annual: 80%, drift_annual: 0, jump_intensity_annual: 2, jump_mean: -5%, jump_stddev: 10%}
    BTC: {initial: 60000}
    sBTC: {peg: BTC}
shards:
  - {id: a, slot: 12s, slot_offset: 1s, gas_per_block: 30M, fee_asset: ETH, base_fee: 0.00000002,
     access_latency: {model: uniform, low: 1s, high: 2s}, mempool_observe_delay: 100ms,
     gas: {transfer: 21000, bridge: 60000, oracle_update: 50000, protocol_call: 150000},
     protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC], fee: 0.3%}}],
     oracles: {assets: [ETH, BTC], deviation: 0.5%, heartbeat: 1h, check_every: 1s, source: uni}}
  - {id: b, slot: 2s, gas_per_block: 30M,
     protocols: [{kind: lending, name: aave, params: {assets: {ETH: {ltv: 80%}, USDC: {}}}}]}
links:
  default: {latency: {model: normal, mean: 2s, stddev: 100ms, min: 1s}}
  pairs: [{from: a, to: b, latency: {model: empirical, table: [2s, {value: 3s, weight: 2}]}}]
  receipts: finalized
  finality: 2
  receipts_per_block: 16
  access_latency: {model: lognormal, median: 300ms, sigma: 0.4}
accounts:
  alice: {shard: a, balances: {USDC: 100, ETH: 10}}
  bob: {shard: b}
brokers:
  - name: prime
    home: a
    capital: {USDC: 1M}
    default_fund: {USDC: 1k, client_contribution: 2%}
    margin: {extreme: {multiplier: 2, fraction: 35%}}
faults:
  - {at: 1m, latency_spike: {from: a, to: b, add: 1s, factor: 2, duration: 1m}}
  - {at: 1m, partition: {groups: [[a]], duration: 1m}}
  - {at: 1m, oracle: {shard: a, asset: ETH, mode: manipulated, value: 1800, duration: 1m}}
  - {at: 1m, tx_drop: {shard: a, probability: 10%, duration: 1m}}
  - {at: 1m, depeg: {asset: sBTC, to: 0.9, over: 1m}}
  - {at: 1m, gas_spike: {shard: a, factor: 10, duration: 1m}}
  - {at: 1m, receipt_drop: {from: a, to: b, rate: 10%, over: 1m}}
  - {at: 2m, protocol_insolvency: {protocol: uni, loss: 10%}}
  - {at: 2m, shard_halt: {shard: b, duration: 1m}}
  - {at: 2m, price_crash: {asset: ETH, move: -10%, over: 1m}}
script:
  - {at: 1s, tx: {from: alice, shard: a, privacy: private, op: transfer, args: {to: bob, asset: USDC, amount: 1}, priority_fee: 0}}
  - {at: 2s, tx: {from: alice, shard: a, op: bridge, args: {to_shard: b, asset: USDC, amount: 1}}}
  - {at: 3s, price: {asset: ETH, shock: -10%, over: 1m}}
  - {at: 4s, price: {asset: ETH, set: 1900}}
agents:
  - {kind: lp, count: 1, shard: a, privacy: public, capital: {ETH: {uniform: [1, 2]}, USDC: {lognormal: {median: 2k, sigma: 1}}}, every: 1m}
  - {kind: arbitrageur, shards: [a], min_profit: 1, capital: {USDC: {normal: {mean: 10k, stddev: 1k}}}}
  - {kind: retail, protocol: uni, leverage: 1, capital: {USDC: 100}}
workload: {kind: ping, per_shard_per_second: 1, payload_bytes: 8}
limits: {max_pending_events: 1M, max_events: 0, max_inflight_calls: 10k}
outputs: {timeseries_every: 1m, trace: false}
metrics:
  fund: brokers.prime.default_fund_used
  prime_pnl: {path: brokers.prime.pnl, better: higher}
)",
    R"(name: sink2
duration: 1h
assets: {USDC: {decimals: 6}, ETH: {}, BTC: {}}
prices:
  model: correlated_gbm
  assets: {ETH: {initial: 2000}, BTC: {initial: 60000}}
  correlations: {ETH-BTC: 0.8}
shards:
  - {id: a, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, BTC]}}
links: {default: {latency: {model: constant, value: 1s}}}
)",
};

// Every key of these sections is read by the loader through its table; the root ("topology") and
// the others are checked key by key too. Sections listed here are read another way.
TEST(TopologySchema, TheLoaderReadsEveryDeclaredKeyAndNoOther) {
  app::keys::KeyUseLog used;
  app::keys::set_key_use_log(&used);
  for (const std::string& file : topology_files()) {
    EXPECT_NO_THROW((void)app::load_topology_file(file)) << file;  // a std::logic_error: an undeclared key
  }
  for (const char* text : kKitchenSink) {
    try {
      (void)app::load_topology_string(text, "sink.yaml");
    } catch (const app::TopologyError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  app::keys::set_key_use_log(nullptr);
  std::vector<std::string> unread;
  for (const app::keys::Section& s : app::keys::sections()) {
    for (const app::keys::Key& k : s.keys) {
      if (!used.count({std::string(s.id), std::string(k.name)})) unread.push_back(std::string(s.id) + "." + std::string(k.name));
    }
  }
  EXPECT_EQ(unread, std::vector<std::string>{}) << joined(unread);
}

// Puts `bogus_key: 1` into the map at `path` (keys, and list indexes) of a shipped topology.
std::string with_unknown_key(const std::string& file, const std::vector<std::string>& path) {
  YAML::Node root = YAML::LoadFile(kSource + "/topologies/" + file);
  YAML::Node at = root;
  for (const std::string& p : path) {
    at.reset(std::all_of(p.begin(), p.end(), ::isdigit) ? at[std::stoul(p)] : at[p]);
  }
  at["bogus_key"] = 1;
  YAML::Emitter out;
  out << root;
  return out.c_str();
}

TEST(TopologySchema, AnUnknownKeyIsRejectedByTheLoaderAndTheSchema) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> places{
      {"default.yaml", {}},
      {"default.yaml", {"shards", "0"}},
      {"default.yaml", {"links"}},
      {"default.yaml", {"links", "default", "latency"}},
      {"default.yaml", {"brokers", "0"}},
      {"default.yaml", {"brokers", "0", "hedging"}},
      {"default.yaml", {"brokers", "0", "margin"}},
      {"default.yaml", {"shards", "1", "protocols", "0", "params"}},
      {"default.yaml", {"script", "0"}},
      {"default.yaml", {"prices"}},
      {"atomicity.yaml", {"agents", "0"}},
      {"atomicity.yaml", {"faults", "0"}},
      {"atomicity.yaml", {"faults", "0", "shard_halt"}},
      {"two-shards.yaml", {"workload"}},
  };
  for (const auto& [file, path] : places) {
    std::string where = file;
    for (const std::string& p : path) where += "." + p;
    const std::string text = with_unknown_key(file, path);
    try {
      (void)app::load_topology_string(text, file, kSource + "/topologies");
      ADD_FAILURE() << where << ": the loader accepted bogus_key";
    } catch (const app::TopologyError& e) {
      EXPECT_NE(std::string(e.what()).find("unknown key \"bogus_key\""), std::string::npos) << where << ": " << e.what();
    }
    const auto errors = schema_errors(text);
    EXPECT_TRUE(std::any_of(errors.begin(), errors.end(),
                            [](const std::string& e) { return e.find("bogus_key") != std::string::npos; }))
        << where << ":\n" << joined(errors);
  }
}

TEST(TopologySchema, ValuesOfTheWrongShapeAreRejected) {
  const std::string base = read_text(kSource + "/topologies/two-shards.yaml");
  EXPECT_EQ(schema_errors(base), std::vector<std::string>{});
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = base;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  EXPECT_NE(schema_errors(replaced("duration: 1h", "duration: 60")), std::vector<std::string>{});  // no unit
  EXPECT_NE(schema_errors(replaced("model: lognormal", "model: gamma")), std::vector<std::string>{});
}

TEST(TopologySchema, ExplainDescribesAKey) {
  std::string error;
  const std::string policy = app::explain_key("brokers.hedging.policy", &error);
  EXPECT_NE(policy.find("one of: immediate, threshold, batch, none"), std::string::npos) << policy;
  EXPECT_NE(policy.find("default:  batch"), std::string::npos) << policy;
  const std::string fee = app::explain_key("shards.0.protocols.amm.fee", &error);
  EXPECT_NE(fee.find("0.3%"), std::string::npos) << fee;
  const std::string spike = app::explain_key("faults.latency_spike.factor", &error);
  EXPECT_NE(spike.find(">= 1"), std::string::npos) << spike;
  EXPECT_EQ(app::explain_key("brokers.hedging.polcy", &error), "");
  EXPECT_NE(error.find("policy"), std::string::npos) << error;
}

TEST(TopologySchema, TheCommandsPrintTheSchemaAndExplainKeys) {
  const auto schema = testing::run_shardsim("schema", "schema-cli");
  EXPECT_EQ(schema.exit_code, 0);
  EXPECT_EQ(schema.out, app::topology_schema_text());
  const auto explain = testing::run_shardsim("explain brokers.settlement.timeout", "schema-explain");
  EXPECT_EQ(explain.exit_code, 0);
  EXPECT_NE(explain.out.find("auto"), std::string::npos) << explain.out;
  const auto typo = testing::run_shardsim("explain brokers.setlement", "schema-typo");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean settlement?"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace shardsim
