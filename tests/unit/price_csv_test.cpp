// Tests the replay input of the true-price process: `time,asset,price` CSV parsing and errors.
#include "agents/price_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace shardsim::agents {
namespace {

using core::Duration;
using core::SimTime;

SimTime at(Duration d) { return SimTime::zero() + d; }

// Parses text that must fail and returns the error.
PriceCsvError parse_error(std::string_view text) {
  try {
    parse_price_csv(text);
  } catch (const PriceCsvError& e) {
    return e;
  }
  ADD_FAILURE() << "no PriceCsvError for:\n" << text;
  return PriceCsvError(0, 0, "none");
}

void expect_error_at(std::string_view text, int line, int column, std::string_view message_part) {
  const PriceCsvError e = parse_error(text);
  EXPECT_EQ(e.line(), line) << e.what();
  EXPECT_EQ(e.column(), column) << e.what();
  EXPECT_NE(e.message().find(message_part), std::string::npos) << e.what();
}

TEST(PriceCsv, ParsesRowsAndSkipsHeader) {
  const auto rows = parse_price_csv("time,asset,price\n0s,ETH,2000\n1h,ETH,2100.5\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at, SimTime::zero());
  EXPECT_EQ(rows[0].asset, "ETH");
  EXPECT_EQ(rows[0].price, 2000.0);
  EXPECT_EQ(rows[1].at, at(Duration::h(1)));
  EXPECT_EQ(rows[1].price, 2100.5);
}

TEST(PriceCsv, HeaderIsOptional) {
  const auto rows = parse_price_csv("0s,ETH,2000");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].price, 2000.0);
}

TEST(PriceCsv, HeaderOnlyAsFirstContentLine) {
  const auto rows = parse_price_csv("# comment first\n\ntime,asset,price\n0s,ETH,1\n");
  ASSERT_EQ(rows.size(), 1u);
  // A second header line is data, and `time` is not a time.
  expect_error_at("time,asset,price\n0s,ETH,1\ntime,asset,price\n", 3, 1, "bad time");
}

TEST(PriceCsv, SkipsBlankAndCommentLines) {
  const auto rows = parse_price_csv(
      "# replay of ETH\n"
      "\n"
      "   \n"
      "0s,ETH,1\n"
      "  # indented comment\n"
      "1s,ETH,2\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].at, at(Duration::s(1)));
  EXPECT_EQ(rows[1].price, 2.0);
}

TEST(PriceCsv, AcceptsCrlfAndBlanksAroundFields) {
  const auto rows = parse_price_csv("time,asset,price\r\n 0s , ETH ,\t1.5 \r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].asset, "ETH");
  EXPECT_EQ(rows[0].price, 1.5);
}

TEST(PriceCsv, DurationAndSecondsTimes) {
  const auto rows = parse_price_csv(
      "0,A,1\n"
      "0.25,A,1\n"
      "3600,A,1\n"
      "90m,A,1\n"
      "1.5h,A,1\n"
      "1h30m,A,1\n"
      "250ms,B,1\n");
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0].at, SimTime::zero());
  EXPECT_EQ(rows[1].at, SimTime::from_us(250'000));
  EXPECT_EQ(rows[2].at, at(Duration::h(1)));
  EXPECT_EQ(rows[3].at, at(Duration::min(90)));
  EXPECT_EQ(rows[4].at, at(Duration::min(90)));
  EXPECT_EQ(rows[5].at, at(Duration::min(90)));
  EXPECT_EQ(rows[6].at, at(Duration::ms(250)));
}

TEST(PriceCsv, PricesAreTheExactDoubles) {
  const auto rows = parse_price_csv("0s,A,0.1\n0s,B,1e-3\n0s,C,123456789.123456789\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].price, 0.1);
  EXPECT_EQ(rows[1].price, 1e-3);
  EXPECT_EQ(rows[2].price, 123456789.123456789);
}

TEST(PriceCsv, EqualTimesAndInterleavedAssetsAreFine) {
  const auto rows = parse_price_csv("1h,ETH,1\n0s,BTC,2\n1h,ETH,3\n30m,BTC,4\n");
  EXPECT_EQ(rows.size(), 4u);
}

TEST(PriceCsv, EmptyInputGivesNoRows) {
  EXPECT_TRUE(parse_price_csv("").empty());
  EXPECT_TRUE(parse_price_csv("time,asset,price\n# nothing\n").empty());
}

TEST(PriceCsv, NonNumericPrice) {
  expect_error_at("time,asset,price\n0s,ETH,abc\n", 2, 8, "not a number");
  expect_error_at("0s, ETH, 12x\n", 1, 10, "not a number");
  expect_error_at("0s,ETH,\n", 1, 8, "not a number");
  expect_error_at("0s,ETH,0x10\n", 1, 8, "not a number");
}

TEST(PriceCsv, NonPositiveOrNonFinitePrice) {
  expect_error_at("0s,ETH,1\n1s,ETH,-5\n", 2, 8, "must be > 0");
  expect_error_at("0s,ETH,0\n", 1, 8, "must be > 0");
  expect_error_at("0s,ETH,inf\n", 1, 8, "finite");
  expect_error_at("0s,ETH,nan\n", 1, 8, "finite");
  expect_error_at("0s,ETH,1e999\n", 1, 8, "out of range");
}

TEST(PriceCsv, BadTime) {
  expect_error_at("5x,ETH,1\n", 1, 1, "bad time");
  expect_error_at("\n\n  soon,ETH,1\n", 3, 3, "bad time");
  expect_error_at("-5,ETH,1\n", 1, 1, "bad time");
  expect_error_at("0.0000001,ETH,1\n", 1, 1, "bad time");  // finer than 1us
  expect_error_at(",ETH,1\n", 1, 1, "bad time");
  expect_error_at("-5s,ETH,1\n", 1, 1, "must be >= 0");
}

TEST(PriceCsv, MissingOrExtraField) {
  expect_error_at("0s,ETH,1\n0s,ETH\n", 2, 7, "missing field `price`");
  expect_error_at("0s\n", 1, 3, "missing field `asset`");
  expect_error_at("0s,ETH,1,2\n", 1, 10, "extra field");
  expect_error_at("0s,,1\n", 1, 4, "asset is empty");
}

TEST(PriceCsv, TimeGoingBackwards) {
  expect_error_at(
      "time,asset,price\n"
      "2h,ETH,1\n"
      "0s,BTC,1\n"
      "1h,ETH,2\n",
      4, 1, "goes backwards for ETH");
}

TEST(PriceCsv, WhatIsLineColonColumn) {
  const PriceCsvError e = parse_error("0s,ETH,1\n# c\n0s,ETH,abc\n");
  EXPECT_EQ(std::string(e.what()), "3:8: " + e.message());
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 8);
}

}  // namespace
}  // namespace shardsim::agents
