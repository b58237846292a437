// Tests the prime broker end to end on small worlds built from YAML: the basis trade's margin,
// hedge sagas in every atomicity mode under a shard halt, a partition, a timeout and dropped
// transactions (nothing lost, nothing pending, the house flat once the faults heal), latency
// risk growing with link latency, and a vertically integrated broker whose issuer side (stake,
// sUSD issued, backstop of the debt pool) is on chain and is exactly its P&L difference.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

using nlohmann::ordered_json;

struct WorldSpec {
  std::string atomicity = "optimistic";
  std::string ordering = "fifo";
  std::string policy = "batch";
  std::string link_to_perps = "2s";  // l2 <-> both perps shards, each way
  std::string faults;
  std::string extra_script;
  std::string broker_extra;
  std::string duration = "1h";
  std::string split = "1";
  std::string btc_vol = "0%";
  std::string venues = "{perps: true, amm: false}";
  std::string max_slippage = "1%";
  std::string max_inflight = "2";
};

// An L2 home shard, a synthetics shard, and two perps rollups (BTC on `perps`, ETH on `perps2`).
// Prices are flat unless a test moves them, so every figure is reproducible by hand.
std::string topology(const WorldSpec& s) {
  return "name: broker-test\nseed: 3\nduration: " + s.duration + "\n"
         "assets: {USDC: {decimals: 6}, ETH: {}, BTC: {decimals: 8}, SNX: {}, sUSD: {}, sBTC: {}, sETH: {}}\n"
         "prices: {model: gbm, step: 1s, assets: {ETH: {initial: 2000, vol_annual: 0%},\n"
         "         BTC: {initial: 50000, vol_annual: " + s.btc_vol + "}, SNX: {initial: 2, vol_annual: 0%},\n"
         "         USDC: {initial: 1, vol_annual: 0%}}}\n"
         "shards:\n"
         "  - {id: l2, slot: 2s, gas_per_block: 100M,\n"
         "     oracles: {assets: [BTC, ETH, SNX, USDC], deviation: 0.05%, heartbeat: 10m, check_every: 1s}}\n"
         "  - id: synths\n    slot: 12s\n    gas_per_block: 30M\n"
         "    oracles: {assets: [BTC, ETH, SNX], deviation: 0.05%, check_every: 1s}\n"
         "    protocols: [{kind: synthetics, name: snx, params: {synths: [sUSD, sBTC, sETH], reserve: USDC}}]\n"
         "  - id: perps\n    slot: 2s\n    gas_per_block: 50M\n"
         "    oracles: {assets: [BTC, ETH], deviation: 0.05%, check_every: 1s}\n"
         "    protocols: [{kind: perps, name: dydx, params: {markets: {BTC-PERP: {imf: 5%, mmf: 3%}}}}]\n"
         "  - id: perps2\n    slot: 2s\n    gas_per_block: 50M\n"
         "    oracles: {assets: [BTC, ETH], deviation: 0.05%, check_every: 1s}\n"
         "    protocols: [{kind: perps, name: gmx, params: {markets: {ETH-PERP: {imf: 5%, mmf: 3%}}}}]\n"
         "  - id: dex\n    slot: 2s\n    gas_per_block: 50M\n"
         "    protocols: [{kind: amm, name: uni, params: {pair: [ETH, USDC], fee: 0.3%}}]\n"
         "links:\n"
         "  default: {latency: {model: constant, value: 24s}}\n"
         "  pairs:\n"
         "    - {from: l2, to: perps, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "    - {from: perps, to: l2, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "    - {from: l2, to: perps2, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "    - {from: perps2, to: l2, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "    - {from: l2, to: dex, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "    - {from: dex, to: l2, latency: {model: constant, value: " + s.link_to_perps + "}}\n"
         "  access_latency: {model: constant, value: 100ms}\n"
         "accounts:\n"
         "  whale: {shard: l2, balances: {USDC: 2M}}\n"
         "  alice: {shard: l2, balances: {USDC: 2M}}\n"
         "  staker: {shard: synths, balances: {SNX: 3M}}\n"
         "  lp: {shard: dex, balances: {ETH: 10000, USDC: 20M}}\n"
         "brokers:\n"
         "  - name: prime\n    home: l2\n    capital: {USDC: 5M}\n    default_fund: {USDC: 1M}\n"
         "    margin: {scan_range: {BTC: 10%, ETH: 12%}, basis_charge: 1%, haircuts: {snx: 3%, dydx: 2%, gmx: 2%}}\n"
         "    hedging: {policy: " + s.policy + ", every: 1 slot, split: " + s.split + ", venues: " + s.venues + ", max_slippage: " + s.max_slippage + "}\n"
         "    settlement: {atomicity: " + s.atomicity + ", ordering: " + s.ordering + ", timeout: 10 slots, max_inflight: " + s.max_inflight + "}\n" +
         s.broker_extra +
         "faults: [" + s.faults + "]\n"
         "script:\n"
         "  - {at: 1s, tx: {from: staker, shard: synths, protocol: snx, op: stake, args: {amount: 3M}}}\n"
         "  - {at: 1s, tx: {from: lp, shard: dex, protocol: uni, op: add_liquidity, args: {amount_a: 10000, amount_b: 20M}}}\n"
         "  - {at: 2s, tx: {from: staker, shard: synths, protocol: snx, op: issue, args: {amount: 1.9M}}}\n"
         "  - {at: 2s, broker: {client: whale, broker: prime, op: deposit, args: {from_shard: l2, asset: USDC, amount: 1M}}}\n"
         "  - {at: 2s, broker: {client: alice, broker: prime, op: deposit, args: {from_shard: l2, asset: USDC, amount: 1M}}}\n" +
         s.extra_script;
}

// Alice goes long BTC and ETH: the broker hedges both, one leg on each perps shard.
const std::string kAliceLongs =
    "  - {at: 2m, broker: {client: alice, broker: prime, op: order, args: {instrument: snx.sBTC, qty: 4}}}\n"
    "  - {at: 2m, broker: {client: alice, broker: prime, op: order, args: {instrument: snx.sETH, qty: 100}}}\n";

struct BrokerRun {
  ordered_json broker;
  bool conserved = false;
  std::string breach;
};

BrokerRun run(const WorldSpec& spec) {
  const app::Topology t = app::load_topology_string(topology(spec), "broker-test.yaml");
  app::Simulation w(t, t.seed);
  w.run();
  const ordered_json results = w.results();
  BrokerRun r;
  r.broker = results.at("brokers").at(0);
  const app::ConservationReport c = w.check_conservation();
  r.conserved = c.ok;
  r.breach = c.breach;
  return r;
}

double hedge_qty(const ordered_json& broker, const std::string& venue) {
  for (const ordered_json& p : broker.at("hedges").at("positions")) {
    if (p.at("venue") == venue) return std::stod(p.at("qty").get<std::string>());
  }
  ADD_FAILURE() << "no venue " << venue;
  return 0;
}

double in_flight(const ordered_json& broker) {
  double x = 0;
  for (const ordered_json& p : broker.at("hedges").at("positions")) x += std::abs(std::stod(p.at("in_flight").get<std::string>()));
  return x;
}

// ---- the basis trade --------------------------------------------------------------------------

TEST(BrokerBasisTrade, NetsToASmallFractionOfTheGrossMargin) {
  WorldSpec s;
  s.extra_script =
      "  - {at: 2m, broker: {client: whale, broker: prime, op: order, args: {instrument: snx.sBTC, qty: 10}}}\n"
      "  - {at: 2m, broker: {client: whale, broker: prime, op: order, args: {instrument: dydx.BTC-PERP, qty: -10}}}\n";
  const BrokerRun r = run(s);
  ASSERT_TRUE(r.conserved) << r.breach;
  const ordered_json& m = r.broker.at("margin");
  // 10 BTC at 50,000 each way. Apart: scan 10% of 500k per leg plus the protocol haircut
  // (3% snx, 2% dydx): 65,000 + 60,000 = 125,000. Together: the scan nets to 0, leaving the 1%
  // basis charge (5,000) and the haircuts (25,000).
  EXPECT_NEAR(m.at("gross").get<double>(), 125'000.0, 1.0);
  EXPECT_NEAR(m.at("net").get<double>(), 30'000.0, 1.0);
  EXPECT_LT(m.at("net").get<double>(), 0.25 * m.at("gross").get<double>());
  EXPECT_EQ(r.broker.at("orders").at("filled"), 2);
  // The legs offset inside the broker: no hedge is needed.
  EXPECT_EQ(r.broker.at("hedges").at("sent"), 0);
}

TEST(BrokerBasisTrade, TheSameLegsMarginedApartCostTheFullGross) {
  WorldSpec s;  // one leg per client: nothing offsets within a portfolio
  s.extra_script =
      "  - {at: 2m, broker: {client: whale, broker: prime, op: order, args: {instrument: snx.sBTC, qty: 10}}}\n"
      "  - {at: 2m, broker: {client: alice, broker: prime, op: order, args: {instrument: dydx.BTC-PERP, qty: -10}}}\n";
  const BrokerRun r = run(s);
  const ordered_json& m = r.broker.at("margin");
  EXPECT_NEAR(m.at("gross").get<double>(), 125'000.0, 1.0);
  EXPECT_NEAR(m.at("net").get<double>(), 125'000.0, 1.0);
  EXPECT_NEAR(m.at("efficiency").get<double>(), 1.0, 1e-6);
}

// ---- sagas under faults -----------------------------------------------------------------------

struct FaultCase {
  const char* name;
  const char* faults;
};

const FaultCase kFaults[] = {
    {"halt", "{at: 1m50s, shard_halt: {shard: perps2, duration: 3m}}"},
    {"partition", "{at: 1m50s, partition: {groups: [[l2, synths], [perps, perps2]], duration: 3m}}"},
    {"timeout", "{at: 1m50s, latency_spike: {from: l2, to: perps2, add: 2m, duration: 3m}}"},
    {"tx_drop", "{at: 1m50s, tx_drop: {shard: l2, probability: 50%, duration: 3m}}"},
};

class BrokerSagas : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(BrokerSagas, NothingLostNothingPendingAndTheHouseFlatOnceFaultsHeal) {
  const auto& [mode, fault] = GetParam();
  WorldSpec s;
  s.atomicity = mode;
  s.split = "2";
  s.faults = kFaults[fault].faults;
  s.extra_script = kAliceLongs;
  const BrokerRun r = run(s);
  const ordered_json& h = r.broker.at("hedges");
  SCOPED_TRACE(mode + " under " + kFaults[fault].name + ": " + h.dump());
  ASSERT_TRUE(r.conserved) << r.breach;
  EXPECT_EQ(h.at("pending"), 0);
  EXPECT_EQ(h.at("sent").get<int>(), h.at("committed").get<int>() + h.at("compensated").get<int>());
  EXPECT_GT(h.at("committed").get<int>(), 0);
  EXPECT_EQ(in_flight(r.broker), 0.0);
  // Exactly once: every leg that filled is either kept or unwound, so the hedges equal the
  // clients' exposure (4 BTC, 100 ETH) to the unit.
  EXPECT_NEAR(hedge_qty(r.broker, "dydx.BTC-PERP"), 4.0, 1e-12);
  EXPECT_NEAR(hedge_qty(r.broker, "gmx.ETH-PERP"), 100.0, 1e-12);
  EXPECT_EQ(h.at("unwinds_failed"), 0);
  if (mode == "two_phase") {
    // Nothing executes until every leg has voted, so a halt or partition aborts instead of
    // leaving one leg filled.
    if (std::string(kFaults[fault].name) != "tx_drop") EXPECT_EQ(h.at("unwinds"), 0);
  }
  if (std::string(kFaults[fault].name) != "tx_drop") {
    EXPECT_GT(h.at("timed_out").get<int>() + h.at("aborts").get<int>() + h.at("compensated").get<int>(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(ModesAndFaults, BrokerSagas,
                         ::testing::Combine(::testing::Values("optimistic", "two_phase", "yank"),
                                            ::testing::Range(0, 4)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + kFaults[std::get<1>(info.param)].name;
                         });

// Legs of one settlement on two venues (netted_batch merges the BTC and ETH settlements queued
// behind the one in flight): when a dropped transaction fails one, the other is unwound. (Split
// children of one hedge are not unwound: a failed child is planned again.)
TEST(BrokerSagas, OptimisticUnwindsTheLegsThatFilledWhenADroppedLegFails) {
  WorldSpec s;
  s.ordering = "netted_batch";
  s.max_inflight = "1";
  s.faults = kFaults[3].faults;
  s.extra_script = kAliceLongs;
  const BrokerRun r = run(s);
  const ordered_json& h = r.broker.at("hedges");
  EXPECT_GT(h.at("compensated").get<int>(), 0) << h.dump();
  EXPECT_GT(h.at("unwinds").get<int>(), 0) << h.dump();
  EXPECT_NEAR(hedge_qty(r.broker, "gmx.ETH-PERP"), 100.0, 1e-12);
}

TEST(BrokerAmmHedge, BuysTheUnderlyingOnThePoolWithinItsSlippageBound) {
  WorldSpec s;
  s.venues = "{perps: false, amm: true}";
  s.max_slippage = "3%";  // 100 ETH moves a 10,000 ETH pool by ~2%, and nobody arbitrages it back
  s.extra_script = "  - {at: 2m, broker: {client: alice, broker: prime, op: order, args: {instrument: snx.sETH, qty: 100}}}\n";
  const BrokerRun r = run(s);
  ASSERT_TRUE(r.conserved) << r.breach;
  const ordered_json& h = r.broker.at("hedges");
  SCOPED_TRACE(h.dump());
  EXPECT_EQ(h.at("pending"), 0);
  // The pool gives a little less than 100 ETH for the quote sent (fee and impact); the rest is
  // bought by the next batches, so the house ends within a rounding step of flat.
  EXPECT_NEAR(hedge_qty(r.broker, "uni.ETH"), 100.0, 0.01);
  EXPECT_GT(h.at("committed").get<int>(), 0);
  EXPECT_GT(r.broker.at("slippage_paid").get<double>(), 0.0);  // the 0.3% fee and the impact
}

// ---- latency risk -----------------------------------------------------------------------------

TEST(BrokerLatencyRisk, AddOnAndRealisedLossGrowWithLinkLatency) {
  auto with = [](const std::string& latency) {
    WorldSpec s;
    s.link_to_perps = latency;
    s.btc_vol = "60%";  // sigma of the latency add-on
    // BTC rises steadily while the hedge of alice's long (the broker is short) is in flight.
    s.extra_script =
        "  - {at: 2m, broker: {client: alice, broker: prime, op: order, args: {instrument: snx.sBTC, qty: 10}}}\n"
        "  - {at: 2m, price: {asset: BTC, shock: 20%, over: 10m}}\n";
    return run(s);
  };
  const BrokerRun fast = with("2s");   // 1 slot of the home shard
  const BrokerRun slow = with("20s");  // 10 slots
  ASSERT_TRUE(fast.conserved && slow.conserved);
  const double addon_fast = fast.broker.at("margin").at("latency_addon_avg").get<double>();
  const double addon_slow = slow.broker.at("margin").at("latency_addon_avg").get<double>();
  const double loss_fast = fast.broker.at("latency_loss").get<double>();
  const double loss_slow = slow.broker.at("latency_loss").get<double>();
  SCOPED_TRACE("add-on " + std::to_string(addon_fast) + " -> " + std::to_string(addon_slow) + ", loss " +
               std::to_string(loss_fast) + " -> " + std::to_string(loss_slow));
  EXPECT_GT(addon_fast, 0.0);
  EXPECT_GT(addon_slow, addon_fast);
  EXPECT_GT(loss_fast, 0.0);
  EXPECT_GT(loss_slow, loss_fast);
}

// ---- vertical integration ---------------------------------------------------------------------

TEST(BrokerVerticalIntegration, IssuerSideIsOnChainAndIsThePnlDifference) {
  auto with = [](bool integrated) {
    WorldSpec s;
    // The broker stakes 1M SNX of its own (2M at 2), issues 400k sUSD, and backstops the pool.
    s.broker_extra = std::string("    vertically_integrated: ") + (integrated ? "true" : "false") +
                     "\n    issues: snx\n    issuer: {stake: 1M, c_ratio: 500%, backstop_max: 2M, claim_every: 10m}\n";
    // The collateral crashes: 4M SNX at 0.5 back 2M of a 2.3M debt pool (1.9M + the broker's 400k).
    s.extra_script = kAliceLongs + "  - {at: 10m, price: {asset: SNX, set: 0.5}}\n";
    return run(s);
  };
  const BrokerRun independent = with(false);
  const BrokerRun integrated = with(true);
  ASSERT_TRUE(independent.conserved) << independent.breach;
  ASSERT_TRUE(integrated.conserved) << integrated.breach;
  EXPECT_EQ(independent.broker.at("issuer_loss").get<double>(), 0.0);
  const ordered_json& i = integrated.broker.at("issuer");
  SCOPED_TRACE(i.dump());
  EXPECT_NEAR(i.at("stake_value_start_usd").get<double>(), 2'000'000.0, 1e-6);
  EXPECT_NEAR(i.at("stake_value_usd").get<double>(), 500'000.0, 1e-6);
  EXPECT_NEAR(i.at("susd_issued").get<double>(), 400'000.0, 1e-6);
  // The shortfall, paid once into the reserve from custody (a snapshot after it sees it covered).
  EXPECT_NEAR(i.at("backstop_paid_usd").get<double>(), 300'000.0, 1.0);
  EXPECT_EQ(i.at("backstops").get<int>(), 1);
  const double issuer = integrated.broker.at("issuer_loss").get<double>();
  EXPECT_NEAR(issuer, 1'500'000.0 + 300'000.0, 1.0);
  // The capital included the stake at its first mark, and the P&L difference is the issuer side.
  EXPECT_NEAR(integrated.broker.at("capital_start").get<double>(),
              independent.broker.at("capital_start").get<double>() + 2'000'000.0, 1e-6);
  EXPECT_NEAR(integrated.broker.at("pnl").get<double>(), independent.broker.at("pnl").get<double>() - issuer, 1e-3);
}

}  // namespace
}  // namespace shardsim
