// Tests protocols/options against the worked examples of the contract's formulas (spec section 8):
// naked and spread collateral (Gamma's MarginCalculator), payouts at expiry in and out of the
// money, the dispute window on the expiry price, vault settlement, physical settlement, the
// Black-Scholes mark, and reverts.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "protocols/options/black_scholes.hpp"
#include "protocols/options/options_protocol.hpp"
#include "tests/support/options_fixture.hpp"

namespace shardsim::protocols::options {
namespace {

using testing::OptionsFixture;

TEST(OptionsTest, NakedPutNeedsStrikeTimesAmount) {
  OptionsFixture f;
  f.ok("writer", "deposit_collateral", {{"vault", "v"}, {"asset", "USDC"}, {"amount", "3999.999999"}});
  f.expect_revert("writer", "mint", {{"vault", "v"}, {"series", "P2000"}, {"amount", "2"}}, "vault undercollateralised");
  f.ok("writer", "deposit_collateral", {{"vault", "v"}, {"asset", "USDC"}, {"amount", "0.000001"}});
  f.ok("writer", "mint", {{"vault", "v"}, {"series", "P2000"}, {"amount", "2"}});
  EXPECT_EQ(f.bal("writer", "P2000"), f.units("2", "P2000"));
  EXPECT_EQ(f.p->required_units(*f.rig.host, *f.p->vault(f.rig.account("writer"), "v")), f.units("4000"));
  f.expect_revert("writer", "withdraw_collateral", {{"vault", "v"}, {"amount", "0.000001"}}, "vault undercollateralised");
}

TEST(OptionsTest, NakedCallNeedsOneUnderlyingPerOption) {
  OptionsFixture f;
  f.ok("writer", "deposit_collateral", {{"vault", "v"}, {"asset", "ETH"}, {"amount", "1.5"}});
  f.expect_revert("writer", "mint", {{"vault", "v"}, {"series", "C2000"}, {"amount", "1.50000001"}},
                  "vault undercollateralised");
  f.ok("writer", "mint", {{"vault", "v"}, {"series", "C2000"}, {"amount", "1.5"}});
  // A put needs cash: this vault's ETH cannot write it.
  f.expect_revert("writer", "mint", {{"vault", "v"}, {"series", "P2000"}, {"amount", "1"}},
                  "vault already shorts C2000");
}

// Spec worked example: long 1 put K=1800, short 1 put K=2000: collateral 200 USDC (the naked
// short alone needs 2000); at S=1900 the vault returns 100, at S=1700 it returns 0.
TEST(OptionsTest, PutSpreadCollateralIsMaxLoss) {
  for (const auto& [price, owner_back, holder_short, holder_long] :
       std::vector<std::tuple<const char*, const char*, const char*, const char*>>{
           {"1900", "100.000004", "100", "0"}, {"1700", "0.000004", "300", "100"}, {"2100", "200.000004", "0", "0"}}) {
    OptionsFixture f;
    f.write("lp", "lp_vault", "P1800", "USDC", "1800", "1");  // someone writes the long put
    f.give("lp", "writer", "P1800", "1");
    f.ok("writer", "deposit_collateral", {{"vault", "s"}, {"asset", "USDC"}, {"amount", "200"}});
    f.ok("writer", "deposit_long", {{"vault", "s"}, {"series", "P1800"}, {"amount", "1"}});
    // Gamma's formula gives exactly 200; the vault also holds the 4-unit rounding cushion.
    f.expect_revert("writer", "mint", {{"vault", "s"}, {"series", "P2000"}, {"amount", "1"}}, "vault undercollateralised");
    f.ok("writer", "deposit_collateral", {{"vault", "s"}, {"asset", "USDC"}, {"amount", "0.000004"}});
    f.ok("writer", "mint", {{"vault", "s"}, {"series", "P2000"}, {"amount", "1"}});
    EXPECT_EQ(f.p->required_units(*f.rig.host, *f.p->vault(f.rig.account("writer"), "s")), f.units("200.000004"));
    // The long cannot leave while the short needs it.
    f.expect_revert("writer", "withdraw_long", {{"vault", "s"}, {"amount", "0.5"}}, "vault undercollateralised");
    f.give("writer", "holder", "P2000", "1");

    f.expire_at(price);
    const i128 writer_before = f.bal("writer");
    f.ok("writer", "settle_vault", {{"vault", "s"}});
    EXPECT_EQ(f.bal("writer") - writer_before, f.units(owner_back)) << price;
    const i128 holder_before = f.bal("holder");
    f.ok("holder", "redeem", {{"series", "P2000"}, {"amount", "1"}});
    EXPECT_EQ(f.bal("holder") - holder_before, f.units(holder_short)) << price;
    // The long's payout went to the spread vault; the long writer's vault pays it.
    const i128 lp_before = f.bal("lp");
    f.ok("lp", "settle_vault", {{"vault", "lp_vault"}});
    EXPECT_EQ(f.bal("lp") - lp_before, f.units("1800") - f.units(holder_long)) << price;
    EXPECT_EQ(f.bal("options"), 0) << "every unit of collateral paid out at " << price;
    f.rig.expect_conserved();
  }
}

// Gamma's call spread: short K=2000, long K=2200 needs (2200-2000)/2200 ETH per option.
TEST(OptionsTest, CallSpreadCollateralIsGammaFormula) {
  OptionsFixture f;
  f.write("lp", "lp_vault", "C2200", "ETH", "1", "1");
  f.give("lp", "writer", "C2200", "1");
  f.ok("writer", "deposit_collateral", {{"vault", "s"}, {"asset", "ETH"}, {"amount", "1"}});
  f.ok("writer", "deposit_long", {{"vault", "s"}, {"series", "C2200"}, {"amount", "1"}});
  f.ok("writer", "mint", {{"vault", "s"}, {"series", "C2000"}, {"amount", "1"}});
  // 200/2200 ETH rounded up, plus the cushion.
  const i128 expect = 90909090909090910 + kSpreadCushionUnits;
  EXPECT_EQ(f.p->required_units(*f.rig.host, *f.p->vault(f.rig.account("writer"), "s")), expect);
  f.ok("writer", "withdraw_collateral", {{"vault", "s"}, {"amount", "0.909090909090909086"}});
  f.expect_revert("writer", "withdraw_collateral", {{"vault", "s"}, {"amount", "0.000000000000000001"}},
                  "vault undercollateralised");
  // At S=2500: the short pays 500/2500 = 0.2 ETH, the long receives 300/2500 = 0.12 ETH.
  f.give("writer", "holder", "C2000", "1");
  f.expire_at("2500");
  const i128 before = f.bal("writer", "ETH");
  f.ok("writer", "settle_vault", {{"vault", "s"}});
  EXPECT_EQ(f.bal("writer", "ETH") - before, expect - f.units("0.08", "ETH"));
  const i128 hb = f.bal("holder", "ETH");
  f.ok("holder", "redeem", {{"series", "C2000"}, {"amount", "1"}});
  EXPECT_EQ(f.bal("holder", "ETH") - hb, f.units("0.2", "ETH"));
}

TEST(OptionsTest, PayoutInAndOutOfTheMoney) {
  for (const auto& [price, call_pays, put_pays] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"2500", "0.2", "0"}, {"1600", "0", "400"}, {"2000", "0", "0"}}) {
    OptionsFixture f;
    f.write("writer", "c", "C2000", "ETH", "3", "3");
    f.write("writer", "p", "P2000", "USDC", "6000", "3");
    f.give("writer", "holder", "C2000", "1");
    f.give("writer", "holder", "P2000", "1");
    f.expire_at(price);
    const i128 eth = f.bal("holder", "ETH"), usdc = f.bal("holder");
    f.ok("holder", "redeem", {{"series", "C2000"}, {"amount", "1"}});
    f.ok("holder", "redeem", {{"series", "P2000"}, {"amount", "1"}});
    EXPECT_EQ(f.bal("holder", "ETH") - eth, f.units(call_pays, "ETH")) << price;
    EXPECT_EQ(f.bal("holder") - usdc, f.units(put_pays)) << price;
    EXPECT_EQ(f.bal("holder", "C2000"), 0);
    // The writers' 2 unsold options of each are redeemed by the writer itself after settling.
    const i128 weth = f.bal("writer", "ETH");
    f.ok("writer", "settle_vault", {{"vault", "c"}});
    EXPECT_EQ(f.bal("writer", "ETH") - weth, f.units("3", "ETH") - 3 * f.units(call_pays, "ETH"));
    f.ok("writer", "settle_vault", {{"vault", "p"}});
    f.ok("writer", "redeem", {{"series", "C2000"}, {"amount", "2"}});
    f.ok("writer", "redeem", {{"series", "P2000"}, {"amount", "2"}});
    EXPECT_EQ(f.bal("options", "ETH"), 0);
    EXPECT_EQ(f.bal("options"), 0);
    f.rig.expect_conserved();
  }
}

TEST(OptionsTest, DisputeWindow) {
  OptionsFixture f;
  f.write("writer", "p", "P2000", "USDC", "2000", "1");
  f.give("writer", "holder", "P2000", "1");
  f.expect_revert("anyone", "report_price", {{"series", "P2000"}}, "price locked until expiry");
  f.rig.set_price("ETH", 1900);
  f.advance_to(core::SimTime::zero() + core::Duration::h(1));
  f.ok("anyone", "report_price", {{"series", "P2000"}});
  f.expect_revert("anyone", "report_price", {{"series", "P2000"}}, "price already reported");
  // Inside the window: no redemption, no settlement; only the disputer may change the price.
  f.expect_revert("holder", "redeem", {{"series", "P2000"}, {"amount", "1"}}, "expiry price not final");
  f.expect_revert("writer", "settle_vault", {{"vault", "p"}}, "expiry price not final");
  f.expect_revert("holder", "dispute_price", {{"series", "P2000"}, {"price", "1"}}, "only the disputer may dispute");
  f.advance_to(core::SimTime::zero() + core::Duration::h(2) + core::Duration::min(59));
  f.ok("disputer", "dispute_price", {{"series", "P2000"}, {"price", "1700"}});
  f.advance_to(core::SimTime::zero() + core::Duration::h(3));  // reported at 1h, window 2h
  f.expect_revert("disputer", "dispute_price", {{"series", "P2000"}, {"price", "1900"}}, "dispute window closed");
  const i128 before = f.bal("holder");
  f.ok("holder", "redeem", {{"series", "P2000"}, {"amount", "1"}});
  EXPECT_EQ(f.bal("holder") - before, f.units("300"));  // the disputed price, not the reported 1900
  f.ok("writer", "settle_vault", {{"vault", "p"}});
  EXPECT_EQ(f.bal("options"), 0);
}

TEST(OptionsTest, VaultOpsCloseAtExpiry) {
  OptionsFixture f;
  f.write("writer", "p", "P2000", "USDC", "4000", "1");
  f.advance_to(core::SimTime::zero() + core::Duration::h(1));
  f.expect_revert("writer", "mint", {{"vault", "p"}, {"series", "P2000"}, {"amount", "1"}}, "series expired");
  f.expect_revert("writer", "burn", {{"vault", "p"}, {"amount", "1"}}, "series expired: settle the vault");
  f.expect_revert("writer", "withdraw_collateral", {{"vault", "p"}, {"amount", "1"}}, "series expired: settle the vault");
  f.expect_revert("writer", "deposit_long", {{"vault", "p"}, {"series", "P1800"}, {"amount", "1"}}, "series expired");
}

TEST(OptionsTest, BurnReleasesCollateral) {
  OptionsFixture f;
  f.write("writer", "p", "P2000", "USDC", "2000", "1");
  f.expect_revert("writer", "withdraw_collateral", {{"vault", "p"}, {"amount", "1"}}, "vault undercollateralised");
  f.ok("writer", "burn", {{"vault", "p"}, {"amount", "1"}});
  f.ok("writer", "withdraw_collateral", {{"vault", "p"}, {"amount", "2000"}});
  EXPECT_EQ(f.p->book(*f.p->find_series("P2000")).short_units, 0);
  EXPECT_EQ(f.bal("options"), 0);
}

TEST(OptionsTest, SpreadNeedsSameUnderlyingTypeAndExpiry) {
  OptionsFixture f;
  f.write("lp", "l", "C2000", "ETH", "1", "1");
  f.give("lp", "writer", "C2000", "1");
  f.ok("writer", "deposit_collateral", {{"vault", "s"}, {"asset", "USDC"}, {"amount", "2000"}});
  f.expect_revert("writer", "deposit_long", {{"vault", "s"}, {"series", "C2000"}, {"amount", "1"}},
                  "series C2000 needs ETH collateral");
  f.ok("writer", "deposit_collateral", {{"vault", "e"}, {"asset", "ETH"}, {"amount", "1"}});
  f.ok("writer", "deposit_long", {{"vault", "e"}, {"series", "C2000"}, {"amount", "1"}});
  f.expect_revert("writer", "mint", {{"vault", "e"}, {"series", "C2000L"}, {"amount", "1"}},
                  "long C2000 does not spread with C2000L");
}

TEST(OptionsTest, PhysicalSettlementDeliversTheUnderlying) {
  OptionsFixture f(Settlement::physical);
  f.expect_revert("writer", "deposit_long", {{"vault", "x"}, {"series", "P1800"}, {"amount", "1"}},
                  "physical settlement: a long cannot margin a spread");
  f.write("w1", "c", "C2000", "ETH", "3", "3");
  f.write("w2", "c", "C2000", "ETH", "1", "1");
  f.give("w1", "holder", "C2000", "3");
  f.give("w2", "holder", "C2000", "1");
  f.expire_at("2500");
  f.expect_revert("holder", "redeem", {{"series", "C2000"}, {"amount", "1"}}, "physical settlement: exercise instead");
  // The holder exercises 2 of its 4: pays 2 x 2000 USDC, receives 2 ETH; the rest lapses.
  const i128 usdc = f.bal("holder"), eth = f.bal("holder", "ETH");
  f.ok("holder", "exercise", {{"series", "C2000"}, {"amount", "2"}});
  EXPECT_EQ(usdc - f.bal("holder"), f.units("4000"));
  EXPECT_EQ(f.bal("holder", "ETH") - eth, f.units("2", "ETH"));
  f.expect_revert("w1", "settle_vault", {{"vault", "c"}}, "exercise window open until 4h");
  f.advance_to(core::SimTime::zero() + core::Duration::h(4));
  f.expect_revert("holder", "exercise", {{"series", "C2000"}, {"amount", "1"}}, "exercise window closed");
  // Assigned pro rata: w1 wrote 3 of 4, so delivers 1.5 ETH and receives 3000 USDC.
  const i128 w1_usdc = f.bal("w1"), w1_eth = f.bal("w1", "ETH");
  f.ok("w1", "settle_vault", {{"vault", "c"}});
  EXPECT_EQ(f.bal("w1") - w1_usdc, f.units("3000"));
  EXPECT_EQ(f.bal("w1", "ETH") - w1_eth, f.units("1.5", "ETH"));
  f.ok("w2", "settle_vault", {{"vault", "c"}});
  EXPECT_EQ(f.bal("options"), 0);
  EXPECT_EQ(f.bal("options", "ETH"), 0);
  f.rig.expect_conserved();
}

TEST(OptionsTest, BlackScholesMark) {
  // S=K=2000, 30 days, vol 80%: C = P = S*(2N(sd/2)-1), sd = 0.8*sqrt(30/365).
  const double years = 30.0 / 365.0;
  const double sd = 0.8 * std::sqrt(years);
  const double atm = 2000 * std::erf(sd / 2 / std::sqrt(2.0));
  EXPECT_NEAR(bs_value({false, 2000, 2000, years, 0.8}), atm, 1e-9);
  EXPECT_NEAR(bs_value({true, 2000, 2000, years, 0.8}), atm, 1e-9);
  // Put-call parity with r = 0: C - P = S - K.
  EXPECT_NEAR(bs_value({false, 2300, 2000, years, 0.8}) - bs_value({true, 2300, 2000, years, 0.8}), 300, 1e-9);
  EXPECT_NEAR(bs_delta({false, 2300, 2000, years, 0.8}) - bs_delta({true, 2300, 2000, years, 0.8}), 1, 1e-12);
  EXPECT_EQ(bs_value({false, 2300, 2000, 0, 0.8}), 300);
  // The snapshot publishes the mark at the oracle price; the instrument revalues per scenario.
  OptionsFixture f;
  const ProtocolSnapshot snap = f.p->snapshot(*f.rig.host);
  const auto instruments = f.p->instruments(*f.rig.host);
  const InstrumentDescriptor& c = instruments[0];
  EXPECT_EQ(c.id, "opyn.C2000");
  PriceVector prices(f.rig.registry.asset_count(), 0.0);
  prices[f.rig.asset("ETH")] = 2000;
  EXPECT_NEAR(c.revalue(1, snap, prices), *snap.get("C2000.mark"), 1e-9);
  prices[f.rig.asset("ETH")] = 2200;
  EXPECT_GT(c.revalue(2, snap, prices), 2 * *snap.get("C2000.mark"));
}

}  // namespace
}  // namespace shardsim::protocols::options
