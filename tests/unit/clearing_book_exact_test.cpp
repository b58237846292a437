// Tests that broker/clearing_book posts exact amounts: a worked example whose fees and realised
// P&L are asserted to the last quote unit, the rounding direction (a client never gets the odd
// unit: gains round down, losses and fees up, entries against the holder), a liquidation whose
// fee, seized collateral and waterfall are asserted to the unit, hedge P&L in exact USD WAD, and
// conservation of the ledger (every asset's books sum to 0, custody matches what came in) after
// each step of a run of fills, a liquidation and a default.
#include "broker/clearing_book.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::broker {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0, kBtc = 1, kEth = 2;
constexpr std::size_t kEthPerp = 0, kBtcPerp = 1;     // instruments
constexpr std::size_t kEthVenue = 0, kBtcVenue = 1;   // venues

core::Amount units(std::int64_t u) { return core::Amount::units(u); }
core::Amount usdc(std::int64_t whole) { return units(whole * 1'000'000); }
// A decimal text as a WAD, exactly (literals beyond 64 bits).
i128 wad(std::string_view text) { return core::Amount::parse(text, 18).value().raw(); }

InstrumentDescriptor perp(std::string id, AssetId a) {
  InstrumentDescriptor d{std::move(id), "dydx", {a}, {1.0}, {}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * (a < p.size() ? p[a] : 0.0); };
  return d;
}

class ClearingBookExact : public ::testing::Test {
 protected:
  ClearingBookExact() {
    menu.push_back(perp("dydx.ETH-PERP", kEth));
    menu.push_back(perp("dydx.BTC-PERP", kBtc));
    cfg.name = "pb";
    cfg.margin.scan_range = {{kBtc, 0.10}, {kEth, 0.10}};
    cfg.margin.haircuts = {{"dydx", 0.02}};
    // The defaults, spelled out: 0.02% per order, 1% of a liquidated notional.
    cfg.order_fee_wad = wad("0.0002");
    cfg.liquidation_fee_wad = wad("0.01");
    std::vector<Instrument> instruments = {{&menu[kEthPerp], kEthVenue, std::nullopt},
                                           {&menu[kBtcPerp], kBtcVenue, std::nullopt}};
    std::vector<Venue> venues(2);
    venues[kEthVenue].instrument = "dydx.ETH-PERP";
    venues[kEthVenue].underlying = kEth;
    venues[kBtcVenue].instrument = "dydx.BTC-PERP";
    venues[kBtcVenue].underlying = kBtc;
    book = std::make_unique<ClearingBook>(cfg, std::move(instruments), std::move(venues), kUsdc,
                                          std::vector<int>{6, 8, 18});
    book->set_price(kUsdc, 1.0);
    book->set_price(kBtc, 43'210.98765);
    book->set_price(kEth, 2'000.0);
  }

  std::size_t client(std::int64_t whole_usdc, core::Amount btc = {}) {
    const std::size_t c = book->add_client("c" + std::to_string(book->clients()));
    deposit(c, kUsdc, usdc(whole_usdc));
    if (!btc.is_zero()) deposit(c, kBtc, btc);
    return c;
  }
  void deposit(std::size_t c, AssetId a, core::Amount x) {
    book->deposit(c, a, x);
    came_in[a] += x;
  }
  void open_capital(std::int64_t capital, std::int64_t fund) {
    book->open_capital({{kUsdc, usdc(capital)}}, {{kUsdc, usdc(fund)}});
    came_in[kUsdc] += usdc(capital) + usdc(fund);
  }
  OrderOutcome fill(std::size_t c, std::size_t instrument, i128 qty_wad) {
    const OrderOutcome o = book->order(c, instrument, qty_wad, std::nullopt);
    EXPECT_TRUE(o.filled) << o.reason;
    return o;
  }

  core::Amount balance(Book b, std::uint32_t owner = 0, AssetId a = kUsdc) const { return book->ledger().balance({b, owner, a}); }
  core::Amount claim(Book b, std::uint32_t owner = 0, AssetId a = kUsdc) const { return -balance(b, owner, a); }
  core::Amount client_claim(std::size_t c, AssetId a = kUsdc) const { return claim(Book::client, static_cast<std::uint32_t>(c), a); }

  // Every asset's balances sum to exactly 0 (summed here, not by the ledger's own audit), custody
  // holds exactly what came in, and custody equals the claims on it less the absorbed losses.
  void expect_conserved(const std::string& when) const {
    SCOPED_TRACE(when);
    std::map<AssetId, core::Amount> sums, claims;
    book->ledger().for_each([&](const BrokerLedger::Key& k, core::Amount x) {
      sums[k.asset] += x;
      switch (k.book) {
        case Book::client: case Book::client_fund: case Book::capital: case Book::default_fund: case Book::fees:
        case Book::trading: claims[k.asset] -= x; break;
        default: break;
      }
    });
    for (const auto& [asset, total] : sums) EXPECT_TRUE(total.is_zero()) << "asset " << asset << " sums to " << total.str(0);
    EXPECT_EQ(book->ledger().audit(), std::nullopt);
    for (const AssetId a : {kUsdc, kBtc}) {
      EXPECT_EQ(balance(Book::custody, 0, a), came_in.count(a) ? came_in.at(a) : core::Amount{}) << "asset " << a;
      EXPECT_EQ(balance(Book::custody, 0, a), claims[a] - balance(Book::bad_debt, 0, a) - balance(Book::socialised, 0, a))
          << "asset " << a;
    }
  }

  std::deque<InstrumentDescriptor> menu;
  BrokerConfig cfg;
  std::unique_ptr<ClearingBook> book;
  std::map<AssetId, core::Amount> came_in;  // deposits, capital and fund, per asset
};

// The brief's example. Q = 99.876543210987654321 ETH, bought at 2,000.123456789012345678 (a double:
// quantised once to W = 2,000.123456789012379888) and sold at S = 2,100.5, USDC at 1 (6 decimals).
//   buy fee  = ceil(ceil(ceil(Q*W) * 0.0002) in USDC): Q*W = 199,765.416859297793387739 89... ->
//              199,765.416859297793387740; * 0.0002 = 39.953083371859558677 548 -> ...678 USD ->
//              39,953,084 units (the client pays it rounded up)
//   sell fee = Q*S = 209,790.679014679567901260 5 -> ...261; * 0.0002 = 41.958135802935913580 25...
//              -> ...581 USD -> 41,958,136 units
//   P&L      = floor(Q*(S-W)) = floor(10,025.262155381774513520 608...) = 10,025.262155381774513520
//              USD -> floor -> 10,025,262,155 units (the client receives it rounded down)
TEST_F(ClearingBookExact, WorkedExampleFeeAndRealisedPnlToTheLastUnit) {
  const i128 q = wad("99.876543210987654321");
  const std::size_t a = client(1'000'000);
  book->set_price(kEth, 2'000.123456789012345678);
  ASSERT_TRUE(book->price_wad(kEth) == wad("2000.123456789012379888"));

  const OrderOutcome buy = fill(a, kEthPerp, q);
  EXPECT_TRUE(buy.mark_wad == wad("2000.123456789012379888"));
  EXPECT_EQ(buy.fee, units(39'953'084));
  ASSERT_EQ(book->client(a).positions.size(), 1u);
  EXPECT_TRUE(book->client(a).positions[0].entry_mark_wad == wad("2000.123456789012379888"));
  EXPECT_EQ(client_claim(a), usdc(1'000'000) - units(39'953'084));

  book->set_price(kEth, 2'100.5);
  const OrderOutcome sell = fill(a, kEthPerp, -q);
  EXPECT_EQ(sell.fee, units(41'958'136));
  EXPECT_TRUE(book->client(a).positions.empty());
  EXPECT_EQ(claim(Book::trading), units(-10'025'262'155));  // the house paid the gain
  EXPECT_EQ(claim(Book::fees), units(39'953'084 + 41'958'136));
  EXPECT_EQ(client_claim(a), usdc(1'000'000) - units(39'953'084) - units(41'958'136) + units(10'025'262'155));
  expect_conserved("after the round trip");
}

// Two clients on opposite sides of the same trade: the exact P&L is +-10,025.262155381774513520 6...
// USD. The long receives 10,025,262,155 units, the short pays 10,025,262,156: the odd unit stays
// with the house, never with a client.
TEST_F(ClearingBookExact, TheClientNeverGetsTheOddUnit) {
  const i128 q = wad("99.876543210987654321");
  const std::size_t longs = client(1'000'000), shorts = client(1'000'000);
  book->set_price(kEth, 2'000.123456789012345678);
  EXPECT_EQ(fill(longs, kEthPerp, q).fee, units(39'953'084));
  EXPECT_EQ(fill(shorts, kEthPerp, -q).fee, units(39'953'084));
  book->set_price(kEth, 2'100.5);
  EXPECT_EQ(fill(longs, kEthPerp, -q).fee, units(41'958'136));
  EXPECT_EQ(fill(shorts, kEthPerp, q).fee, units(41'958'136));
  const core::Amount fees = units(39'953'084 + 41'958'136);
  EXPECT_EQ(client_claim(longs), usdc(1'000'000) - fees + units(10'025'262'155));
  EXPECT_EQ(client_claim(shorts), usdc(1'000'000) - fees - units(10'025'262'156));
  EXPECT_EQ(claim(Book::trading), units(1));
  expect_conserved("after both round trips");
}

// 1 ETH at 2,000 then 2 at 2,001: the exact entry 2,000.666... rounds up for the long and down for
// the short, so closing all 3 at 2,001 (exactly +-1 USD) pays the long 0.999999999999999999 USD
// (999,999 units) and charges the short 1.000000000000000002 USD (1,000,001 units). The error is
// below one unit and never in the client's favour. Fees are exact here: 0.4, 0.8004, 1.2006 USDC.
TEST_F(ClearingBookExact, AveragedEntriesRoundAgainstTheHolder) {
  const std::size_t longs = client(100'000), shorts = client(100'000);
  fill(longs, kEthPerp, wad("1"));
  fill(shorts, kEthPerp, -wad("1"));
  book->set_price(kEth, 2'001.0);
  EXPECT_EQ(fill(longs, kEthPerp, wad("2")).fee, units(800'400));
  fill(shorts, kEthPerp, -wad("2"));
  EXPECT_TRUE(book->client(longs).positions[0].entry_mark_wad == wad("2000.666666666666666667"));
  EXPECT_TRUE(book->client(shorts).positions[0].entry_mark_wad == wad("2000.666666666666666666"));
  EXPECT_EQ(fill(longs, kEthPerp, -wad("3")).fee, units(1'200'600));
  fill(shorts, kEthPerp, wad("3"));
  const core::Amount fees = units(400'000 + 800'400 + 1'200'600);
  EXPECT_EQ(client_claim(longs), usdc(100'000) - fees + units(999'999));
  EXPECT_EQ(client_claim(shorts), usdc(100'000) - fees - units(1'000'001));
  EXPECT_EQ(claim(Book::trading), units(2));
  expect_conserved("after the averaged round trips");
}

// A (800 USDC + 12,345 satoshi) is long 1.5 ETH-PERP at 2,000 against B's short. ETH falls to the
// double 1,333.333333333333 (M = 1,333.333333333333030144 as a WAD); B closes, A is liquidated:
//   B's gain  = floor(1.5 * (2,000 - M)) = 1,000.000000000000454784 USD -> 1,000,000,000 units
//   B's fee   = ceil(ceil(1.5 * M) * 0.0002) = ceil(0.399999999999999909 04...) -> 400,000 units
//   A's loss  = 1.5 * (M - 2,000) = -1,000.000000000000454784 USD -> -1,000,000,001 units
//   liq. fee  = ceil(1% * ceil(1.5 * M)) = 19.999999999999995452 16 -> 20,000,000 units
//   seized    = 12,345 sat at 43,210.987650000002759040 (the double's WAD) = 5.334396425392500340 6
//               USD, credited rounded down: 5,334,396 units
//   deficit   = 800 - 0.6 - 1,000.000001 + 5.334396 - 20 = 215.265605 USDC
// The house's layer: no capital, fees 0.6 + 0.6 + 0.4 + 20, trading 1,000.000001 - 1,000 -
// 5.334396, the seized BTC at its floor value 5.334396: 21.600001 USDC. Then the 20 USDC default
// fund, and 173.665604 USDC socialised.
TEST_F(ClearingBookExact, LiquidationFeeSeizedCollateralAndWaterfallToTheUnit) {
  open_capital(0, 20);
  const std::size_t a = client(800, units(12'345)), b = client(10'000);
  EXPECT_EQ(fill(a, kEthPerp, wad("1.5")).fee, units(600'000));
  EXPECT_EQ(fill(b, kEthPerp, -wad("1.5")).fee, units(600'000));
  book->set_price(kEth, 1'333.333333333333);
  ASSERT_TRUE(book->price_wad(kEth) == wad("1333.333333333333030144"));
  EXPECT_EQ(fill(b, kEthPerp, wad("1.5")).fee, units(400'000));
  EXPECT_EQ(client_claim(b), usdc(10'000) - units(1'000'000) + units(1'000'000'000));
  EXPECT_TRUE(book->below_maintenance(a));

  const DefaultOutcome d = book->liquidate(a);
  EXPECT_EQ(claim(Book::fees), units(600'000 + 600'000 + 400'000 + 20'000'000));
  EXPECT_EQ(claim(Book::trading), units(1'000'000'001 - 1'000'000'000 - 5'334'396));
  EXPECT_EQ(claim(Book::capital, 0, kBtc), units(12'345));
  EXPECT_EQ(client_claim(a, kBtc), core::Amount{});
  EXPECT_EQ(d.deficit, units(215'265'605));
  EXPECT_EQ(d.from_capital, units(21'600'001));
  EXPECT_EQ(d.from_default_fund, usdc(20));
  EXPECT_EQ(d.socialised, units(173'665'604));
  EXPECT_TRUE(d.capital_exhausted);
  EXPECT_EQ(client_claim(a), core::Amount{});
  EXPECT_EQ(book->bad_debt_quote(), units(215'265'605));
  EXPECT_EQ(book->default_fund_used_quote(), usdc(20));
  EXPECT_EQ(book->socialised_quote(), units(173'665'604));
  EXPECT_EQ(balance(Book::socialised), units(173'665'604));
  EXPECT_EQ(balance(Book::bad_debt), core::Amount{});
  EXPECT_DOUBLE_EQ(book->bad_debt(), 215.265605);  // the display value: the same units at USDC 1
  expect_conserved("after the default");
}

// Hedges: 3 BTC bought at 50,010.5, 1 sold at 50,000.25 realises exactly -10.25 USD; 1 ETH at 100
// and 2 at 101 average (the house long, its P&L rounding up) to 100.666666666666666666, and
// selling the 3 at 102 realises 3 * 1.333333333333333334 = 4.000000000000000002 USD.
TEST_F(ClearingBookExact, HedgeRealisedPnlIsExact) {
  book->hedge_sent(kBtcVenue, wad("3"));
  book->hedge_settled(kBtcVenue, wad("3"), 50'010.5);
  book->hedge_sent(kBtcVenue, -wad("1"));
  book->hedge_settled(kBtcVenue, -wad("1"), 50'000.25);
  EXPECT_TRUE(book->hedges()[kBtcVenue].entry_wad == wad("50010.5"));
  EXPECT_TRUE(book->hedges()[kBtcVenue].qty_wad == wad("2"));
  EXPECT_TRUE(book->hedge_realised_wad() == -wad("10.25"));

  book->hedge_settled_exact(kEthVenue, 0, wad("100"), wad("1"));
  book->hedge_settled_exact(kEthVenue, 0, wad("101"), wad("2"));
  EXPECT_TRUE(book->hedges()[kEthVenue].entry_wad == wad("100.666666666666666666"));
  book->hedge_settled_exact(kEthVenue, 0, wad("102"), -wad("3"));
  EXPECT_TRUE(book->hedges()[kEthVenue].qty_wad == 0);
  EXPECT_TRUE(book->hedge_realised_wad() == -wad("10.25") + wad("4.000000000000000002"));
  EXPECT_DOUBLE_EQ(book->hedge_realised(), -6.25);
  // A failed leg moves no money and no entry.
  book->hedge_sent(kBtcVenue, wad("1"));
  book->hedge_settled(kBtcVenue, wad("1"), std::nullopt);
  EXPECT_TRUE(book->hedges()[kBtcVenue].inflight_wad == 0);
  EXPECT_TRUE(book->hedge_realised_wad() == -wad("10.25") + wad("4.000000000000000002"));
}

// Fills at awkward prices (crossing, partial closes, a flip, two instruments), a liquidation that
// leaves no deficit, and a default that reaches the socialised layer: the ledger stays balanced
// to the unit after every step and custody holds exactly what came in.
TEST_F(ClearingBookExact, LedgerConservedThroughFillsALiquidationAndADefault) {
  open_capital(1'000, 500);
  const i128 q = wad("99.876543210987654321");
  const std::size_t a = client(20'000, units(50'000'000)), b = client(300'000), c = client(40'000);
  expect_conserved("after deposits");

  book->set_price(kEth, 2'000.123456789012345678);
  fill(a, kEthPerp, q);
  fill(b, kEthPerp, -q);
  fill(c, kEthPerp, wad("12.5"));
  expect_conserved("after opening");

  book->set_price(kEth, 2'050.987654321);
  fill(c, kEthPerp, -wad("20"));                       // flips to short 7.5
  fill(b, kEthPerp, wad("10.000000000000000001"));     // partial close at a loss
  fill(c, kBtcPerp, wad("0.5"));
  fill(b, kBtcPerp, -wad("1.23456789"));
  expect_conserved("after the flip and partial closes");

  book->set_price(kBtc, 41'999.999999);
  book->set_price(kEth, 1'700.000000001);
  const DefaultOutcome none = book->liquidate(c);
  EXPECT_EQ(none.deficit, core::Amount{});
  EXPECT_TRUE(book->client(c).positions.empty());
  expect_conserved("after liquidating c");

  book->set_price(kEth, 1'500.0);
  fill(b, kEthPerp, q - wad("10.000000000000000001"));  // closes its ETH short with the gain
  expect_conserved("after b takes its gain");
  const DefaultOutcome d = book->liquidate(a);
  EXPECT_GT(d.deficit, core::Amount{});
  EXPECT_EQ(d.deficit, d.from_capital + d.from_default_fund + d.socialised);
  EXPECT_EQ(d.from_default_fund, usdc(500));
  EXPECT_TRUE(d.capital_exhausted);
  EXPECT_GT(d.socialised, core::Amount{});
  EXPECT_EQ(client_claim(a), core::Amount{});
  EXPECT_EQ(client_claim(a, kBtc), core::Amount{});
  EXPECT_EQ(claim(Book::capital, 0, kBtc), units(50'000'000));
  EXPECT_EQ(book->bad_debt_quote(), d.deficit);
  EXPECT_EQ(book->default_fund_used_quote(), usdc(500));
  EXPECT_EQ(book->socialised_quote(), balance(Book::socialised));
  expect_conserved("after the default");
}

// Client contributions (2% of each quote deposit) and the whole waterfall: the defaulter's own
// contribution pays after its margin, then capital (none), the broker's fund, the other clients'
// contributions, then socialised; a later house shortfall takes what is left of the fund layers.
// Every layer is exact and they sum to the losses that entered.
TEST_F(ClearingBookExact, ContributionsAbsorbInTheirLayersAndTheTotalsAddUp) {
  cfg.client_contribution_wad = wad("0.02");
  open_capital(0, 20);
  const std::size_t a = client(800), b = client(30'000);
  EXPECT_EQ(client_claim(a), usdc(784));
  EXPECT_EQ(book->client_contributions_held(), usdc(16) + usdc(600));
  fill(a, kEthPerp, wad("1.5"));
  fill(b, kEthPerp, -wad("1.5"));
  book->set_price(kEth, 1'200.0);
  fill(b, kEthPerp, wad("1.5"));  // b takes its gain out of the house's trading book
  ASSERT_TRUE(book->below_maintenance(a));
  const DefaultOutcome d = book->liquidate(a);
  const WaterfallTotals& w = book->waterfall();
  EXPECT_EQ(w.defaulter_contribution, usdc(16));
  EXPECT_EQ(w.broker_fund, usdc(20));
  EXPECT_GT(w.member_contributions, core::Amount{});
  EXPECT_EQ(d.deficit, w.client_deficits);
  EXPECT_EQ(d.deficit, w.defaulter_contribution + w.house_capital + w.broker_fund + w.member_contributions + w.socialised);
  EXPECT_EQ(w.defaulter_margin, usdc(784) - units(600'000));  // its margin after the order fee
  expect_conserved("after the default");
  // A house shortfall larger than what is left: the members' rest, then socialised.
  const core::Amount left = book->client_contributions_held();
  book->absorb_house_shortfall(left + usdc(50));
  EXPECT_EQ(book->client_contributions_held(), core::Amount{});
  EXPECT_EQ(w.house_shortfall, left + usdc(50));
  EXPECT_EQ(w.client_deficits + w.house_shortfall,
            w.defaulter_contribution + w.house_capital + w.broker_fund + w.member_contributions + w.socialised);
  EXPECT_EQ(book->bad_debt_quote(), w.client_deficits + w.house_shortfall);
  EXPECT_EQ(book->default_fund_used_quote(), usdc(16) + usdc(20) + usdc(600));
  EXPECT_EQ(book->socialised_quote(), balance(Book::socialised));
  expect_conserved("after the house shortfall");
}

}  // namespace
}  // namespace shardsim::broker
