// Tests the plain-number parsers: suffixed counts, decimals, ratios, and overflow rejection.
#include "app/topology/units.hpp"

#include <gtest/gtest.h>

namespace shardsim::app {
namespace {

TEST(ParseCount, PlainDigits) {
  EXPECT_EQ(parse_count("0"), 0u);
  EXPECT_EQ(parse_count("42"), 42u);
  EXPECT_EQ(parse_count("007"), 7u);
  EXPECT_EQ(parse_count("30000000"), 30'000'000u);
}

TEST(ParseCount, Suffixes) {
  EXPECT_EQ(parse_count("10k"), 10'000u);
  EXPECT_EQ(parse_count("30M"), 30'000'000u);
  EXPECT_EQ(parse_count("2B"), 2'000'000'000u);
  EXPECT_EQ(parse_count("0k"), 0u);
}

TEST(ParseCount, ExactFractions) {
  EXPECT_EQ(parse_count("1.5M"), 1'500'000u);
  EXPECT_EQ(parse_count("1.5k"), 1'500u);
  EXPECT_EQ(parse_count("0.001k"), 1u);
  EXPECT_EQ(parse_count("2.000000001B"), 2'000'000'001u);
  EXPECT_EQ(parse_count("1.50000000000000000000M"), 1'500'000u);  // trailing zeros are exact
  EXPECT_EQ(parse_count("2.0"), 2u);
}

TEST(ParseCount, InexactFractionsAreRejected) {
  EXPECT_EQ(parse_count_checked("1.5").error, CountError::inexact);
  EXPECT_EQ(parse_count_checked("1.0001k").error, CountError::inexact);
  EXPECT_EQ(parse_count_checked("0.0000000001B").error, CountError::inexact);
  EXPECT_FALSE(parse_count("1.5").has_value());
}

TEST(ParseCount, MalformedIsRejected) {
  for (const char* text : {"", "k", "1K", "1m", "1b", " 1", "1 ", "1e6", "+1", "1.", ".5k",
                           "1.5.5", "1kk", "0x10", "1_000", "M1", "-"}) {
    EXPECT_EQ(parse_count_checked(text).error, CountError::malformed) << text;
  }
}

TEST(ParseCount, NegativeIsRejected) {
  EXPECT_EQ(parse_count_checked("-5").error, CountError::negative);
  EXPECT_EQ(parse_count_checked("-1k").error, CountError::negative);
  EXPECT_FALSE(parse_count("-0").has_value());
}

TEST(ParseCount, OverflowIsRejectedWithoutWrapping) {
  EXPECT_EQ(parse_count("18446744073709551615"), 18'446'744'073'709'551'615u);
  EXPECT_EQ(parse_count_checked("18446744073709551616").error, CountError::overflow);
  EXPECT_EQ(parse_count_checked("99999999999999999999999999").error, CountError::overflow);
  EXPECT_EQ(parse_count("18446744073B"), 18'446'744'073'000'000'000u);
  EXPECT_EQ(parse_count_checked("18446744074B").error, CountError::overflow);
  EXPECT_EQ(parse_count_checked("18446744073.709551616B").error, CountError::overflow);
  EXPECT_EQ(parse_count("18446744073.709551615B"), 18'446'744'073'709'551'615u);
  EXPECT_EQ(parse_count_checked("18446744073709551.616k").error, CountError::overflow);
  EXPECT_EQ(parse_count("18446744073709551.615k"), 18'446'744'073'709'551'615u);
}

TEST(ParseDecimal, PlainNumbers) {
  EXPECT_EQ(parse_decimal("50"), 50.0);
  EXPECT_EQ(parse_decimal("-1.5"), -1.5);
  EXPECT_EQ(parse_decimal("+2"), 2.0);
  EXPECT_EQ(parse_decimal("0.25"), 0.25);
  EXPECT_EQ(parse_decimal(".5"), 0.5);
  EXPECT_EQ(parse_decimal("1e-3"), 1e-3);
  EXPECT_EQ(parse_decimal("2E2"), 200.0);
}

TEST(ParseDecimal, RejectsNonPlainText) {
  for (const char* text : {"", ".", "-", "+", "inf", "-inf", "nan", "NaN", "infinity", "1e",
                           "1e+", "1.2.3", "5%", "1/2", "0x10", "1k", " 1", "1 ", "--1", "1e999",
                           "-1e999"}) {
    EXPECT_FALSE(parse_decimal(text).has_value()) << text;
  }
}

TEST(ParseRatio, PercentDecimalAndFraction) {
  EXPECT_DOUBLE_EQ(*parse_ratio("10%"), 0.1);
  EXPECT_DOUBLE_EQ(*parse_ratio("0.5%"), 0.005);
  EXPECT_DOUBLE_EQ(*parse_ratio("-35%"), -0.35);
  EXPECT_DOUBLE_EQ(*parse_ratio("0.1"), 0.1);
  EXPECT_DOUBLE_EQ(*parse_ratio("1/3"), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(*parse_ratio("3/4"), 0.75);
  EXPECT_DOUBLE_EQ(*parse_ratio("100%"), 1.0);
}

TEST(ParseRatio, RejectsMalformed) {
  for (const char* text : {"", "%", "10%%", "%10", "1/0", "1/0.0", "1/", "/3", "1/2/3", "a/b",
                           "10 %", "1e308/1e-308", "ten%"}) {
    EXPECT_FALSE(parse_ratio(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace shardsim::app
