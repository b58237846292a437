// Property test of protocols/perps: 10^4 random operations (fixed seed) through the shard's
// revert-and-rollback rule, resting orders and trades that match them included; after every one,
// ledger conservation, no negative balance, internal backing (traders' Q + house book + insurance
// fund == collateral held), open interest and the house book, the order book's price-time order,
// TAV/IMR/MMR recomputed independently, the funding rate from an independently tracked premium
// TWAP, and the rule each successful op must obey.
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

  // The premium TWAP, tracked independently: the mid (best bid/ask, else last trade, else index)
  // sampled at every block, weighted by the time since the previous sample.
  std::vector<i128> premium_acc = std::vector<i128>(kMarkets.size(), 0);
  std::int64_t premium_us = 0;
  core::SimTime last_sample = core::SimTime::zero();
  std::vector<i128> expected_rate = std::vector<i128>(kMarkets.size(), 0);
  int premium_settlements = 0;  // market settlements whose premium TWAP moved the rate

  i128 mid(std::size_t m) const {
    std::optional<i128> bid, ask;
    for (const RestingOrder& o : p->orders(m)) {
      if (o.size_wad > 0 && (!bid || o.price_wad > *bid)) bid = o.price_wad;
      if (o.size_wad < 0 && (!ask || o.price_wad < *ask)) ask = o.price_wad;
    }
    if (bid && ask) return (*bid + *ask) / 2;
    if (p->last_trade_price(m)) return *p->last_trade_price(m);
    return oracle(m);
  }
  // Advances one block; returns whether funding settled (and sets expected_rate if so).
  bool block(Duration d) {
    const std::uint64_t before = p->funding_settlements();
    const core::SimTime t = rig.now + d;
    const std::int64_t dt = (t - last_sample).count_us();
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      const i128 idx = oracle(m);
      const i128 mid_m = std::clamp(mid(m), i128{0}, 2 * idx);
      premium_acc[m] += mul_div(mid_m - idx, kWadUnit, idx, Round::down) * dt;
    }
    premium_us += dt;
    last_sample = t;
    rig.advance(d, *p);
    if (p->funding_settlements() == before) return false;
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      expected_rate[m] = premium_acc[m] / premium_us / 8 + cfg.funding_interest_wad;
      if (expected_rate[m] != cfg.funding_interest_wad) ++premium_settlements;
      premium_acc[m] = 0;
    }
    premium_us = 0;
    return true;
  }
};

struct Frozen {  // everything a revert must leave untouched
  std::map<AccountId, PerpsAccount> accounts;
  std::vector<OpenInterest> oi;
  Amount house, fund, socialised;
  std::vector<MarketBook> books;
  std::uint64_t next_order_id = 0;
  bool operator==(const Frozen&) const = default;
};
Frozen freeze(const Perps& p) {
  std::vector<MarketBook> books;
  for (std::size_t m = 0; m < kMarkets.size(); ++m) books.push_back(p.book(m));
  return {p.accounts(), p.open_interest(), p.house_q(), p.insurance_fund(), p.socialised_loss(), books,
          p.next_order_id()};
}

// The resting size of order `id` in `book` (0 if gone).
i128 resting(const std::vector<RestingOrder>& book, std::uint64_t id) {
  for (const RestingOrder& o : book) {
    if (o.id == id) return o.size_wad;
  }
  return 0;
}

TEST(PerpsProperty, RandomOperationsKeepEveryInvariant) {
  World w;
  Perps& p = *w.p;
  int ok_ops = 0, liquidations = 0, fundings = 0, increases = 0, reduces = 0;
  int placed = 0, cancelled = 0, matched_trades = 0, exact_matches = 0;
  w.block(Duration::s(1));  // the first block mints the initial insurance fund
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
    bool settled = false;
    i128 order_price = 0;
    if (dice < 10) {
      op = "deposit";
      args = {{"amount", w.decimal(0, 30'000, w.rng.uniform_index(7))}};
    } else if (dice < 18) {
      op = "withdraw";
      const MarginResult m = p.margin(*w.rig.host, w.rig.account(who));
      const double free = m.totals.free_collateral() / 1e6;
      args = {{"amount", w.rng.bernoulli(0.3) && free > 0 ? Amount::units(m.totals.free_collateral()).str(6)
                                                          : w.decimal(0, 20'000, 6)}};
    } else if (dice < 30) {
      op = "place_order";
      market = w.rng.uniform_index(kMarkets.size());
      const double notional = w.rng.uniform(100, 60'000);
      const std::string text = w.decimal(notional / w.price[market] * -1, notional / w.price[market], 8);
      const std::string price = w.decimal(w.price[market] * 0.99, w.price[market] * 1.01, 2);
      args = {{"market", kMarkets[market]}, {"size", text}, {"price", price}};
      size = Amount::parse(text, 18)->raw();
      order_price = Amount::parse(price, 18)->raw();
    } else if (dice < 36) {
      op = "cancel_order";
      std::vector<RestingOrder> all;
      for (std::size_t m = 0; m < kMarkets.size(); ++m) all.insert(all.end(), p.orders(m).begin(), p.orders(m).end());
      if (!all.empty() && w.rng.bernoulli(0.8)) {  // mostly a resting order, mostly by its owner
        const RestingOrder& o = all[w.rng.uniform_index(all.size())];
        args = {{"id", std::to_string(o.id)}};
        if (w.rng.bernoulli(0.8)) who = w.rig.registry.account_name(o.account);
      } else {
        args = {{"id", std::to_string(1 + w.rng.uniform_index(p.next_order_id() + 1))}};
      }
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
      settled = w.block(Duration::min(static_cast<std::int64_t>(1 + w.rng.uniform_index(45))));
      is_block = true;
    } else if (dice < 93) {
      op = "fund_insurance";
      args = {{"amount", w.decimal(0, 50, 2)}};
      who = "keeper";
    } else {
      // Malformed input: every one must revert cleanly.
      switch (w.rng.uniform_index(9)) {
        case 0: op = "swap"; break;
        case 1: op = "deposit"; args = {{"amount", "12abc"}}; break;
        case 2: op = "trade"; args = {{"market", "DOGE-PERP"}, {"size", "1"}}; break;
        case 3: op = "trade"; args = {{"market", "BTC-PERP"}}; break;
        case 4: op = "withdraw"; args = {{"amount", "-3"}}; break;
        case 5: op = "place_order"; args = {{"market", "BTC-PERP"}, {"size", "1"}, {"price", "0"}}; break;
        case 6: op = "place_order"; args = {{"market", "ETH-PERP"}, {"size", "0"}, {"price", "2000"}}; break;
        case 7: op = "cancel_order"; args = {{"id", "x1"}}; break;
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
    // The book: price then id, no empty order, every owner has an account; ids below the counter.
    for (std::size_t m = 0; m < kMarkets.size(); ++m) {
      const auto& book = p.orders(m);
      for (std::size_t i = 0; i < book.size(); ++i) {
        ASSERT_NE(book[i].size_wad, 0) << where;
        ASSERT_GT(book[i].price_wad, 0) << where;
        ASSERT_LT(book[i].id, p.next_order_id()) << where;
        ASSERT_NE(p.find_account(book[i].account), nullptr) << where;
        if (i > 0) {
          const bool sorted = book[i - 1].price_wad < book[i].price_wad ||
                              (book[i - 1].price_wad == book[i].price_wad && book[i - 1].id < book[i].id);
          ASSERT_TRUE(sorted) << where;
        }
      }
    }
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
        ASSERT_EQ(freeze(p).accounts, before.accounts) << where;
        ASSERT_EQ(p.house_q(), before.house) << where;
        continue;
      }
      ASSERT_TRUE(settled) << where;
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
          const i128 rate = w.expected_rate[m];
          ASSERT_EQ(p.book(m).last_rate_wad, rate) << where;
          if (rate == 0) continue;
          const bool pays = (s > 0) == (rate > 0);
          const Round rr = pays ? Round::up : Round::down;
          const i128 n2 = mul_div(s < 0 ? -s : s, w.oracle(m), kScale, rr);
          const i128 pay = mul_div(n2, rate < 0 ? -rate : rate, kWadUnit, rr);
          (void)r;
          (void)n;
          delta += pays ? -pay : pay;
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
    if (op == "cancel_order") {
      ++cancelled;
      const std::uint64_t id = std::stoull(args[0].value);
      for (std::size_t m = 0; m < kMarkets.size(); ++m) {
        for (const RestingOrder& o : before.books[m].orders) {
          if (o.id == id) {
            ASSERT_EQ(o.account, w.rig.account(who)) << where;
          }
        }
        ASSERT_EQ(resting(p.orders(m), id), 0) << where;
      }
      ASSERT_TRUE(freeze(p).accounts == before.accounts) << where;
      continue;
    }
    const AccountId id = w.rig.account(op == "liquidate" ? args[0].value : who);
    const PerpsAccount& now = *p.find_account(id);
    const auto old_it = before.accounts.find(id);
    const PerpsAccount old = old_it == before.accounts.end()
                                 ? PerpsAccount{Amount{}, std::vector<i128>(kMarkets.size(), 0)}
                                 : old_it->second;
    if (op == "place_order") {
      ++placed;
      ASSERT_EQ(p.next_order_id(), before.next_order_id + 1) << where;
      ASSERT_EQ(resting(p.orders(market), before.next_order_id), size) << where;
      ASSERT_TRUE(freeze(p).accounts.at(id) == old || old_it == before.accounts.end()) << where;
      const i128 s0 = old.size_wad[market], s1 = s0 + size;
      const bool increased = s1 != 0 && (s0 == 0 || (s0 > 0) != (s1 > 0) || (s1 < 0 ? -s1 : s1) > (s0 < 0 ? -s0 : s0));
      if (increased) {  // margin as if the whole order filled at its price
        PerpsAccount filled = old;
        filled.q += Amount::units(value_floor(-size, order_price));
        filled.size_wad[market] = s1;
        const Expected e = w.expected(filled);
        ASSERT_GE(e.equity, e.imr) << where;
      }
      continue;
    }
    if (op == "trade") {
      const i128 s0 = old.size_wad[market], s1 = now.size_wad[market];
      ASSERT_EQ(s1, s0 + size) << where;
      const i128 mark = w.oracle(market);
      const i128 markup = mul_div(mark, w.cfg.spread_wad, kWadUnit, Round::up);
      const i128 exec = size > 0 ? mark + markup : mark - markup;
      const auto& book0 = before.books[market].orders;
      const auto& book1 = p.orders(market);
      std::optional<i128> limit;
      if (args.size() == 3) limit = Amount::parse(args[2].value, 18)->raw();
      // The book only loses (parts of) opposite orders of other accounts, within the limit.
      std::map<AccountId, i128> consumed;  // taker-signed size taken off each maker's orders
      std::map<AccountId, i128> consumed_cash;  // the makers' cash, if all of it filled
      i128 taken = 0, taker_cash = 0;
      std::optional<i128> worst;
      for (const RestingOrder& o : book0) {
        const i128 left = resting(book1, o.id);
        if (left == o.size_wad) continue;
        ASSERT_NE(o.account, id) << where;
        ASSERT_EQ(o.size_wad > 0, size < 0) << where;
        if (limit) {
          ASSERT_TRUE(size > 0 ? o.price_wad <= *limit : o.price_wad >= *limit) << where;
        }
        const i128 fill = left - o.size_wad;  // taker-signed
        consumed[o.account] += fill;
        consumed_cash[o.account] += value_floor(fill, o.price_wad);
        taker_cash += value_floor(-fill, o.price_wad);
        taken += fill;
        if (!worst || (size > 0 ? o.price_wad > *worst : o.price_wad < *worst)) worst = o.price_wad;
      }
      for (const RestingOrder& o : book1) ASSERT_NE(resting(book0, o.id), 0) << where;  // nothing new
      // Price priority: what still rests on the other side is no better than the worst taken.
      for (const RestingOrder& o : book1) {
        if (o.account == id || (o.size_wad > 0) != (size < 0) || !worst) continue;
        ASSERT_TRUE(size > 0 ? o.price_wad >= *worst : o.price_wad <= *worst) << where;
      }
      // Makers: positions move by exactly what they sold or bought; when nothing was dropped
      // for lack of margin, each fill is at the order's price.
      bool dropped = false;
      for (const auto& [maker, fill] : consumed) {
        const i128 ms0 = before.accounts.at(maker).size_wad[market];
        const i128 ms1 = p.find_account(maker)->size_wad[market];
        const i128 moved = ms0 - ms1;  // taker-signed
        ASSERT_TRUE(size > 0 ? (moved >= 0 && moved <= fill) : (moved <= 0 && moved >= fill)) << where;
        if (moved != fill) {
          dropped = true;
          continue;
        }
        ASSERT_EQ((p.find_account(maker)->q - before.accounts.at(maker).q).raw(), consumed_cash[maker]) << where;
        const bool up = ms1 != 0 && (ms0 == 0 || (ms0 > 0) != (ms1 > 0) || (ms1 < 0 ? -ms1 : ms1) > (ms0 < 0 ? -ms0 : ms0));
        if (up) {
          const Expected e = w.expected(*p.find_account(maker));
          ASSERT_GE(e.equity, e.imr) << where;
        }
      }
      for (const auto& [acc_id, a] : p.accounts()) {  // nobody else moved
        if (acc_id == id || consumed.count(acc_id)) continue;
        ASSERT_TRUE(before.accounts.count(acc_id) == 0 || before.accounts.at(acc_id) == a) << where;
      }
      if (!consumed.empty()) ++matched_trades;
      if (!dropped) {
        if (!consumed.empty()) ++exact_matches;
        const i128 rest = size - taken;
        if (rest != 0) {
          if (limit) {
            ASSERT_TRUE(size > 0 ? exec <= *limit : exec >= *limit) << where;
          }
          taker_cash += value_floor(-rest, exec);
          ASSERT_EQ(*p.last_trade_price(market), exec) << where;
        } else {
          ASSERT_EQ(*p.last_trade_price(market), *worst) << where;
        }
        // Cash at the orders' prices, the rest at the oracle price +/- spread, rounded against
        // the trader.
        ASSERT_EQ((now.q - old.q).raw(), taker_cash) << where;
        if (consumed.empty()) {
          ASSERT_EQ((p.house_q() - before.house).raw(), -(now.q - old.q).raw()) << where;
        }
      }
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
      for (std::size_t m = 0; m < kMarkets.size(); ++m) {
        for (const RestingOrder& o : p.orders(m)) ASSERT_NE(o.account, id) << where;  // orders cancelled
      }
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
  EXPECT_GT(placed, 200);
  EXPECT_GT(cancelled, 20);
  EXPECT_GT(matched_trades, 100);
  EXPECT_GT(exact_matches, 50);
  EXPECT_GT(w.premium_settlements, 20);
  std::printf("perps property: %d ok ops, %d increases, %d reduces, %d liquidations, %d fundings, "
              "%d orders placed, %d cancelled, %d matched trades (%d exact), socialised %s, fund %s\n",
              ok_ops, increases, reduces, liquidations, fundings, placed, cancelled, matched_trades,
              exact_matches, p.socialised_loss().str(6).c_str(),
              p.insurance_fund().str(6).c_str());
}

}  // namespace
}  // namespace shardsim::protocols::perps
