// Tests the perps order book: resting orders filled by trades at the order's price (both sides'
// Q and positions exact), partial fills with the remainder against the house, limit prices,
// price-time priority, cancel rules, the margin check on placing and at fill time, the funding
// premium from the perp mid, and the spec's worked example against another trader.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocols/perps/perps.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::perps {
namespace {

using core::Amount;
using core::Duration;
using testing::ProtocolRig;

struct Perp {
  ProtocolRig rig;
  std::unique_ptr<Perps> p;

  explicit Perp(const std::function<void(PerpsConfig&)>& tweak = {}) : rig({{"USDC", 6}, {"BTC", 8}, {"ETH", 18}}) {
    PerpsConfig c;
    c.collateral = rig.asset("USDC");
    c.markets = {MarketConfig{"BTC-PERP", rig.asset("BTC")}, MarketConfig{"ETH-PERP", rig.asset("ETH")}};
    if (tweak) tweak(c);
    p = std::make_unique<Perps>("dydx", rig.account("dydx"), c, rig.registry);
    rig.set_price("BTC", 50'000);
    rig.set_price("ETH", 2'000);
  }
  OpResult op(const std::string& who, const std::string& name, std::vector<TxArg> args) {
    return rig.apply(*p, who, name, args);
  }
  OpResult deposit(const std::string& who, const std::string& amount) {
    rig.fund(who, "USDC", amount);
    return op(who, "deposit", {{"amount", amount}});
  }
  OpResult trade(const std::string& who, const std::string& size, const std::string& limit = "") {
    std::vector<TxArg> args = {{"market", "BTC-PERP"}, {"size", size}};
    if (!limit.empty()) args.push_back({"limit_price", limit});
    return op(who, "trade", args);
  }
  OpResult place(const std::string& who, const std::string& size, const std::string& price) {
    return op(who, "place_order", {{"market", "BTC-PERP"}, {"size", size}, {"price", price}});
  }
  OpResult cancel(const std::string& who, std::uint64_t id) {
    return op(who, "cancel_order", {{"id", std::to_string(id)}});
  }
  i128 usdc(const std::string& text) const { return rig.amount("USDC", text).raw(); }
  static i128 wad(const std::string& text) { return Amount::parse(text, 18)->raw(); }
  i128 q(const std::string& who) { return p->find_account(rig.account(who))->q.raw(); }
  i128 size(const std::string& who) { return p->find_account(rig.account(who))->size_wad[0]; }
  MarginTotals margin(const std::string& who) { return p->margin(*rig.host, rig.account(who)).totals; }
  // The BTC-PERP book as (id, size) pairs, in book order.
  std::vector<std::pair<std::uint64_t, i128>> book() const {
    std::vector<std::pair<std::uint64_t, i128>> out;
    for (const RestingOrder& o : p->orders(0)) out.emplace_back(o.id, o.size_wad);
    return out;
  }
  void expect_backed() {
    i128 claims = p->house_q().raw() + p->insurance_fund().raw();
    for (const auto& [id, a] : p->accounts()) claims += a.q.raw();
    EXPECT_EQ(claims, rig.ledger->balance(p->account(), rig.asset("USDC")).raw());
    for (std::size_t m = 0; m < 2; ++m) {
      i128 net = 0;
      for (const auto& [id, a] : p->accounts()) net += a.size_wad[m];
      EXPECT_EQ(p->house_size_wad(m), -net);
    }
    rig.expect_conserved();
  }
};

TEST(PerpsOrders, RestingAskFilledByMarketBuyAtTheAskPrice) {
  Perp t;
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.place("bob", "-1", "50100").ok);
  EXPECT_EQ(t.p->next_order_id(), 2u);
  EXPECT_EQ(t.book(), (std::vector<std::pair<std::uint64_t, i128>>{{1, -kWadUnit}}));
  EXPECT_EQ(t.q("bob"), t.usdc("10000"));  // resting changes nothing yet
  EXPECT_EQ(t.size("bob"), 0);

  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "1").ok);
  EXPECT_EQ(t.q("alice"), t.usdc("-40100"));
  EXPECT_EQ(t.size("alice"), kWadUnit);
  EXPECT_EQ(t.q("bob"), t.usdc("60100"));
  EXPECT_EQ(t.size("bob"), -kWadUnit);
  EXPECT_EQ(t.p->house_q().raw(), 0);  // the house took no part
  EXPECT_EQ(t.p->house_size_wad(0), 0);
  EXPECT_EQ(t.p->open_interest()[0], (OpenInterest{kWadUnit, kWadUnit}));
  EXPECT_TRUE(t.book().empty());
  EXPECT_EQ(t.p->last_trade_price(0), t.wad("50100"));
  t.expect_backed();
}

TEST(PerpsOrders, WorkedExampleAgainstAnotherTraderIsExact) {
  Perp t;
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.place("bob", "-2", "50000").ok);
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "2").ok);
  EXPECT_EQ(t.q("alice"), t.usdc("-90000"));
  const MarginTotals m = t.margin("alice");
  EXPECT_EQ(m.equity, t.usdc("10000"));
  EXPECT_EQ(m.imr, t.usdc("5000"));
  EXPECT_EQ(m.mmr, t.usdc("3000"));
  EXPECT_EQ(m.free_collateral(), t.usdc("5000"));
  EXPECT_EQ(t.q("bob"), t.usdc("110000"));
  EXPECT_EQ(t.margin("bob").equity, t.usdc("10000"));
  EXPECT_EQ(t.p->house_q().raw(), 0);
  EXPECT_EQ(t.p->house_size_wad(0), 0);
  t.expect_backed();
}

TEST(PerpsOrders, PartialFillThenRemainderAgainstTheHouse) {
  Perp t([](PerpsConfig& c) { c.spread_wad = kWadUnit / 1000; });  // house buys at 50,050
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.place("bob", "-0.5", "50020").ok);
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "2").ok);
  // 0.5 at 50,020 = 25,010 from bob, 1.5 at 50,050 = 75,075 from the house.
  EXPECT_EQ(t.q("alice"), t.usdc("-90085"));
  EXPECT_EQ(t.size("alice"), 2 * kWadUnit);
  EXPECT_EQ(t.q("bob"), t.usdc("35010"));
  EXPECT_EQ(t.size("bob"), -kWadUnit / 2);
  EXPECT_EQ(t.p->house_q().raw(), t.usdc("75075"));
  EXPECT_EQ(t.p->house_size_wad(0), -kWadUnit * 3 / 2);
  EXPECT_TRUE(t.book().empty());
  EXPECT_EQ(t.p->last_trade_price(0), t.wad("50050"));

  // A resting order bigger than the trade: partly filled, the rest keeps its place.
  ASSERT_TRUE(t.place("bob", "-1", "50030").ok);  // id 2
  ASSERT_TRUE(t.trade("alice", "-0.1").ok);        // a sell: the ask is on the same side, the house buys
  ASSERT_TRUE(t.trade("alice", "0.25").ok);
  EXPECT_EQ(t.book(), (std::vector<std::pair<std::uint64_t, i128>>{{2, -kWadUnit * 3 / 4}}));
  EXPECT_EQ(t.size("bob"), -kWadUnit * 3 / 4);
  t.expect_backed();
}

TEST(PerpsOrders, LimitPriceIsRespected) {
  Perp t([](PerpsConfig& c) { c.spread_wad = kWadUnit / 200; });  // house at 50,250 / 49,750
  for (const char* who : {"alice", "bob", "carol", "dave"}) ASSERT_TRUE(t.deposit(who, "20000").ok);
  ASSERT_TRUE(t.place("bob", "-1", "50200").ok);    // id 1
  ASSERT_TRUE(t.place("carol", "-1", "50100").ok);  // id 2
  // 1.5 within 50,150: carol's 1 fits, the remaining 0.5 would cost 50,250 at the house: revert,
  // and nothing changes (carol's order still rests).
  EXPECT_EQ(t.trade("alice", "1.5", "50150").reason, "price beyond limit");
  EXPECT_EQ(t.book().size(), 2u);
  EXPECT_EQ(t.p->find_account(t.rig.account("alice"))->size_wad[0], 0);
  ASSERT_TRUE(t.trade("alice", "1", "50150").ok);  // carol's order only; bob's 50,200 is beyond
  EXPECT_EQ(t.q("alice"), t.usdc("-30100"));
  EXPECT_EQ(t.size("carol"), -kWadUnit);
  EXPECT_EQ(t.size("bob"), 0);
  EXPECT_EQ(t.book(), (std::vector<std::pair<std::uint64_t, i128>>{{1, -kWadUnit}}));
  // Sells: a bid below the limit is not taken, and the house's 49,750 is beyond it too.
  ASSERT_TRUE(t.place("dave", "1", "49900").ok);  // id 3
  EXPECT_EQ(t.trade("alice", "-0.5", "49950").reason, "price beyond limit");
  ASSERT_TRUE(t.trade("alice", "-0.5", "49900").ok);
  EXPECT_EQ(t.size("dave"), kWadUnit / 2);
  EXPECT_EQ(t.q("alice"), t.usdc("-30100") + t.usdc("24950"));
  // Without a limit every resting order on the other side is eligible.
  ASSERT_TRUE(t.trade("alice", "1").ok);
  EXPECT_EQ(t.size("bob"), -kWadUnit);
  t.expect_backed();
}

TEST(PerpsOrders, PriceTimePriority) {
  Perp t;
  for (const char* who : {"alice", "bob", "carol", "dave", "erin", "frank", "gina"}) {
    ASSERT_TRUE(t.deposit(who, "20000").ok);
  }
  ASSERT_TRUE(t.place("bob", "-1", "50100").ok);    // id 1
  ASSERT_TRUE(t.place("carol", "-1", "50100").ok);  // id 2: same price, younger
  ASSERT_TRUE(t.place("dave", "-1", "50050").ok);   // id 3: best price
  EXPECT_EQ(t.book(), (std::vector<std::pair<std::uint64_t, i128>>{{3, -kWadUnit}, {1, -kWadUnit}, {2, -kWadUnit}}));
  ASSERT_TRUE(t.trade("alice", "1.5").ok);
  EXPECT_EQ(t.size("dave"), -kWadUnit);
  EXPECT_EQ(t.size("bob"), -kWadUnit / 2);  // the older of the two at 50,100
  EXPECT_EQ(t.size("carol"), 0);
  EXPECT_EQ(t.q("alice"), t.usdc("20000") - t.usdc("50050") - t.usdc("25050"));
  EXPECT_EQ(t.book(), (std::vector<std::pair<std::uint64_t, i128>>{{1, -kWadUnit / 2}, {2, -kWadUnit}}));

  // Bids: the highest first, then the oldest.
  ASSERT_TRUE(t.place("erin", "1", "49900").ok);   // id 4
  ASSERT_TRUE(t.place("frank", "1", "49950").ok);  // id 5
  ASSERT_TRUE(t.place("gina", "1", "49950").ok);   // id 6
  ASSERT_TRUE(t.trade("alice", "-1.5").ok);
  EXPECT_EQ(t.size("frank"), kWadUnit);
  EXPECT_EQ(t.size("gina"), kWadUnit / 2);
  EXPECT_EQ(t.size("erin"), 0);
  EXPECT_EQ(t.size("alice"), 0);
  EXPECT_EQ(t.p->house_size_wad(0), 0);
  t.expect_backed();
}

TEST(PerpsOrders, OwnOrdersAreNotMatched) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "20000").ok);
  ASSERT_TRUE(t.place("alice", "-1", "49000").ok);
  ASSERT_TRUE(t.trade("alice", "1").ok);  // the house sells at 50,000
  EXPECT_EQ(t.q("alice"), t.usdc("-30000"));
  EXPECT_EQ(t.book().size(), 1u);
  t.expect_backed();
}

TEST(PerpsOrders, CancelOnlyByTheOwner) {
  Perp t;
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.place("bob", "-1", "50100").ok);
  EXPECT_EQ(t.cancel("alice", 1).reason, "not the order's owner");
  EXPECT_EQ(t.book().size(), 1u);
  EXPECT_EQ(t.cancel("bob", 7).reason, "unknown order 7");
  EXPECT_EQ(t.op("bob", "cancel_order", {}).reason, "missing arg id");
  EXPECT_EQ(t.op("bob", "cancel_order", {{"id", "-1"}}).reason, "malformed arg id");
  ASSERT_TRUE(t.cancel("bob", 1).ok);
  EXPECT_TRUE(t.book().empty());
  EXPECT_EQ(t.cancel("bob", 1).reason, "unknown order 1");
  EXPECT_EQ(t.p->find_account(t.rig.account("alice")), nullptr);  // the revert created nothing
  t.expect_backed();
}

TEST(PerpsOrders, PlaceOrderChecksMarginAsIfFilled) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "1000").ok);
  EXPECT_EQ(t.place("alice", "0.41", "50000").reason, "insufficient margin");  // IMR 1,025
  ASSERT_TRUE(t.place("alice", "0.4", "50000").ok);                            // IMR 1,000 == TAV
  // A bid above the mark costs its premium: TAV 1,000 - 11,000 + 10,000 = 0 < IMR 500.
  EXPECT_EQ(t.place("alice", "0.2", "55000").reason, "insufficient margin");
  EXPECT_EQ(t.place("nobody", "-0.01", "50000").reason, "insufficient margin");
  EXPECT_EQ(t.place("alice", "0", "50000").reason, "size must not be zero");
  EXPECT_EQ(t.place("alice", "1", "0").reason, "price must be positive");
  EXPECT_EQ(t.place("alice", "1", "x").reason, "malformed arg price");
  EXPECT_EQ(t.op("alice", "place_order", {{"market", "BTC-PERP"}, {"size", "1"}}).reason, "missing arg price");
  EXPECT_EQ(t.op("alice", "place_order", {{"market", "DOGE-PERP"}, {"size", "1"}, {"price", "1"}}).reason,
            "unknown market DOGE-PERP");
  EXPECT_EQ(t.p->next_order_id(), 2u);  // reverts take no id
  t.expect_backed();
}

TEST(PerpsOrders, MakerThatCannotAffordTheFillIsSkippedNotTheTaker) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "1000").ok);
  ASSERT_TRUE(t.place("alice", "-0.4", "50000").ok);  // IMR 1,000 == TAV at placing
  ASSERT_TRUE(t.place("alice", "-0.1", "50010").ok);
  t.rig.set_price("BTC", 52'000);  // at fill: TAV 21,000 - 20,800 = 200 < IMR 1,040
  // A taker who reverts leaves the orders in place.
  EXPECT_EQ(t.trade("carol", "0.4").reason, "insufficient margin");
  EXPECT_EQ(t.book().size(), 2u);
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  // The 0.4 order is dropped; the 0.1 one is still affordable (TAV 1,000 + 5,001 - 5,200 = 801
  // >= IMR 260) and fills at 50,010; the remaining 0.3 comes from the house at 52,000.
  ASSERT_TRUE(t.trade("bob", "0.4").ok);
  EXPECT_TRUE(t.book().empty());
  EXPECT_EQ(t.q("alice"), t.usdc("6001"));
  EXPECT_EQ(t.size("alice"), -kWadUnit / 10);
  EXPECT_EQ(t.q("bob"), t.usdc("10000") - t.usdc("5001") - t.usdc("15600"));
  EXPECT_EQ(t.size("bob"), kWadUnit * 4 / 10);
  EXPECT_EQ(t.p->house_size_wad(0), -kWadUnit * 3 / 10);
  t.expect_backed();
}

TEST(PerpsOrders, ReducingFillNeedsNoMargin) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "2").ok);
  ASSERT_TRUE(t.place("alice", "-2", "50000").ok);  // a closing order
  t.rig.set_price("BTC", 46'000);                   // TAV 2,000 < IMR 4,600
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.trade("bob", "1").ok);  // fills at 50,000 although alice is under IMR
  EXPECT_EQ(t.size("alice"), kWadUnit);
  EXPECT_EQ(t.q("alice"), t.usdc("-40000"));
  t.expect_backed();
}

TEST(PerpsOrders, LiquidationCancelsTheAccountsOrders) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "2").ok);
  ASSERT_TRUE(t.place("alice", "-1", "60000").ok);
  t.rig.set_price("BTC", 46'000);
  ASSERT_TRUE(t.op("keeper", "liquidate", {{"account", "alice"}}).ok);
  EXPECT_TRUE(t.book().empty());
  t.expect_backed();
}

TEST(PerpsOrders, FundingUsesThePremiumOfTheMid) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.deposit("carol", "10000").ok);
  ASSERT_TRUE(t.deposit("dave", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "1").ok);   // the house at 50,000
  ASSERT_TRUE(t.trade("bob", "-1").ok);
  EXPECT_EQ(t.p->perp_mid(*t.rig.host, 0), t.wad("50000"));  // the last trade price
  ASSERT_TRUE(t.place("carol", "0.1", "50400").ok);
  EXPECT_EQ(t.p->perp_mid(*t.rig.host, 0), t.wad("50000"));  // one side only
  ASSERT_TRUE(t.place("dave", "-0.1", "50600").ok);
  EXPECT_EQ(t.p->perp_mid(*t.rig.host, 0), t.wad("50500"));  // mid above the index: premium 1%
  EXPECT_EQ(t.p->premium_wad(*t.rig.host, 0), kWadUnit / 100);
  EXPECT_EQ(t.p->perp_mid(*t.rig.host, 1), t.wad("2000"));   // ETH: no trades, the index
  const i128 qa = t.q("alice"), qb = t.q("bob"), qh = t.p->house_q().raw();

  t.rig.advance(Duration::min(30), *t.p);
  EXPECT_EQ(t.p->premium_twap_wad(0), kWadUnit / 100);
  EXPECT_EQ(t.p->state(*t.rig.host)["markets"]["BTC-PERP"]["premium_twap"], "0.01");
  t.rig.advance(Duration::min(30), *t.p);
  // R = 1% / 8 + 0.00125% = 0.12625%: 50,000 * 0.0012625 = 63.125, above the base 0.625.
  EXPECT_EQ(t.p->book(0).last_rate_wad, kWadUnit / 800 + kDefaultFundingInterestWad);
  EXPECT_EQ(t.p->book(1).last_rate_wad, kDefaultFundingInterestWad);
  EXPECT_EQ(qa - t.q("alice"), t.usdc("63.125"));
  EXPECT_EQ(t.q("bob") - qb, t.usdc("63.125"));
  EXPECT_EQ(t.p->house_q().raw(), qh);  // balanced: the house pays nothing
  EXPECT_EQ(t.p->premium_twap_wad(0), 0);  // restarted
  EXPECT_EQ(t.p->state(*t.rig.host)["markets"]["BTC-PERP"]["funding_rate"], "0.0012625");
  t.expect_backed();

  // A TWAP of 15 minutes at 1% and 45 at 0% (one side cancelled: the last trade price, 50,000):
  // 0.25%; R = 0.03125% + 0.00125% = 0.0325%, 16.25 per BTC. Only alice is long now: the
  // house takes bob's side.
  ASSERT_TRUE(t.trade("bob", "1", "50000").ok);  // closes at the house, leaving dave's ask alone
  EXPECT_EQ(t.book().size(), 2u);
  const i128 qa2 = t.q("alice"), qh2 = t.p->house_q().raw();
  t.rig.advance(Duration::min(15), *t.p);
  ASSERT_TRUE(t.cancel("dave", 2).ok);
  t.rig.advance(Duration::min(45), *t.p);
  EXPECT_EQ(t.p->book(0).last_rate_wad, kWadUnit / 400 / 8 + kDefaultFundingInterestWad);
  EXPECT_EQ(qa2 - t.q("alice"), t.usdc("16.25"));
  EXPECT_EQ(t.p->house_q().raw() - qh2, t.usdc("16.25"));
  t.expect_backed();
}

TEST(PerpsOrders, MidBelowTheIndexLowersTheRate) {
  Perp t;
  ASSERT_TRUE(t.deposit("alice", "10000").ok);
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.trade("alice", "-1").ok);
  ASSERT_TRUE(t.place("bob", "0.1", "49000").ok);
  ASSERT_TRUE(t.place("bob", "-0.1", "49200").ok);  // mid 49,100: premium -1.8%
  const i128 qa = t.q("alice");
  t.rig.advance(Duration::h(1), *t.p);
  // R = -0.225% + 0.00125% = -0.22375%: shorts pay 50,000 * 0.0022375 = 111.875.
  EXPECT_EQ(t.p->book(0).last_rate_wad, -kWadUnit * 18 / 1000 / 8 + kDefaultFundingInterestWad);
  EXPECT_EQ(qa - t.q("alice"), t.usdc("111.875"));
  t.expect_backed();
}

TEST(PerpsOrders, StateListsTheBook) {
  Perp t;
  ASSERT_TRUE(t.deposit("bob", "10000").ok);
  ASSERT_TRUE(t.place("bob", "-1", "50100").ok);
  ASSERT_TRUE(t.place("bob", "0.5", "49900.5").ok);
  const auto s = t.p->state(*t.rig.host);
  const auto& book = s["orders"]["BTC-PERP"];
  ASSERT_EQ(book.size(), 2u);
  EXPECT_EQ(book[0]["id"], 2);
  EXPECT_EQ(book[0]["account"], "bob");
  EXPECT_EQ(book[0]["size"], "0.5");
  EXPECT_EQ(book[0]["price"], "49900.5");
  EXPECT_EQ(book[1]["id"], 1);
  EXPECT_EQ(book[1]["size"], "-1");
  EXPECT_TRUE(s["orders"]["ETH-PERP"].empty());
  EXPECT_TRUE(s["markets"]["BTC-PERP"]["last_trade_price"].is_null());
  EXPECT_EQ(s["markets"]["BTC-PERP"]["premium_twap"], "0");
}

}  // namespace
}  // namespace shardsim::protocols::perps
