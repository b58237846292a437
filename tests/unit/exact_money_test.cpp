// Tests broker/exact_money: directed rounding of signed a*b/c (floor and ceil whatever the signs),
// USD WAD to and from an asset's units at a price other than 1 (exact, and each rounding
// direction on the odd unit), the volume-weighted entry rounded once, and which way an entry
// rounds for a long and a short.
#include "broker/exact_money.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace shardsim::broker {
namespace {

using protocols::kWadUnit;

// A decimal text as a WAD, exactly (for literals beyond 64 bits).
i128 wad(std::string_view text) { return core::Amount::parse(text, 18).value().raw(); }

TEST(ExactMoney, MulDivTowardRoundsSignedValuesInItsDirection) {
  // 7/2 = 3.5 and -3.5, reached through every sign of the three operands.
  EXPECT_TRUE(mul_div_toward(7, 1, 2, Toward::floor) == 3);
  EXPECT_TRUE(mul_div_toward(7, 1, 2, Toward::ceil) == 4);
  EXPECT_TRUE(mul_div_toward(-7, 1, 2, Toward::floor) == -4);
  EXPECT_TRUE(mul_div_toward(-7, 1, 2, Toward::ceil) == -3);
  EXPECT_TRUE(mul_div_toward(7, -1, 2, Toward::floor) == -4);
  EXPECT_TRUE(mul_div_toward(7, 1, -2, Toward::floor) == -4);
  EXPECT_TRUE(mul_div_toward(-7, -1, 2, Toward::ceil) == 4);
  EXPECT_TRUE(mul_div_toward(-7, 1, -2, Toward::floor) == 3);
  // Exact quotients and zero are not moved.
  EXPECT_TRUE(mul_div_toward(-8, 1, 2, Toward::floor) == -4);
  EXPECT_TRUE(mul_div_toward(-8, 1, 2, Toward::ceil) == -4);
  EXPECT_TRUE(mul_div_toward(0, -5, 3, Toward::floor) == 0);
  EXPECT_TRUE(mul_div_toward(0, -5, 3, Toward::ceil) == 0);
}

TEST(ExactMoney, TheRuleNamesFloorForWhatAClientReceivesAndCeilForWhatItPays) {
  EXPECT_EQ(kToClient, Toward::floor);
  EXPECT_EQ(kFromClient, Toward::ceil);
}

TEST(ExactMoney, UsdWadToUnitsAtAQuotePriceOtherThanOne) {
  const i128 price = wad("1.25");  // 1 USD buys 0.8 of the quote
  EXPECT_EQ(usd_wad_to_units(wad("10"), 6, price, Toward::floor), core::Amount::units(8'000'000));
  EXPECT_EQ(usd_wad_to_units(wad("10"), 6, price, Toward::ceil), core::Amount::units(8'000'000));
  // 1e-18 USD is 8e-13 units: the receiver gets 0, a payer pays 1; negative likewise.
  EXPECT_EQ(usd_wad_to_units(1, 6, price, Toward::floor), core::Amount::units(0));
  EXPECT_EQ(usd_wad_to_units(1, 6, price, Toward::ceil), core::Amount::units(1));
  EXPECT_EQ(usd_wad_to_units(-1, 6, price, Toward::floor), core::Amount::units(-1));
  EXPECT_EQ(usd_wad_to_units(-1, 6, price, Toward::ceil), core::Amount::units(0));
  // 0.000001 USD = 0.8 units.
  EXPECT_EQ(usd_wad_to_units(wad("0.000001"), 6, price, Toward::floor), core::Amount::units(0));
  EXPECT_EQ(usd_wad_to_units(wad("0.000001"), 6, price, Toward::ceil), core::Amount::units(1));
}

TEST(ExactMoney, UnitsToUsdWadIsExactWhenTheProductIs) {
  // 12,345 satoshi (8 decimals) at 43,210.98765 USD per BTC = 5.3343964253925 USD.
  const i128 price = wad("43210.98765");
  EXPECT_TRUE(units_to_usd_wad(core::Amount::units(12'345), 8, price, Toward::floor) == wad("5.3343964253925"));
  EXPECT_TRUE(units_to_usd_wad(core::Amount::units(12'345), 8, price, Toward::ceil) == wad("5.3343964253925"));
  // One satoshi at 1/3 USD per BTC: 3.33e-9 USD, not a whole number of WAD units.
  const i128 third = kWadUnit / 3;  // 0.333333333333333333
  EXPECT_TRUE(units_to_usd_wad(core::Amount::units(1), 8, third, Toward::floor) == 3'333'333'333);
  EXPECT_TRUE(units_to_usd_wad(core::Amount::units(1), 8, third, Toward::ceil) == 3'333'333'334);
}

TEST(ExactMoney, AverageEntryIsTheExactAverageRoundedOnce) {
  // 1 unit at 2,000 and 2 at 2,001: 2,000.666...
  EXPECT_TRUE(average_entry_wad(wad("2000"), wad("1"), wad("2001"), wad("2"), Toward::ceil) == wad("2000.666666666666666667"));
  EXPECT_TRUE(average_entry_wad(wad("2000"), wad("1"), wad("2001"), wad("2"), Toward::floor) == wad("2000.666666666666666666"));
  // Nothing held: the fill price, whatever the old entry.
  EXPECT_TRUE(average_entry_wad(wad("5"), 0, wad("2001"), wad("2"), Toward::ceil) == wad("2001"));
  // A falling average rounds the same way.
  EXPECT_TRUE(average_entry_wad(wad("2001"), wad("1"), wad("2000"), wad("2"), Toward::floor) == wad("2000.333333333333333333"));
  EXPECT_TRUE(average_entry_wad(wad("2001"), wad("1"), wad("2000"), wad("2"), Toward::ceil) == wad("2000.333333333333333334"));
}

TEST(ExactMoney, EntryRoundsAgainstTheHolderWhoseProfitRoundsDown) {
  // A client (its P&L floors): a long's entry rounds up, a short's down.
  EXPECT_EQ(entry_rounding(true, kToClient), Toward::ceil);
  EXPECT_EQ(entry_rounding(false, kToClient), Toward::floor);
  // The house against a venue (its P&L ceils): the reverse.
  EXPECT_EQ(entry_rounding(true, Toward::ceil), Toward::floor);
  EXPECT_EQ(entry_rounding(false, Toward::ceil), Toward::ceil);
}

TEST(ExactMoney, RealisedPnlIsClosedTimesTheMove) {
  // Closing 3 of a long entered at 100.666666666666666666 at 102: 4.000000000000000002 exactly.
  EXPECT_TRUE(realised_usd_wad(wad("3"), wad("102"), wad("100.666666666666666666"), Toward::floor) ==
              wad("4.000000000000000002"));
  // Closing 0.5 of a short (closed is negative) entered at 10 at 10.000000000000000001: the
  // short loses 5e-19 USD, which floors to -1e-18 and ceils to 0.
  EXPECT_TRUE(realised_usd_wad(-wad("0.5"), wad("10.000000000000000001"), wad("10"), Toward::floor) == -1);
  EXPECT_TRUE(realised_usd_wad(-wad("0.5"), wad("10.000000000000000001"), wad("10"), Toward::ceil) == 0);
}

TEST(ExactMoney, QuantisePriceTurnsTheDoubleIntoAWadOnce) {
  EXPECT_TRUE(quantise_price(2100.5) == wad("2100.5"));
  EXPECT_TRUE(quantise_price(0.25) == wad("0.25"));
  // The double nearest 2,000.123456789012345678 is 2,000.12345678901237988611...; double_to_wad
  // scales its fraction in floating point, landing within a few 1e-18 of it. Quantised once.
  EXPECT_TRUE(quantise_price(2000.123456789012345678) == wad("2000.123456789012379888"));
}

}  // namespace
}  // namespace shardsim::broker
