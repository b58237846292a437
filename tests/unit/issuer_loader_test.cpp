// Tests the issuer side of a broker in the topology: `issuer:` beside `issues:` loads to exact
// values and stays inert (but valid) when vertically_integrated is false, so one param flips it;
// the synthetics `reserve:` param; and each mistake gives one line naming key, line and column.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "app/topology/topology_loader.hpp"
#include "broker/broker_config.hpp"
#include "protocols/api/fixed_point.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

using namespace sections_test;

// Line numbers below refer to this text.
constexpr std::string_view kIssuer =
    "name: issuer\n"                                                                         // 1
    "duration: 1h\n"                                                                         // 2
    "assets: {USDC: {decimals: 6}, BTC: {}, SNX: {}, sUSD: {}, sBTC: {}}\n"                   // 3
    "prices: {model: gbm, step: 1s, assets: {BTC: {initial: 50000}, USDC: {initial: 1}, SNX: {initial: 2}}}\n"
    "shards:\n"                                                                              // 5
    "  - {id: l2, slot: 2s, gas_per_block: 100M, oracles: {assets: [BTC, SNX, USDC]}}\n"     // 6
    "  - id: synths\n"                                                                       // 7
    "    slot: 12s\n"                                                                        // 8
    "    gas_per_block: 30M\n"                                                               // 9
    "    oracles: {assets: [BTC, SNX]}\n"                                                    // 10
    "    protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD, sBTC], reserve: USDC}}]\n"
    "links: {default: {latency: {model: constant, value: 24s}}}\n"                           // 12
    "brokers:\n"                                                                             // 13
    "  - name: prime\n"                                                                      // 14
    "    home: l2\n"                                                                         // 15
    "    capital: {USDC: 5M}\n"                                                              // 16
    "    vertically_integrated: true\n"                                                      // 17
    "    issues: snx\n"                                                                      // 18
    "    issuer: {stake: 3M, c_ratio: 500%, backstop_max: 1M, claim_every: 5m}\n";           // 19

std::string edit(std::string_view from, std::string_view to) { return with_in(kIssuer, from, to); }

TEST(IssuerLoader, ReadsTheIssuerSide) {
  const Topology t = load_topology_string(kIssuer, "t.yaml");
  const broker::BrokerConfig& b = t.brokers.at(0);
  ASSERT_TRUE(b.issuer.has_value());
  EXPECT_TRUE(broker::issues_synths(b));
  EXPECT_EQ(b.issuer->stake, core::Amount::units(protocols::kWadUnit * 3'000'000));
  EXPECT_EQ(b.issuer->collateral, *t.asset_index("SNX"));
  EXPECT_EQ(b.issuer->susd, *t.asset_index("sUSD"));
  EXPECT_EQ(b.issuer->c_ratio_wad, 5 * protocols::kWadUnit);
  EXPECT_EQ(b.issuer->backstop_max, core::Amount::units(1'000'000'000'000));  // USDC, 6 decimals
  EXPECT_EQ(b.issuer->claim_every, core::Duration::min(5));
  EXPECT_EQ(b.issuer->shard, 1u);
  EXPECT_EQ(b.issuer->protocol, 0u);
}

TEST(IssuerLoader, IndependentKeepsTheSettingsInert) {
  const Topology t = load_topology_string(edit("vertically_integrated: true", "vertically_integrated: false"), "t.yaml");
  const broker::BrokerConfig& b = t.brokers.at(0);
  EXPECT_TRUE(b.issuer.has_value());
  EXPECT_FALSE(broker::issues_synths(b));
  // Without `issuer:` an integrated broker issues nothing structural either.
  const Topology bare = load_topology_string(
      edit("    issuer: {stake: 3M, c_ratio: 500%, backstop_max: 1M, claim_every: 5m}\n", ""), "t.yaml");
  EXPECT_FALSE(broker::issues_synths(bare.brokers.at(0)));
}

TEST(IssuerLoader, BadIssuerSettings) {
  expect_error(edit("vertically_integrated: true\n    issues: snx\n", "vertically_integrated: false\n"), "brokers.0.issuer", 18,
               {"need the protocol it issues", "issues: NAME"});
  expect_error(edit("stake: 3M,", "stake: -3M,"), "brokers.0.issuer.stake", 19, {"stake"});
  expect_error(edit("stake: 3M, ", ""), "brokers.0.issuer.stake", 19, {"missing required key \"stake\"", "SNX"});
  expect_error(edit("c_ratio: 500%", "c_ratio: 200%"), "brokers.0.issuer.c_ratio", 19,
               {"c_ratio below", "1 / issuance_ratio"});
  expect_error(edit("claim_every: 5m", "claim_every: 5m, claims: 1"), "brokers.0.issuer.claims", 19, {"unknown key \"claims\""});
  expect_error(edit(", reserve: USDC", ""), "brokers.0.issuer.backstop_max", 19, {"no reserve to fund"});
  expect_error(edit("capital: {USDC: 5M}", "capital: {BTC: 100}"), "brokers.0.issuer.backstop_max", 19,
               {"pays the backstop in its quote", "USDC"});
  expect_error(edit("assets: [BTC, SNX, USDC]", "assets: [BTC, USDC]"), "brokers.0.issuer", 19,
               {"has no SNX feed", "oracles include SNX"});
}

TEST(IssuerLoader, BadReserve) {
  expect_error(edit("reserve: USDC", "reserve: SNX"), "shards.1.protocols.0.params.reserve", 11,
               {"the reserve cannot be the collateral"});
  expect_error(edit("reserve: USDC", "reserve: sBTC"), "shards.1.protocols.0.params.reserve", 11,
               {"the reserve cannot be a synth"});
  expect_error(edit("reserve: USDC", "reserve: DOGE"), "shards.1.protocols.0.params.reserve", 11, {"unknown asset"});
}

}  // namespace
}  // namespace shardsim::app
