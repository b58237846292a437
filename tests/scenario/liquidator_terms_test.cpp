// Tests that the liquidator acts on the liquidation terms a topology configures, not the spec's
// defaults: a lending market with a 70% threshold and a 110% bonus (it takes the borrower the
// threshold makes liquidatable, for a profit the 10% bonus pays and a 5% one would not, and leaves
// the healthy one alone), and a synthetics pool liquidatable below a 200% c-ratio with a 10%
// penalty and a 1 h delay (it flags and liquidates the staker at 180%, after 1 h rather than 12 h,
// and leaves the one at 360% alone). Values follow spec/protocols.md sections 1 and 2.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/finished_run.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

double num(const ordered_json& j) { return std::stod(j.get<std::string>()); }

struct TermsRun : testing::FinishedRun {
  explicit TermsRun(const std::string& yaml) : FinishedRun(yaml, "terms.yaml") {}
  agents::AgentStats liquidator() const { return stats(agents::AgentKind::liquidator); }
};

// ---- lending: threshold 70%, bonus 110% -----------------------------------------------------

// alice: 10 ETH against 11,000 DAI; bob: 10 ETH against 5,000 DAI. ETH falls from 2,000 to 1,500
// at 20m: alice's HF = 10 x 1,500 x 0.70 / 11,000 = 0.955 (liquidatable; 1.125 at the default
// 82.5%), bob's = 2.1. Repaying half alice's debt, 5,500 DAI, pays 550 at the 10% bonus and only 275
// at 5%: min_profit 400 lies between. No fee asset: gas is free.
std::string lending_world() {
  return "name: lending-terms\nseed: 31\nduration: 1h\n"
         "assets: {DAI: {}, ETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 0%}, DAI: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: lend, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, DAI], heartbeat: 10m},\n"
         "     protocols: [{kind: lending, name: aave, params: {close_factor: 50%,\n"
         "                  assets: {DAI: {}, ETH: {ltv: 60%, liq_threshold: 70%, bonus: 110%}}}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts:\n"
         "  whale: {shard: lend, balances: {DAI: 100000}}\n"
         "  alice: {shard: lend, balances: {ETH: 10}}\n"
         "  bob: {shard: lend, balances: {ETH: 10}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: whale, shard: lend, protocol: aave, op: supply, args: {asset: DAI, amount: 100000}}}\n"
         "  - {at: 1m, tx: {from: alice, shard: lend, protocol: aave, op: supply, args: {asset: ETH, amount: 10}}}\n"
         "  - {at: 1m, tx: {from: bob, shard: lend, protocol: aave, op: supply, args: {asset: ETH, amount: 10}}}\n"
         "  - {at: 2m, tx: {from: alice, shard: lend, protocol: aave, op: borrow, args: {asset: DAI, amount: 11000}}}\n"
         "  - {at: 2m, tx: {from: bob, shard: lend, protocol: aave, op: borrow, args: {asset: DAI, amount: 5000}}}\n"
         "  - {at: 20m, price: {asset: ETH, set: 1500}}\n"
         "agents: [{kind: liquidator, shard: lend, capital: {DAI: 20k}, min_profit: 400, every: 1m}]\n";
}

TEST(LiquidatorTerms, LendingTakesWhatTheConfiguredThresholdAllowsForTheConfiguredBonus) {
  const TermsRun run(lending_world());
  const agents::AgentStats s = run.liquidator();
  EXPECT_EQ(s.liquidations.at("aave"), 1u);  // alice once; then her HF is above 1
  const ordered_json& accounts = run.protocol("lend", "aave").at("accounts");
  EXPECT_NEAR(num(accounts.at("bob").at("borrowed").at("DAI")), 5000.0, 0.1);  // untouched
  EXPECT_NEAR(num(accounts.at("bob").at("supplied").at("ETH")), 10.0, 1e-9);
  // Half alice's debt (interest aside) repaid; ETH seized = repaid x 1.10 / 1,500.
  const double repaid = 20000 - run.balance("lend", "liquidator.0.0", "DAI");
  const double seized = run.balance("lend", "liquidator.0.0", "ETH");
  EXPECT_NEAR(repaid, 5500.0, 0.1);
  EXPECT_NEAR(seized, repaid * 1.10 / 1500, 1e-9);
  EXPECT_NEAR(num(accounts.at("alice").at("supplied").at("ETH")), 10 - seized, 1e-9);
  EXPECT_NEAR(num(accounts.at("alice").at("borrowed").at("DAI")), 11000 - repaid, 0.1);
  EXPECT_GE(num(accounts.at("alice").at("health_factor")), 1.0);
  // Its profit is the configured bonus on the repaid value.
  EXPECT_NEAR(s.profit_usd, 0.10 * repaid, 1e-6);
}

// ---- synthetics: liquidation ratio 50% (c-ratio 200%), penalty 10%, delay 1h ----------------

// SNX at 2: carol stakes 3,000 and issues 1,999 sUSD (the 1/3 limit is 2,000); dave stakes 3,000
// and issues 1,000. SNX falls to 1.2 at 20m: carol's c-ratio is 3,600 / 1,999 = 1.80 (below 200%,
// above the default 150%), dave's 3.6. Flagged at about 21m, carol is liquidatable from about
// 1h21m: the burn that restores the 1/3 target is (D - C r) / (1 - (1 + P) r) =
// (1,999 - 1,200) / (1 - 1.1 / 3) = 1,261.58 sUSD, for collateral worth 1.1 x that.
std::string synthetics_world(const std::string& duration) {
  return "name: synthetics-terms\nseed: 32\nduration: " + duration +
         "\n"
         "assets: {SNX: {}, sUSD: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {SNX: {initial: 2}, sUSD: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: synths, slot: 12s, gas_per_block: 30M, oracles: {assets: [SNX]},\n"
         "     protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD], liquidation_ratio: 50%,\n"
         "                  liquidation_penalty: 10%, liquidation_delay: 1h}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts:\n"
         "  carol: {shard: synths, balances: {SNX: 3000}}\n"
         "  dave: {shard: synths, balances: {SNX: 3000}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: carol, shard: synths, protocol: snx, op: stake, args: {amount: 3000}}}\n"
         "  - {at: 1m, tx: {from: dave, shard: synths, protocol: snx, op: stake, args: {amount: 3000}}}\n"
         "  - {at: 2m, tx: {from: carol, shard: synths, protocol: snx, op: issue, args: {amount: 1999}}}\n"
         "  - {at: 2m, tx: {from: dave, shard: synths, protocol: snx, op: issue, args: {amount: 1000}}}\n"
         "  - {at: 20m, price: {asset: SNX, set: 1.2}}\n"
         "agents: [{kind: liquidator, shard: synths, capital: {sUSD: 5000}, min_profit: 10, every: 1m}]\n";
}

constexpr double kToFix = (1999 - 3000 * 1.2 / 3) / (1 - 1.1 / 3);

TEST(LiquidatorTerms, SyntheticsFlagsBelowTheConfiguredRatioAndLiquidatesAfterTheConfiguredDelay) {
  const TermsRun early(synthetics_world("70m"));  // flagged, the 1 h delay not yet over
  const ordered_json& stakers_early = early.protocol("synths", "snx").at("stakers");
  EXPECT_FALSE(stakers_early.at("carol").at("flagged_at").is_null());
  EXPECT_TRUE(stakers_early.at("dave").at("flagged_at").is_null());
  EXPECT_EQ(early.liquidator().liquidations.count("snx"), 0u);
  EXPECT_NEAR(num(stakers_early.at("carol").at("debt")), 1999.0, 1e-9);

  const TermsRun run(synthetics_world("3h"));  // well before the default 12 h
  const agents::AgentStats s = run.liquidator();
  EXPECT_EQ(s.liquidations.at("snx"), 1u);
  const ordered_json& stakers = run.protocol("synths", "snx").at("stakers");
  const double burned = 5000 - run.balance("synths", "liquidator.0.0", "sUSD");
  EXPECT_NEAR(burned, kToFix, 1e-6);
  // Collateral worth the burned value plus the 10% penalty, at SNX 1.2.
  const double seized = run.balance("synths", "liquidator.0.0", "SNX");
  EXPECT_NEAR(seized, burned * 1.1 / 1.2, 1e-6);
  EXPECT_NEAR(num(stakers.at("carol").at("collateral")), 3000 - seized, 1e-9);
  EXPECT_NEAR(num(stakers.at("carol").at("debt")), 1999 - burned, 1e-6);
  EXPECT_NEAR(num(stakers.at("carol").at("c_ratio")), 3.0, 1e-6);  // back at the issuance target
  EXPECT_TRUE(stakers.at("carol").at("flagged_at").is_null());
  EXPECT_NEAR(num(stakers.at("dave").at("debt")), 1000.0, 1e-9);  // untouched, never flagged
  EXPECT_TRUE(stakers.at("dave").at("flagged_at").is_null());
  EXPECT_NEAR(s.profit_usd, 0.10 * burned, 1e-6);  // the configured penalty, at SNX 1.2
}

}  // namespace
}  // namespace shardsim
