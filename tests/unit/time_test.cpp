// Tests core/time: parsing of unit-suffixed durations and printing back in the same form.
#include "core/time.hpp"

#include <gtest/gtest.h>

namespace shardsim::core {
namespace {

std::int64_t us(std::string_view s) {
  auto d = Duration::parse(s);
  EXPECT_TRUE(d.has_value()) << s;
  return d ? d->count_us() : -1;
}

TEST(TimeParse, EveryUnit) {
  EXPECT_EQ(us("800us"), 800);
  EXPECT_EQ(us("250ms"), 250'000);
  EXPECT_EQ(us("12s"), 12'000'000);
  EXPECT_EQ(us("5m"), 300'000'000);
  EXPECT_EQ(us("1.5h"), 5'400'000'000);
  EXPECT_EQ(us("1d"), 86'400'000'000);
  EXPECT_EQ(us("0.5ms"), 500);
}

TEST(TimeParse, SumsAndSign) {
  EXPECT_EQ(us("6h10m"), (6 * 3600 + 600) * 1'000'000LL);
  EXPECT_EQ(us("1m30s"), 90'000'000);
  EXPECT_EQ(us("-5s"), -5'000'000);
}

TEST(TimeParse, RejectsMalformed) {
  for (const char* bad : {"", "12", "s", "12x", "1.5", "12 s", "1.0000001s", "0.5us", "--1s", "1e3s", ".s",
                          "99999999999999999999d"}) {
    EXPECT_FALSE(Duration::parse(bad).has_value()) << bad;
  }
  EXPECT_FALSE(SimTime::parse("-1s").has_value());
}

TEST(TimePrint, SameFormBack) {
  for (const char* s : {"800us", "250ms", "12s", "5m", "1.5h", "1d", "1.25s", "-5s", "0s", "2.5d"}) {
    EXPECT_EQ(Duration::parse(s)->str(), s);
  }
  EXPECT_EQ(Duration::parse("6h10m")->str(), "370m");
  EXPECT_EQ(Duration::us(1'000'001).str(), "1000.001ms");
  EXPECT_EQ(Duration::us(3'600'000'001).str(), "3600000.001ms");
  EXPECT_EQ(Duration::ms(1500).str(), "1.5s");
}

TEST(TimePrint, RoundTripsExactly) {
  for (std::int64_t v : {1LL, 999LL, 1'000LL, 1'234'567LL, 3'600'000'001LL, 86'400'000'000LL * 3 + 7}) {
    EXPECT_EQ(Duration::parse(Duration::us(v).str())->count_us(), v);
  }
}

TEST(TimeArithmetic, InstantsAndSpans) {
  const SimTime t = SimTime::from_us(10) + Duration::s(1);
  EXPECT_EQ(t.count_us(), 1'000'010);
  EXPECT_EQ((t - SimTime::from_us(10)).count_us(), 1'000'000);
  EXPECT_LT(SimTime::zero(), t);
  EXPECT_EQ(SimTime::parse("1h")->str(), "1h");
}

}  // namespace
}  // namespace shardsim::core
