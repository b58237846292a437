// Tests core/amount: exact decimal parsing and printing in an asset's own units.
#include "core/amount.hpp"

#include <gtest/gtest.h>

namespace shardsim::core {
namespace {

TEST(Amount, ParsesWholeUnitsExactly) {
  EXPECT_EQ(Amount::parse("1.5", 18)->raw(), static_cast<i128>(1'500'000'000'000'000'000LL));
  EXPECT_EQ(Amount::parse("2500", 6)->raw(), 2'500'000'000);
  EXPECT_EQ(Amount::parse("10M", 6)->raw(), static_cast<i128>(10'000'000) * 1'000'000);
  EXPECT_EQ(Amount::parse("1.5k", 0)->raw(), 1500);
  EXPECT_EQ(Amount::parse("-3", 2)->raw(), -300);
  EXPECT_EQ(Amount::parse("0.000001", 6)->raw(), 1);
  EXPECT_EQ(Amount::parse("1.50", 1)->raw(), 15);  // trailing zeros beyond the decimals are fine
}

TEST(Amount, RejectsWhatIsNotExact) {
  EXPECT_FALSE(Amount::parse("0.0000001", 6));  // finer than one USDC unit
  EXPECT_FALSE(Amount::parse("1.2.3", 6));
  EXPECT_FALSE(Amount::parse("abc", 6));
  EXPECT_FALSE(Amount::parse("", 6));
  EXPECT_FALSE(Amount::parse("1e6", 6));
  EXPECT_FALSE(Amount::parse("999999999999999999999999999999999999999999", 18));  // beyond 128 bits
}

TEST(Amount, PrintsExactDecimalStrings) {
  EXPECT_EQ(Amount::units(1'500'000).str(6), "1.5");
  EXPECT_EQ(Amount::units(1).str(18), "0.000000000000000001");
  EXPECT_EQ(Amount::units(-2'000'000).str(6), "-2");
  EXPECT_EQ(Amount::units(0).str(6), "0");
  EXPECT_EQ(Amount::units(42).str(0), "42");
  const i128 big = pow10_i128(30) + 7;
  EXPECT_EQ(Amount::units(big).str(18), "1000000000000.000000000000000007");
  EXPECT_EQ(Amount::parse(Amount::units(big).str(18), 18)->raw(), big);
}

}  // namespace
}  // namespace shardsim::core
