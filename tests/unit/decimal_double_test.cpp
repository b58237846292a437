// Tests protocols/api/decimal_double: raw / 10^decimals is the double strtod reads from the
// amount's exact decimal text, for random amounts at every decimals, ties, signs and the limits.
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <string>

#include "core/amount.hpp"
#include "core/rng.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::protocols {
namespace {

double via_text(i128 raw, int decimals) { return std::strtod(core::Amount::units(raw).str(decimals).c_str(), nullptr); }

TEST(DecimalDouble, MatchesStrtodOfTheExactText) {
  core::Rng rng(7);
  for (int i = 0; i < 20000; ++i) {
    const int decimals = static_cast<int>(rng.uniform_index(39));
    // Magnitudes from 1 to about 2^126, so both halves of i128 and every bit length are covered.
    const int bits = 1 + static_cast<int>(rng.uniform_index(126));
    const i128 hi = static_cast<i128>(rng.next_u64());
    const i128 lo = static_cast<i128>(rng.next_u64());
    i128 raw = ((hi << 64) | lo) & ((i128(1) << bits) - 1);
    if (rng.bernoulli(0.5)) raw = -raw;
    ASSERT_EQ(decimal_to_double(raw, decimals), via_text(raw, decimals))
        << core::Amount::units(raw).str(decimals) << " at " << decimals;
  }
}

TEST(DecimalDouble, RoundsTiesToEvenAndKeepsExactValues) {
  EXPECT_EQ(decimal_to_double(0, 18), 0.0);
  EXPECT_EQ(decimal_to_double(5 * kWadUnit / 100, 18), 0.05);
  EXPECT_EQ(decimal_to_double(kWadUnit / 3, 18), std::strtod("0.333333333333333333", nullptr));
  EXPECT_EQ(decimal_to_double(-1'500'000, 6), -1.5);
  const i128 two53 = i128(1) << 53;
  EXPECT_EQ(decimal_to_double(two53 + 1, 0), 9007199254740992.0);  // tie: down to even
  EXPECT_EQ(decimal_to_double(two53 + 3, 0), 9007199254740996.0);  // tie: up to even
  const i128 max = std::numeric_limits<i128>::max();
  EXPECT_EQ(decimal_to_double(max, 0), via_text(max, 0));
  EXPECT_EQ(decimal_to_double(-max, 38), via_text(-max, 38));
  EXPECT_EQ(decimal_to_double(1, 38), 1e-38);
}

}  // namespace
}  // namespace shardsim::protocols
