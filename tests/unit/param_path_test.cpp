// Tests sweep parameters: parsing `PATH=V1,V2`, setting dotted paths in a topology document, and
// the errors a user sees for a path that does not exist or a value the topology rejects.
#include <gtest/gtest.h>

#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim {
namespace {

const std::string kPrime = std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml";

TEST(ParamPath, ParsesValuesAndKeepsFlowNodesWhole) {
  const app::ParamSpec s = app::parse_param("brokers.0.hedging.policy=immediate,batch");
  EXPECT_EQ(s.path, "brokers.0.hedging.policy");
  EXPECT_EQ(s.values, (std::vector<std::string>{"immediate", "batch"}));
  const app::ParamSpec flow = app::parse_param("links.default.latency={model: constant, value: 2s},[1, 2]");
  EXPECT_EQ(flow.values, (std::vector<std::string>{"{model: constant, value: 2s}", "[1, 2]"}));
}

TEST(ParamPath, BadSpecsAreOneLineErrors) {
  EXPECT_THROW(app::parse_param("no-equals"), app::ParamError);
  EXPECT_THROW(app::parse_param("=1,2"), app::ParamError);
  EXPECT_THROW(app::parse_param("a..b=1"), app::ParamError);
  EXPECT_THROW(app::parse_param("a.b=1,,2"), app::ParamError);
}

TEST(ParamPath, SetsMapKeysAndSequenceItems) {
  YAML::Node root = YAML::Load("brokers: [{name: p, hedging: {policy: immediate}}]\nlinks: {default: {x: 1}}\n");
  app::set_param(root, "brokers.0.hedging.policy", "batch");
  app::set_param(root, "brokers.0.hedging.split", "4");  // a new key in an existing map
  app::set_param(root, "links.default", "{latency: {model: constant, value: 2s}}");
  EXPECT_EQ(root["brokers"][0]["hedging"]["policy"].as<std::string>(), "batch");
  EXPECT_EQ(root["brokers"][0]["hedging"]["split"].as<int>(), 4);
  EXPECT_EQ(root["links"]["default"]["latency"]["value"].as<std::string>(), "2s");
}

TEST(ParamPath, MissingSegmentsNameWhatExists) {
  YAML::Node root = YAML::Load("brokers: [{name: p}]\nlinks: {pairs: [{from: a, to: b}]}\nname: x\n");
  try {
    app::set_param(root, "brokers.3.name", "q");
    FAIL() << "expected ParamError";
  } catch (const app::ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("'brokers' is a list of 1 items; expected an id (p) or an index 0..0"), std::string::npos)
        << e.what();
  }
  try {
    app::set_param(root, "links.pairs.ab.to", "c");  // items without an id: an index only
    FAIL() << "expected ParamError";
  } catch (const app::ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("'links.pairs' is a list of 1 items; expected an index 0..0 instead of 'ab'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(app::set_param(root, "name.sub", "1"), app::ParamError);
  try {
    app::set_param(root, "agents.0.kind", "arbitrageur");  // a missing list is not created
    FAIL() << "expected ParamError";
  } catch (const app::ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("has no key 'agents', so it has no item 0"), std::string::npos) << e.what();
  }
}

// List items by their id (shards) or name (brokers, protocols), as well as by index.
TEST(ParamPath, ListItemsByTheirId) {
  YAML::Node root = YAML::Load(
      "shards: [{id: l2, slot: 2s}, {id: perps, slot: 2s, protocols: [{kind: perps, name: dydx, params: {a: 1}}]}]\n"
      "brokers: [{name: prime, hedging: {policy: batch}}]\n");
  app::set_param(root, "shards.perps.slot", "12s");
  app::set_param(root, "brokers.prime.hedging.policy", "immediate");
  app::set_param(root, "shards.perps.protocols.dydx.params.a", "2");
  app::set_param(root, "shards.0.slot", "250ms");
  EXPECT_EQ(root["shards"][1]["slot"].as<std::string>(), "12s");
  EXPECT_EQ(root["shards"][0]["slot"].as<std::string>(), "250ms");
  EXPECT_EQ(root["brokers"][0]["hedging"]["policy"].as<std::string>(), "immediate");
  EXPECT_EQ(root["shards"][1]["protocols"][0]["params"]["a"].as<int>(), 2);
  try {
    app::set_param(root, "shards.spot.slot", "1s");
    FAIL() << "expected ParamError";
  } catch (const app::ParamError& e) {
    EXPECT_NE(std::string(e.what()).find("'shards' is a list of 2 items; expected an id (l2, perps) or an index 0..1 instead of 'spot'"),
              std::string::npos)
        << e.what();
  }
}

// A key missing on the way becomes a map; whether its keys are valid is the loader's call.
TEST(ParamPath, MissingMapsAreCreated) {
  YAML::Node root = YAML::Load("brokers: [{name: p}]\n");
  app::set_param(root, "brokers.p.margin.scan_range.ETH", "20%");
  EXPECT_EQ(root["brokers"][0]["margin"]["scan_range"]["ETH"].as<std::string>(), "20%");
  // On a real topology, by id: prime-broker's perps shard is its fourth.
  const app::Topology t = app::load_topology_with_params(kPrime, {{"brokers.prime.hedging.policy", "immediate"},
                                                                  {"shards.perps.slot", "4s"}});
  ASSERT_EQ(t.shards.size(), 5u);
  EXPECT_EQ(t.shards[3].slot.str(), "4s");
  // A created map with a key the loader does not know: the loader's error, with its position.
  try {
    app::load_topology_with_params(kPrime, {{"brokers.prime.hedgingg.policy", "immediate"}});
    FAIL() << "expected TopologyError";
  } catch (const app::TopologyError& e) {
    EXPECT_NE(e.key_path().find("hedgingg"), std::string::npos) << e.what();
    EXPECT_GT(e.line(), 0) << e.what();
    EXPECT_GT(e.column(), 0) << e.what();
    EXPECT_NE(e.file().find("brokers.prime.hedgingg.policy=immediate"), std::string::npos) << e.file();
  }
}

TEST(ParamPath, LoadedTopologyCarriesTheValue) {
  const app::Topology base = app::load_topology_file(kPrime);
  const app::Topology t = app::load_topology_with_params(kPrime, {{"duration", "30m"}, {"seed", "77"}});
  EXPECT_EQ(t.duration.str(), "30m");
  EXPECT_EQ(t.seed, 77u);
  EXPECT_EQ(t.file, kPrime);
  EXPECT_EQ(t.shards.size(), base.shards.size());
}

TEST(ParamPath, RejectedValueIsATopologyErrorNamingTheKey) {
  try {
    app::load_topology_with_params(kPrime, {{"brokers.0.hedging.policy", "bogus"}});
    FAIL() << "expected TopologyError";
  } catch (const app::TopologyError& e) {
    EXPECT_EQ(e.key_path(), "brokers.0.hedging.policy");
    EXPECT_NE(e.file().find("brokers.0.hedging.policy=bogus"), std::string::npos) << e.file();
    EXPECT_NE(std::string(e.what()).find("expected one of"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace shardsim
