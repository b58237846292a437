// Tests the virtual AMM that gives perps markets finite depth: the spec's worked example (exact),
// price impact monotone in size, a round trip never gaining (and losing with a spread), rounding
// against the taker, k never falling; and the perps exchange trading on it: cash and average price
// reported exactly, impact that moves the perp mid, the limit price on the vAMM's average, the
// re-peg at an oracle update, a size beyond the depth reverting, conservation.
#include "protocols/api/vamm.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/perps/perps.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols {
namespace {

constexpr i128 kEth = kWadUnit;
constexpr int kUsdc = 6;

// k = base * quote, compared without overflow: k after >= k before.
bool k_not_below(const VammState& after, const VammState& before) {
  // after.quote >= before.quote * before.base / after.base (exact rational comparison, rounded up)
  return after.quote_wad >= mul_div(before.quote_wad, before.base_wad, after.base_wad, Round::up);
}

TEST(Vamm, SpecWorkedExampleIsExact) {
  const VammState s{1000 * kEth, 2'000'000 * kEth};
  const auto t = vamm_trade(s, 10 * kEth);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->after.base_wad, 990 * kEth);
  // 2e9 / 990 = 2,020,202.0202..., the last wei rounded up.
  EXPECT_EQ(t->after.quote_wad, i128{2'020'202} * kWadUnit + 20'202'020'202'020'203);
  EXPECT_EQ(t->quote_delta_wad, t->after.quote_wad - s.quote_wad);
  // The trader pays 20,202.020203 USDC (rounded up), average 2,020.2020203.
  const i128 cash = vamm_cash_units(t->quote_delta_wad, 0, kUsdc);
  EXPECT_EQ(cash, -20'202'020'203);
  EXPECT_EQ(vamm_avg_price_wad(cash, 10 * kEth, kUsdc), i128{2020'2020203} * 100'000'000'000);
  // The mark moves to 2,040.6081... (2,040.61).
  EXPECT_EQ(vamm_price_wad(t->after) / (kWadUnit / 10'000), 20'406'081);
}

TEST(Vamm, PeggedAtThePriceWithItsDepth) {
  const VammState s = vamm_pegged(2000 * kEth, 20'000'000 * kEth);
  EXPECT_EQ(s.quote_wad, 20'000'000 * kEth);
  EXPECT_EQ(s.base_wad, 10'000 * kEth);
  EXPECT_EQ(vamm_price_wad(s), 2000 * kEth);
  const VammState odd = vamm_pegged(3 * kEth, 10 * kEth);  // base rounds down: the price rounds up
  EXPECT_GE(vamm_price_wad(odd), 3 * kEth);
}

TEST(Vamm, ImpactIsMonotoneInSize) {
  const VammState s = vamm_pegged(2000 * kEth, 20'000'000 * kEth);
  i128 last_buy = 0, last_sell = 2000 * kEth * 2;
  for (const i128 size : {kEth / 1000, kEth, 10 * kEth, 100 * kEth, 1000 * kEth, 5000 * kEth}) {
    const auto buy = vamm_trade(s, size);
    const auto sell = vamm_trade(s, -size);
    ASSERT_TRUE(buy && sell);
    const i128 buy_avg = vamm_avg_price_wad(vamm_cash_units(buy->quote_delta_wad, 0, kUsdc), size, kUsdc);
    const i128 sell_avg = vamm_avg_price_wad(vamm_cash_units(sell->quote_delta_wad, 0, kUsdc), -size, kUsdc);
    EXPECT_GE(buy_avg, 2000 * kEth);
    EXPECT_LE(sell_avg, 2000 * kEth);
    EXPECT_GT(buy_avg, last_buy) << "size " << static_cast<double>(size);
    EXPECT_LT(sell_avg, last_sell);
    last_buy = buy_avg;
    last_sell = sell_avg;
  }
}

TEST(Vamm, RoundTripNeverGainsAndLosesWithASpread) {
  const VammState s = vamm_pegged(1999'123456789 * (kEth / 1'000'000'000), 7'777'777 * kEth);
  for (const i128 size : {i128{12345}, kEth / 7, 3 * kEth + 1, 250 * kEth, -kEth / 3, -400 * kEth}) {
    for (const i128 spread : {i128{0}, kWadUnit / 1000}) {
      const auto there = vamm_trade(s, size);
      ASSERT_TRUE(there);
      const auto back = vamm_trade(there->after, -size);
      ASSERT_TRUE(back);
      const i128 net = vamm_cash_units(there->quote_delta_wad, spread, kUsdc) +
                       vamm_cash_units(back->quote_delta_wad, spread, kUsdc);
      EXPECT_LE(net, 0) << static_cast<double>(size);
      if (spread > 0 && (size > kEth || size < -kEth)) EXPECT_LT(net, 0);
      EXPECT_EQ(back->after.base_wad, s.base_wad);
      EXPECT_GE(back->after.quote_wad, s.quote_wad);  // the house keeps the rounding
    }
  }
}

TEST(Vamm, RoundsAgainstTheTakerAndKNeverFalls) {
  const VammState s{333 * kEth + 7, 1'000'001 * kEth + 13};
  for (const i128 size : {i128{1}, kEth / 3, 17 * kEth, i128{-1}, -kEth / 3, -17 * kEth}) {
    const auto t = vamm_trade(s, size);
    ASSERT_TRUE(t);
    EXPECT_TRUE(k_not_below(t->after, s));
    // The quote reserve is the smallest that keeps k: one wei less would lower it.
    EXPECT_LT(t->after.quote_wad - 1, mul_div(s.quote_wad, s.base_wad, t->after.base_wad, Round::up));
    const i128 cash = vamm_cash_units(t->quote_delta_wad, 0, kUsdc);
    const i128 unit = pow10(18 - kUsdc);
    if (size > 0) {
      EXPECT_GE(-cash * unit, t->quote_delta_wad);  // a buyer pays at least the cost
      EXPECT_LT(-cash * unit - unit, t->quote_delta_wad);
    } else {
      EXPECT_LE(cash * unit, -t->quote_delta_wad);  // a seller gets at most the proceeds
      EXPECT_GT(cash * unit + unit, -t->quote_delta_wad);
    }
  }
  // A spread costs a buyer more and pays a seller less.
  EXPECT_LT(vamm_cash_units(1000 * kEth, kWadUnit / 100, kUsdc), vamm_cash_units(1000 * kEth, 0, kUsdc));
  EXPECT_EQ(vamm_cash_units(1000 * kEth, kWadUnit / 100, kUsdc), -1010'000'000);
  EXPECT_EQ(vamm_cash_units(-1000 * kEth, kWadUnit / 100, kUsdc), 990'000'000);
}

TEST(Vamm, CannotBuyTheWholeBase) {
  const VammState s{10 * kEth, 20'000 * kEth};
  EXPECT_FALSE(vamm_trade(s, 10 * kEth).has_value());
  EXPECT_FALSE(vamm_trade(s, 11 * kEth).has_value());
  EXPECT_TRUE(vamm_trade(s, 9 * kEth).has_value());
  EXPECT_THROW((void)vamm_trade(s, 10 * kEth - 1), ArithmeticError);  // a quote reserve beyond 128 bits
  EXPECT_TRUE(vamm_trade(s, -1000 * kEth).has_value());
}

// ---- the exchange with finite depth ----------------------------------------------------------

using testing::ProtocolRig;

struct DeepPerp {
  ProtocolRig rig{{{"USDC", 6}, {"ETH", 18}}};
  std::unique_ptr<perps::Perps> p;

  explicit DeepPerp(i128 spread = 0) {
    perps::PerpsConfig c;
    c.collateral = rig.asset("USDC");
    perps::MarketConfig mk{"ETH-PERP", rig.asset("ETH")};
    mk.vamm_depth_wad = 20'000'000 * kEth;
    c.markets = {mk};
    c.spread_wad = spread;
    p = std::make_unique<perps::Perps>("dydx", rig.account("dydx"), c, rig.registry);
    rig.set_price("ETH", 2'000);
  }
  OpResult deposit(const std::string& who, const std::string& amount) {
    rig.fund(who, "USDC", amount);
    return rig.apply(*p, who, "deposit", {{"amount", amount}});
  }
  OpResult trade(const std::string& who, const std::string& size, const std::string& limit = "") {
    std::vector<TxArg> args{{"market", "ETH-PERP"}, {"size", size}};
    if (!limit.empty()) args.push_back({"limit_price", limit});
    return rig.apply(*p, who, "trade", args);
  }
  i128 q(const std::string& who) { return p->find_account(rig.account(who))->q.raw(); }
  void expect_backed() {
    i128 claims = p->house_q().raw() + p->insurance_fund().raw();
    for (const auto& [id, a] : p->accounts()) claims += a.q.raw();
    EXPECT_EQ(claims, rig.ledger->balance(p->account(), rig.asset("USDC")).raw());
    rig.expect_conserved();
  }
};

i128 output(const OpResult& r, std::string_view key) {
  const TxOutput* o = find_output(r.outputs, key);
  EXPECT_NE(o, nullptr) << key;
  return o == nullptr ? 0 : o->raw;
}

TEST(PerpsDepth, TradesOnTheVammAndReportTheRealAverage) {
  DeepPerp t(kWadUnit / 2000);  // 0.05% spread on top
  ASSERT_TRUE(t.deposit("alice", "1000000").ok);
  const VammState before = t.p->vamm(*t.rig.host, 0)->state;
  const OpResult r = t.trade("alice", "100");
  ASSERT_TRUE(r.ok) << r.reason;
  const auto expected = vamm_trade(before, 100 * kEth);
  const i128 cash = vamm_cash_units(expected->quote_delta_wad, kWadUnit / 2000, kUsdc);
  EXPECT_EQ(t.q("alice"), t.rig.amount("USDC", "1000000").raw() + cash);
  EXPECT_EQ(output(r, "avg_price"), vamm_avg_price_wad(cash, 100 * kEth, kUsdc));
  EXPECT_GT(output(r, "avg_price"), 2000 * kEth);
  EXPECT_EQ(output(r, "vamm_size"), 100 * kEth);
  EXPECT_EQ(output(r, "vamm_quote"), expected->quote_delta_wad);
  EXPECT_EQ(output(r, "mark"), 2000 * kEth);
  EXPECT_EQ(t.p->vamm(*t.rig.host, 0)->state, expected->after);
  // The perp trades above the index now: the next identical buy pays more, the premium is positive.
  EXPECT_GT(*t.p->premium_wad(*t.rig.host, 0), 0);
  const OpResult again = t.trade("alice", "100");
  ASSERT_TRUE(again.ok);
  EXPECT_GT(output(again, "avg_price"), output(r, "avg_price"));
  t.expect_backed();
  const auto s = t.p->state(*t.rig.host);
  EXPECT_EQ(s["markets"]["ETH-PERP"]["vamm"]["depth"], "20000000");
  EXPECT_EQ(s["markets"]["ETH-PERP"]["vamm"]["repegs"], 1u);
}

TEST(PerpsDepth, LimitPriceBoundsTheVammAverage) {
  DeepPerp t;
  ASSERT_TRUE(t.deposit("alice", "1000000").ok);
  // 1000 ETH on 10,000 ETH of base: average about 2,222; the mark is 2,000.
  EXPECT_EQ(t.trade("alice", "1000", "2100").reason, "price beyond limit");
  EXPECT_EQ(t.trade("alice", "-1000", "1900").reason, "price beyond limit");
  EXPECT_TRUE(t.trade("alice", "1000", "2300").ok);
  EXPECT_EQ(t.trade("alice", "20000").reason, "size beyond the vAMM's depth");
  t.expect_backed();
}

TEST(PerpsDepth, RepegsToTheIndexAtAnOracleUpdate) {
  DeepPerp t;
  ASSERT_TRUE(t.deposit("alice", "1000000").ok);
  ASSERT_TRUE(t.trade("alice", "200").ok);
  EXPECT_GT(vamm_price_wad(t.p->vamm(*t.rig.host, 0)->state), 2000 * kEth);
  const std::uint64_t pegs = t.p->vamm(*t.rig.host, 0)->repegs;
  t.rig.set_price("ETH", 2'100);
  const PerpsVamm v = *t.p->vamm(*t.rig.host, 0);
  EXPECT_EQ(v.repegs, pegs + 1);
  EXPECT_EQ(v.pegged_index_wad, 2100 * kEth);
  EXPECT_EQ(v.state, vamm_pegged(2100 * kEth, 20'000'000 * kEth));
  EXPECT_EQ(*t.p->premium_wad(*t.rig.host, 0), 0);
  // The next trade commits the peg and walks the curve from it.
  const OpResult r = t.trade("alice", "-200");
  ASSERT_TRUE(r.ok);
  EXPECT_LT(output(r, "avg_price"), 2100 * kEth);
  EXPECT_GT(output(r, "avg_price"), 2000 * kEth);
  EXPECT_EQ(t.p->book(0).vamm_repegs, pegs + 1);
  t.expect_backed();
}

}  // namespace
}  // namespace shardsim::protocols
