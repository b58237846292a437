// Property test of protocols/perps: 10^4 random operations (fixed seed) through the shard's
// revert-and-rollback rule; after every one, ledger conservation, no negative balance, internal
// backing (traders' Q + house book + insurance fund == collateral held), open interest and the
// house book, TAV/IMR/MMR recomputed independently, and the rule each successful op must obey.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/perps/perps.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::perps {
namespace {

using core::Amount;
using core::Duration;
using testing::ProtocolRig;

constexpr int kOps = 10'000;
const std::vector<std::string> kTraders = {"t0", "t1", "t2", "t3"};
const std::vector<std::string> kMarkets = {"BTC-PERP", "ETH-PERP"};
const std::vector<std::string> kIndex = {"BTC", "ETH"};
const std::vector<double> kImf = {0.05, 0.10};
const std::vector<double> kMmf = {0.03, 0.05};

// The spec's formulas, written again: size WAD * price WAD -> collateral units (6 decimals).
constexpr i128 kScale = core::pow10_i128(30);

i128 value_floor(i128 s, i128 p) {  // floor(S * P)
  return s >= 0 ? mul_div(s, p, kScale, Round::down) : -mul_div(-s, p, kScale, Round::up);
}
i128 requirement(i128 s, i128 p, i128 fraction) {  // ceil(ceil(|S * P|) * fraction)
  const i128 notional = mul_div(s < 0 ? -s : s, p, kScale, Round::up);
  return mul_div(notional, fraction, kWadUnit, Round::up);
}

struct Expected {
  i128 equity = 0, imr = 0, mmr = 0;
  double equity_approx = 0;  // the same sums in floating point
};

struct World {
  ProtocolRig rig{{{"USDC", 6}, {"BTC", 8}, {"ETH", 18}}};
  PerpsConfig cfg;
  std::unique_ptr<Perps> p;
  core::Rng rng{20240611};
  std::vector<double> price = {50'000, 2'000};

  World() {
    cfg.collateral = rig.asset("USDC");
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      cfg.markets.push_back(MarketConfig{kMarkets[m], rig.asset(kIndex[m]), double_to_wad(kImf[m]),
                                         double_to_wad(kMmf[m])});
    }
    cfg.spread_wad = kWadUnit / 2000;                 // 0.05%
    cfg.liquidation_penalty_wad = kWadUnit / 200;     // 0.5%
    cfg.insurance_fund = rig.amount("USDC", "1000");
    p = std::make_unique<Perps>("dydx", rig.account("dydx"), cfg, rig.registry);
    for (const auto& t : kTraders) rig.fund(t, "USDC", "200000");
    rig.fund("keeper", "USDC", "5000");
    set_prices();
  }
  void set_prices() {
    for (std::size_t m = 0; m < kIndex.size(); ++m) rig.set_price(kIndex[m], price[m]);
  }
  i128 oracle(std::size_t m) const { return rig.oracles[rig.asset(kIndex[m])].price_wad; }

  Expected expected(const PerpsAccount& a) const {
    Expected e;
    e.equity = a.q.raw();
    e.equity_approx = a.q.to_double(6);
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      const i128 s = a.size_wad[m];
      if (s == 0) continue;
      e.equity += value_floor(s, oracle(m));
      e.imr += requirement(s, oracle(m), cfg.markets[m].imf_wad);
      e.mmr += requirement(s, oracle(m), cfg.markets[m].mmf_wad);
      e.equity_approx += wad_to_double(s) * wad_to_double(oracle(m));
    }
    return e;
  }

  // A decimal with up to `dp` places in [lo, hi), as text.
  std::string decimal(double lo, double hi, int dp) {
    const double v = rng.uniform(lo, hi);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", dp, v);
    return buf;
  }
  const std::string& trader() { return kTraders[rng.uniform_index(kTraders.size())]; }
};

struct Frozen {  // everything a revert must leave untouched
  std::map<AccountId, PerpsAccount> accounts;
  std::vector<OpenInterest> oi;
  Amount house, fund, socialised;
  bool operator==(const Frozen&) const = default;
};
Frozen freeze(const Perps& p) {
  return {p.accounts(), p.open_interest(), p.house_q(), p.insurance_fund(), p.socialised_loss()};
}

TEST(PerpsProperty, RandomOperationsKeepEveryInvariant) {
  World w;
  Perps& p = *w.p;
  int ok_ops = 0, liquidations = 0, fundings = 0, increases = 0, reduces = 0;
  w.rig.advance(Duration::s(1), p);  // the first block mints the initial insurance fund
  ASSERT_EQ(p.insurance_fund(), w.cfg.insurance_fund);
  for (int step = 0; step < kOps; ++step) {
    const Frozen before = freeze(p);
    const std::uint64_t settlements_before = p.funding_settlements();
    const std::uint64_t dice = w.rng.uniform_index(100);
    std::string op, who = w.trader();
    std::vector<TxArg> args;
    std::size_t market = 0;
    i128 size = 0;
    bool is_block = false;
    if (dice < 10) {
      op = "deposit";
      args = {{"amount", w.decimal(0, 30'000, w.rng.uniform_index(7))}};
    } else if (dice < 18) {
      op = "withdraw";
      const MarginResult m = p.margin(*w.rig.host, w.rig.account(who));
      const double free = m.totals.free_collateral() / 1e6;
      args = {{"amount", w.rng.bernoulli(0.3) && free > 0 ? Amount::units(m.totals.free_collateral()).str(6)
                                                          : w.decimal(0, 20'000, 6)}};
    } else if (dice < 60) {
      op = "trade";
      market = w.rng.uniform_index(kMarkets.size());
      const double notional = w.rng.uniform(100, 150'000);
      const std::string text = w.decimal(notional / w.price[market] * -1, notional / w.price[market], 8);
      args = {{"market", kMarkets[market]}, {"size", text}};
      size = Amount::parse(text, 18)->raw();
      if (w.rng.bernoulli(0.2)) {
        args.push_back({"limit_price", w.decimal(w.price[market] * 0.999, w.price[market] * 1.001, 2)});
      }
    } else if (dice < 70) {
      op = "liquidate";
      args = {{"account", w.trader()}};
      who = "keeper";
    } else if (dice < 82) {
      // A price move: up to +/-4% per step, kept inside a band.
      for (std::size_t m = 0; m < w.price.size(); ++m) {
        w.price[m] = std::clamp(w.price[m] * std::exp(w.rng.uniform(-0.04, 0.04)),
                                m == 0 ? 20'000.0 : 800.0, m == 0 ? 120'000.0 : 5'000.0);
      }
      w.set_prices();
      is_block = true;
    } else if (dice < 90) {
      w.rig.advance(Duration::min(static_cast<std::int64_t>(1 + w.rng.uniform_index(45))), p);
      is_block = true;
    } else if (dice < 93) {
      op = "fund_insurance";
      args = {{"amount", w.decimal(0, 50, 2)}};
      who = "keeper";
    } else {
      // Malformed input: every one must revert cleanly.
      switch (w.rng.uniform_index(6)) {
        case 0: op = "swap"; break;
        case 1: op = "deposit"; args = {{"amount", "12abc"}}; break;
        case 2: op = "trade"; args = {{"market", "DOGE-PERP"}, {"size", "1"}}; break;
        case 3: op = "trade"; args = {{"market", "BTC-PERP"}}; break;
        case 4: op = "withdraw"; args = {{"amount", "-3"}}; break;
        default: op = "liquidate"; args = {{"account", "ghost"}}; break;
      }
    }
    OpResult r;
    if (!is_block) r = w.rig.apply(p, who, op, args);
    if (p.funding_settlements() != settlements_before) ++fundings;
    const std::string where = "step " + std::to_string(step) + " op " + op + " by " + who + ": " + r.reason;

    // Ledger conservation and no negative balance.
    w.rig.expect_conserved();
    for (const char* a : {"t0", "t1", "t2", "t3", "keeper", "dydx"}) {
      ASSERT_GE(w.rig.balance(a, "USDC").raw(), 0) << where;
    }
    // Internal backing: Q of traders + house book + fund == collateral tokens held.
    i128 claims = p.house_q().raw() + p.insurance_fund().raw();
    std::vector<OpenInterest> oi(kMarkets.size());
    for (const auto& [id, a] : p.accounts()) {
      claims += a.q.raw();
      for (std::size_t m = 0; m < kMarkets.size(); ++m) {
        if (a.size_wad[m] > 0) oi[m].long_wad += a.size_wad[m];
        if (a.size_wad[m] < 0) oi[m].short_wad -= a.size_wad[m];
      }
    }
    ASSERT_EQ(claims, w.rig.balance("dydx", "USDC").raw()) << where;
    ASSERT_EQ(oi, p.open_interest()) << where;
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      ASSERT_EQ(p.house_size_wad(m), oi[m].short_wad - oi[m].long_wad) << where;
    }
    ASSERT_GE(p.insurance_fund().raw(), 0) << where;
    ASSERT_GE(p.socialised_loss(), before.socialised) << where;
    // Equity, IMR and MMR recomputed for every account.
    for (const auto& [id, a] : p.accounts()) {
      const Expected e = w.expected(a);
      const MarginResult got = p.margin(*w.rig.host, id);
      ASSERT_FALSE(got.missing_price);
      ASSERT_EQ(got.totals.equity, e.equity) << where;
      ASSERT_EQ(got.totals.imr, e.imr) << where;
      ASSERT_EQ(got.totals.mmr, e.mmr) << where;
      ASSERT_NEAR(static_cast<double>(e.equity) / 1e6, e.equity_approx, 1e-9 * std::abs(e.equity_approx) + 1e-5)
          << where;
    }

    if (step % 500 == 0) {
      const auto state = p.state(*w.rig.host);
      ASSERT_EQ(state["accounts"].size(), p.accounts().size()) << where;
    }
    if (is_block) {
      if (p.funding_settlements() == settlements_before) {
        ASSERT_TRUE(freeze(p) == before) << where;
        continue;
      }
      // One funding interval (steps are < 1h): each position pays S * P * R, longs paying
      // when R > 0, payers rounded up and receivers down; the house takes the other side.
      i128 house_delta = 0;
      for (const auto& [id, a] : before.accounts) {
        i128 delta = 0;
        for (std::size_t m = 0; m < kMarkets.size(); ++m) {
          const i128 s = a.size_wad[m];
          if (s == 0) continue;
          const Round r = s > 0 ? Round::up : Round::down;
          const i128 n = mul_div(s < 0 ? -s : s, w.oracle(m), kScale, r);
          const i128 pay = mul_div(n, w.cfg.funding_interest_wad, kWadUnit, r);
          delta += s > 0 ? -pay : pay;
        }
        ASSERT_EQ((p.find_account(id)->q - a.q).raw(), delta) << where;
        house_delta -= delta;
      }
      ASSERT_EQ((p.house_q() - before.house).raw(), house_delta) << where;
      continue;
    }
    if (!r.ok) {
      ASSERT_TRUE(freeze(p) == before) << where;  // a revert changes nothing
      continue;
    }
    ++ok_ops;
    if (op == "fund_insurance") {
      ASSERT_GT(p.insurance_fund(), before.fund) << where;
      continue;
    }
    const AccountId id = w.rig.account(op == "liquidate" ? args[0].value : who);
    const PerpsAccount& now = *p.find_account(id);
    const auto old_it = before.accounts.find(id);
    const PerpsAccount old = old_it == before.accounts.end()
                                 ? PerpsAccount{Amount{}, std::vector<i128>(kMarkets.size(), 0)}
                                 : old_it->second;
    if (op == "trade") {
      const i128 s0 = old.size_wad[market], s1 = now.size_wad[market];
      ASSERT_EQ(s1, s0 + size) << where;
      // Cash at the oracle price +/- spread, rounded against the trader; the house mirrors it.
      const i128 mark = w.oracle(market);
      const i128 markup = mul_div(mark, w.cfg.spread_wad, kWadUnit, Round::up);
      const i128 exec = size > 0 ? mark + markup : mark - markup;
      ASSERT_EQ((now.q - old.q).raw(), value_floor(-size, exec)) << where;
      ASSERT_EQ((p.house_q() - before.house).raw(), -(now.q - old.q).raw()) << where;
      const bool increased = s1 != 0 && (s0 == 0 || (s0 > 0) != (s1 > 0) || (s1 < 0 ? -s1 : s1) > (s0 < 0 ? -s0 : s0));
      if (increased) {
        ++increases;
        const Expected e = w.expected(now);
        ASSERT_GE(e.equity, e.imr) << where;
      } else {
        ++reduces;
      }
    } else if (op == "withdraw") {
      const Expected e = w.expected(now);
      ASSERT_GE(e.equity - e.imr, 0) << where;
    } else if (op == "liquidate") {
      ++liquidations;
      const Expected e0 = w.expected(old);
      ASSERT_LT(e0.equity, e0.mmr) << where;
      for (const i128 s : now.size_wad) ASSERT_EQ(s, 0) << where;
      ASSERT_GE(now.q.raw(), 0) << where;
      ASSERT_LE(now.q.raw(), e0.equity > 0 ? e0.equity : 0) << where;
    }
  }
  // The run must have exercised every path.
  EXPECT_GT(ok_ops, 2'000);
  EXPECT_GT(increases, 500);
  EXPECT_GT(reduces, 200);
  EXPECT_GT(liquidations, 5);
  EXPECT_GT(fundings, 20);
  std::printf("perps property: %d ok ops, %d increases, %d reduces, %d liquidations, %d fundings, "
              "socialised %s, fund %s\n",
              ok_ops, increases, reduces, liquidations, fundings, p.socialised_loss().str(6).c_str(),
              p.insurance_fund().str(6).c_str());
}

}  // namespace
}  // namespace shardsim::protocols::perps
