// Tests the agent behaviours added for the agents issue's remaining gaps, each against a control
// run: retail trading straight to a perps market and an AMM pool from its own account, a liquidator
// that reads the live base fee (skipping a liquidation during a gas spike, taking it after), the
// perps liquidator reward (its balance grows by the reward minus gas), and an arbitrageur closing a
// synth's pool-versus-oracle peg gap through the synthetics exchange. Value is conserved in every run.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"
#include "tests/support/finished_run.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

double num(const ordered_json& j) { return std::stod(j.get<std::string>()); }

struct GapRun : testing::FinishedRun {
  explicit GapRun(const std::string& yaml) : FinishedRun(yaml, "gaps.yaml") {}
};

class AgentStrategies : public ::testing::Test {};

// ---- retail straight to a protocol ------------------------------------------------------------

std::string perps_world(const std::string& agents) {
  return "name: retail-perps\nseed: 21\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, BTC: {decimals: 8}}\n"
         "prices: {model: gbm, step: 1s, assets: {BTC: {initial: 50000, vol_annual: 0%}, USDC: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: perps, slot: 2s, gas_per_block: 50M, oracles: {assets: [BTC, USDC]},\n"
         "     protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%, mmf: 3%}}}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n" +
         agents;
}

TEST_F(AgentStrategies, RetailTradesStraightOnAPerpsMarket) {
  const GapRun control(perps_world(""));
  EXPECT_EQ(control.protocol("perps", "dydx").at("open_interest").at("BTC-PERP").at("long"), "0");

  const GapRun run(perps_world("agents:\n"
                            "  - {kind: retail, count: 20, protocol: dydx, capital: {USDC: {uniform: [5k, 20k]}},"
                            " leverage: {uniform: [2, 5]}, every: 2m}\n"));
  const ordered_json& dydx = run.protocol("perps", "dydx");
  // Random sides: both long and short open interest, from the members' own accounts.
  EXPECT_GT(num(dydx.at("open_interest").at("BTC-PERP").at("long")), 0.0);
  EXPECT_GT(num(dydx.at("open_interest").at("BTC-PERP").at("short")), 0.0);
  int traders = 0;
  for (int m = 0; m < 20; ++m) {
    const std::string who = "retail.0." + std::to_string(m);
    ASSERT_TRUE(dydx.at("accounts").contains(who)) << who;
    traders += dydx.at("accounts").at(who).at("positions").empty() ? 0 : 1;
  }
  EXPECT_GE(traders, 10);  // most hold a position at the end
  const agents::AgentStats s = run.stats(agents::AgentKind::retail);
  EXPECT_GE(s.actions, 20u + 100u);  // 20 deposits and ~30 decisions a member, mostly trades
  EXPECT_LT(s.failed, s.actions / 10);
  EXPECT_EQ(run.world->results().at("agents").at("retail").at("agents"), 20u);
}

std::string pool_world(const std::string& agents) {
  return "name: retail-amm\nseed: 22\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, ETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 0%}, USDC: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: dex, slot: 12s, gas_per_block: 30M, oracles: {assets: [ETH, USDC]},\n"
         "     protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC], fee: 0.3%}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts: {whale: {shard: dex, balances: {ETH: 1000, USDC: 2M}}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: whale, shard: dex, protocol: uni, op: add_liquidity, args: {amount_a: 1000, amount_b: 2M}}}\n" +
         agents;
}

TEST_F(AgentStrategies, RetailSwapsStraightOnAPool) {
  const GapRun control(pool_world(""));
  const ordered_json& still = control.protocol("dex", "uni").at("reserves");
  EXPECT_EQ(still.at("ETH"), "1000");
  EXPECT_EQ(still.at("USDC"), "2000000");

  const GapRun run(pool_world("agents:\n"
                           "  - {kind: retail, count: 5, protocol: uni, capital: {ETH: 10, USDC: 20k}, every: 2m}\n"));
  const ordered_json& r = run.protocol("dex", "uni").at("reserves");
  // Every swap leaves its fee in the pool: the product of the reserves grows.
  EXPECT_GT(num(r.at("ETH")) * num(r.at("USDC")), 1000.0 * 2e6 * (1 + 1e-6));
  const agents::AgentStats s = run.stats(agents::AgentKind::retail);
  EXPECT_GE(s.actions, 50u);  // ~30 decisions a member
  EXPECT_LT(s.failed, s.actions / 10);
  // Both sides were sold: no member ends with all of its ETH or all of its USDC.
  int both_ways = 0;
  for (int m = 0; m < 5; ++m) {
    const ordered_json& b = run.balances("dex", "retail.0." + std::to_string(m));
    both_ways += num(b.at("ETH")) != 10.0 && num(b.at("USDC")) != 20000.0 ? 1 : 0;
  }
  EXPECT_EQ(both_ways, 5);
}

// ---- gas is read at each decision -------------------------------------------------------------

// A 10 ETH position borrowing 12,000 DAI, and ETH crashing to 900 at 30m (HF 0.62). Gas is paid in
// ETH: 150,000 gas x 0.0000002 ETH = 0.03 ETH, $27 at 900, against a bonus of ~$300 on 6,000 DAI.
std::string lend_world(const std::string& duration, bool spike) {
  return "name: gas\nseed: 23\nduration: " + duration +
         "\n"
         "assets: {DAI: {}, ETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 0%}, DAI: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: lend, slot: 12s, gas_per_block: 30M, fee_asset: ETH, base_fee: 0.0000002,\n"
         "     oracles: {assets: [ETH, DAI], heartbeat: 10m},\n"
         "     protocols: [{kind: lending, name: aave, params: {close_factor: 50%}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts:\n"
         "  whale: {shard: lend, balances: {DAI: 100000, ETH: 1}}\n"
         "  alice: {shard: lend, balances: {ETH: 11}}\n"
         "  \"keeper:lend\": {shard: lend, balances: {ETH: 100}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: whale, shard: lend, protocol: aave, op: supply, args: {asset: DAI, amount: 100000}}}\n"
         "  - {at: 1m, tx: {from: alice, shard: lend, protocol: aave, op: supply, args: {asset: ETH, amount: 10}}}\n"
         "  - {at: 2m, tx: {from: alice, shard: lend, protocol: aave, op: borrow, args: {asset: DAI, amount: 12000}}}\n"
         "  - {at: 30m, price: {asset: ETH, set: 900}}\n" +
         // x100: gas $2,700 a call while it lasts, 25m to 1h25m.
         std::string(spike ? "faults: [{at: 25m, gas_spike: {shard: lend, factor: 100, duration: 1h}}]\n" : "") +
         "agents:\n"
         "  - {kind: liquidator, shard: lend, capital: {DAI: 20k, ETH: 1}, min_profit: 10, every: 1m}\n";
}

// Two liquidations either way: half the 12,000 DAI (7 ETH seized), then what the 3 ETH left cover
// at the 5% bonus, 2,700 / 1.05 = 2,571.43, leaving 3,428.57 of debt.
constexpr double kDebtLeft = 12000 - 6000 - 2700 / 1.05;

double debt(const GapRun& r) { return num(r.protocol("lend", "aave").at("accounts").at("alice").at("borrowed").at("DAI")); }

TEST_F(AgentStrategies, LiquidatorSkipsALiquidationDuringAGasSpikeAndTakesItAfter) {
  const GapRun normal(lend_world("80m", false));  // profitable at normal gas: taken soon after the crash
  EXPECT_EQ(normal.stats(agents::AgentKind::liquidator).liquidations.at("aave"), 2u);
  EXPECT_NEAR(debt(normal), kDebtLeft, 0.1);  // borrow interest aside

  const GapRun spiked(lend_world("80m", true));  // the same run, still inside the spike at its end
  const agents::AgentStats during = spiked.stats(agents::AgentKind::liquidator);
  EXPECT_EQ(during.liquidations.count("aave"), 0u);
  EXPECT_EQ(during.actions + during.failed, 0u);  // it looked (decisions) but sent nothing
  EXPECT_GT(during.decisions, 40u);
  EXPECT_NEAR(debt(spiked), 12000.0, 1.0);
  EXPECT_LT(num(spiked.protocol("lend", "aave").at("accounts").at("alice").at("health_factor")), 1.0);

  const GapRun after(lend_world("2h", true));  // the spike ends at 1h25m: taken then
  const agents::AgentStats s = after.stats(agents::AgentKind::liquidator);
  EXPECT_EQ(s.liquidations.at("aave"), 2u);
  EXPECT_NEAR(debt(after), kDebtLeft, 0.1);
  // The 5% bonus on both repayments less two calls' gas at the normal fee ($27 each), not the spike's.
  EXPECT_NEAR(s.profit_usd, 0.05 * (12000 - kDebtLeft) - 2 * 27, 0.1);
}

// ---- the perps liquidator reward --------------------------------------------------------------

// The spec's worked example (10,000 USDC, long 2 BTC at 50,000), then BTC at 46,000: equity 2,000
// below MMR 2,760. Penalty 1% of the 92,000 closed notional = 920, of which the liquidator gets
// `share`. Gas is paid in USDC: 150,000 x 0.00001 = 1.5 USDC a call.
std::string crash_world(const std::string& share) {
  return "name: perps-crash\nseed: 24\nduration: 1h\n"
         "assets: {USDC: {decimals: 6}, BTC: {decimals: 8}}\n"
         "prices: {model: gbm, step: 1s, assets: {BTC: {initial: 50000, vol_annual: 0%}, USDC: {initial: 1}}}\n"
         "shards:\n"
         "  - {id: perps, slot: 2s, gas_per_block: 50M, fee_asset: USDC, base_fee: 0.00001,\n"
         "     oracles: {assets: [BTC, USDC], deviation: 0.1%},\n"
         "     protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%, mmf: 3%}},\n"
         "                  liquidation_penalty: 1%, liquidator_share: " +
         share +
         "}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts: {trader: {shard: perps, balances: {USDC: 10010}}, \"keeper:perps\": {shard: perps, balances: {USDC: 10k}}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: trader, shard: perps, protocol: dydx, op: deposit, args: {amount: 10000}}}\n"
         "  - {at: 2m, tx: {from: trader, shard: perps, protocol: dydx, op: trade, args: {market: BTC-PERP, size: 2}}}\n"
         "  - {at: 20m, price: {asset: BTC, set: 46000}}\n"
         "agents: [{kind: liquidator, shard: perps, capital: {USDC: 100}, min_profit: 1, every: 1m}]\n";
}

TEST_F(AgentStrategies, LiquidatorEarnsThePerpsRewardAfterACrash) {
  const GapRun unpaid(crash_world("0%"));  // no reward: not worth its gas, left alone
  EXPECT_EQ(unpaid.stats(agents::AgentKind::liquidator).actions, 0u);
  EXPECT_EQ(unpaid.protocol("perps", "dydx").at("accounts").at("trader").at("positions").size(), 1u);
  EXPECT_EQ(unpaid.balances("perps", "liquidator.0.0").at("USDC"), "100");

  const GapRun run(crash_world("50%"));
  const ordered_json& dydx = run.protocol("perps", "dydx");
  EXPECT_TRUE(dydx.at("accounts").at("trader").at("positions").empty());
  EXPECT_EQ(dydx.at("liquidations"), 1u);
  EXPECT_EQ(dydx.at("insurance_fund"), "460");  // the other half of the penalty
  const agents::AgentStats s = run.stats(agents::AgentKind::liquidator);
  EXPECT_EQ(s.liquidations.at("dydx"), 1u);
  EXPECT_EQ(s.actions, 1u);
  // 460 of reward less 1.5 of gas, exactly.
  EXPECT_EQ(run.balances("perps", "liquidator.0.0").at("USDC"), "558.5");
  EXPECT_NEAR(s.profit_usd, 458.5, 1e-6);
}

TEST_F(AgentStrategies, PerpsLiquidatorShareAbove100PercentIsAnError) {
  try {
    app::load_topology_string(crash_world("150%"), "crash.yaml");
    ADD_FAILURE() << "loaded";
  } catch (const app::TopologyError& e) {
    EXPECT_EQ(e.line(), 10);  // the `liquidation_penalty: 1%, liquidator_share: ...` line
    EXPECT_NE(e.key_path().find("liquidator_share"), std::string::npos) << e.key_path();
    EXPECT_NE(std::string(e.what()).find("share above 100%"), std::string::npos) << e.what();
  }
}

// ---- the synth peg arbitrage --------------------------------------------------------------------

// An sBTC/sUSD pool beside the synthetics protocol that issues both, seeded at the oracle (50,000)
// and pushed off peg at 10m: 17% cheap by a 1 sBTC sale, or 44% rich by a 100k sUSD purchase.
// The arbitrageur stakes SNX for its sUSD.
constexpr const char* kPushCheap = "{sell: sBTC, amount: 1, min_out: 0}";
constexpr const char* kPushRich = "{sell: sUSD, amount: 100k, min_out: 0}";

std::string synth_world(bool arbitrageur, const std::string& push = kPushCheap) {
  return "name: peg\nseed: 25\nduration: 1h\n"
         "assets: {BTC: {decimals: 8}, SNX: {}, sUSD: {}, sBTC: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {BTC: {initial: 50000, vol_annual: 0%}, SNX: {initial: 2, vol_annual: 0%}}}\n"
         "shards:\n"
         "  - {id: synths, slot: 12s, gas_per_block: 30M, oracles: {assets: [BTC, SNX]},\n"
         "     protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD, sBTC]}},\n"
         "                 {kind: amm, name: pool, params: {pair: [sBTC, sUSD], fee: 0.3%}}]}\n"
         "links: {default: {latency: {model: constant, value: 2s}}, access_latency: {model: constant, value: 100ms}}\n"
         "accounts: {staker: {shard: synths, balances: {SNX: 3M}}}\n"
         "script:\n"
         "  - {at: 1m, tx: {from: staker, shard: synths, protocol: snx, op: stake, args: {amount: 3M}}}\n"
         "  - {at: 2m, tx: {from: staker, shard: synths, protocol: snx, op: issue, args: {amount: 1.6M}}}\n"
         "  - {at: 3m, tx: {from: staker, shard: synths, protocol: snx, op: exchange, args: {from: sUSD, to: sBTC, amount: 1M}}}\n"
         "  - {at: 4m, tx: {from: staker, shard: synths, protocol: pool, op: add_liquidity, args: {amount_a: 10, amount_b: 500k}}}\n"
         "  - {at: 10m, tx: {from: staker, shard: synths, protocol: pool, op: swap, args: " + push + "}}\n" +
         std::string(arbitrageur ? "agents: [{kind: arbitrageur, shard: synths, capital: {SNX: 500k}, every: 1m}]\n" : "");
}

double pool_price(const GapRun& r) {  // sUSD per sBTC
  const ordered_json& reserves = r.protocol("synths", "pool").at("reserves");
  return num(reserves.at("sUSD")) / num(reserves.at("sBTC"));
}

TEST_F(AgentStrategies, ArbitrageurClosesASynthPegGap) {
  const GapRun control(synth_world(false));
  EXPECT_LT(pool_price(control), 50000 * 0.85);  // 11 sBTC / 454,545 sUSD: the gap stays

  const GapRun run(synth_world(true));
  // The exchange converts at 50,000 less the 1% sBTC fee; with the pool's 0.3% the gap closes to
  // within both fees of the oracle.
  EXPECT_LE(std::abs(pool_price(run) / 50000 - 1), 1 / (0.99 * 0.997) - 1 + 1e-9) << pool_price(run);
  const agents::AgentStats s = run.stats(agents::AgentKind::arbitrageur);
  EXPECT_GE(s.actions, 4u);  // stake, issue, a swap and an exchange at least
  EXPECT_EQ(s.failed, 0u);
  EXPECT_GT(s.profit_usd, 1000);
  // More value at the end: its sUSD and sBTC (at the oracle) less its share of the debt pool,
  // which was 0 right after it issued.
  const ordered_json& held = run.balances("synths", "arbitrageur.0.0");
  const double sbtc = held.contains("sBTC") ? num(held.at("sBTC")) : 0.0;
  const double debt = num(run.protocol("synths", "snx").at("stakers").at("arbitrageur.0.0").at("debt"));
  EXPECT_GT(num(held.at("sUSD")) + sbtc * 50000 - debt, 1000);
}

TEST_F(AgentStrategies, ArbitrageurClosesARichSynthPoolToo) {
  const GapRun control(synth_world(false, kPushRich));
  EXPECT_GT(pool_price(control), 50000 * 1.4);  // 600k sUSD / 8.3 sBTC

  const GapRun run(synth_world(true, kPushRich));
  EXPECT_LE(std::abs(pool_price(run) / 50000 - 1), 1 / (0.99 * 0.997) - 1 + 1e-9) << pool_price(run);
  const agents::AgentStats s = run.stats(agents::AgentKind::arbitrageur);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_GT(s.profit_usd, 1000);
  const ordered_json& held = run.balances("synths", "arbitrageur.0.0");
  const double sbtc = held.contains("sBTC") ? num(held.at("sBTC")) : 0.0;
  const double debt = num(run.protocol("synths", "snx").at("stakers").at("arbitrageur.0.0").at("debt"));
  EXPECT_GT(num(held.at("sUSD")) + sbtc * 50000 - debt, 1000);
}

}  // namespace
}  // namespace shardsim
