// Tests broker/waterfall: every layer boundary (inside, exactly at, and spilling past collateral,
// client fund, capital and the members' funds), capital exhaustion, the exact pro-rata split of
// the members' funds, and a fixed-seed property test that the layers always sum to the loss.
#include "broker/waterfall.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/rng.hpp"

namespace shardsim::broker {
namespace {

core::Amount units(core::i128 v) { return core::Amount::units(v); }

// Collateral 100, client fund 20, capital 50, members 30 + 10 + 0 + 20.
WaterfallLayers layers() {
  return WaterfallLayers{units(100), units(20), units(50), {units(30), units(10), units(0), units(20)}, units(0)};
}

core::Amount total(const WaterfallResult& r) {
  core::Amount t = r.from_collateral + r.from_client_fund + r.from_capital + r.from_broker_fund + r.socialised;
  for (const core::Amount m : r.from_members) t += m;
  return t;
}

std::vector<core::Amount> members(std::initializer_list<core::i128> v) {
  std::vector<core::Amount> out;
  for (const core::i128 x : v) out.push_back(units(x));
  return out;
}

TEST(BrokerWaterfall, TheBrokersFundPaysAfterItsCapitalAndBeforeTheMembers) {
  WaterfallLayers l = layers();
  l.broker_fund = units(40);
  // 100 collateral + 20 client fund + 50 capital, then 25 of the broker's 40.
  const WaterfallResult r = absorb_loss(units(195), l);
  EXPECT_EQ(r.from_capital, units(50));
  EXPECT_EQ(r.from_broker_fund, units(25));
  EXPECT_EQ(r.from_members, members({0, 0, 0, 0}));
  // Past it, the members pay pro rata (30 + 10 + 0 + 20 = 60 share 30).
  const WaterfallResult past = absorb_loss(units(240), l);
  EXPECT_EQ(past.from_broker_fund, units(40));
  EXPECT_EQ(past.from_members, members({15, 5, 0, 10}));
  EXPECT_EQ(total(past), units(240));
}

TEST(BrokerWaterfall, NoLossTakesNothing) {
  const WaterfallResult r = absorb_loss(units(0), layers());
  EXPECT_EQ(total(r), units(0));
  EXPECT_EQ(r.from_members, members({0, 0, 0, 0}));
  EXPECT_FALSE(r.capital_exhausted);
}

TEST(BrokerWaterfall, LossWithinCollateral) {
  const WaterfallResult r = absorb_loss(units(60), layers());
  EXPECT_EQ(r.from_collateral, units(60));
  EXPECT_EQ(r.from_client_fund, units(0));
  EXPECT_EQ(r.from_capital, units(0));
  EXPECT_EQ(r.socialised, units(0));
  EXPECT_FALSE(r.capital_exhausted);
}

TEST(BrokerWaterfall, LossExactlyEqualToCollateral) {
  const WaterfallResult r = absorb_loss(units(100), layers());
  EXPECT_EQ(r.from_collateral, units(100));
  EXPECT_EQ(r.from_client_fund, units(0));
  EXPECT_EQ(total(r), units(100));
}

TEST(BrokerWaterfall, SpillsIntoClientFund) {
  const WaterfallResult r = absorb_loss(units(110), layers());
  EXPECT_EQ(r.from_collateral, units(100));
  EXPECT_EQ(r.from_client_fund, units(10));
  EXPECT_EQ(r.from_capital, units(0));
  const WaterfallResult exact = absorb_loss(units(120), layers());
  EXPECT_EQ(exact.from_client_fund, units(20));
  EXPECT_EQ(exact.from_capital, units(0));
}

TEST(BrokerWaterfall, SpillsIntoCapitalAndEndingAtItsLastUnitIsNotExhaustion) {
  const WaterfallResult r = absorb_loss(units(150), layers());
  EXPECT_EQ(r.from_capital, units(30));
  EXPECT_FALSE(r.capital_exhausted);
  const WaterfallResult exact = absorb_loss(units(170), layers());
  EXPECT_EQ(exact.from_capital, units(50));
  EXPECT_EQ(exact.from_members, members({0, 0, 0, 0}));
  EXPECT_FALSE(exact.capital_exhausted);
}

TEST(BrokerWaterfall, SpillsIntoMembersProRataAndExhaustsCapital) {
  // 30 past capital over contributions 30, 10, 0, 20 (total 60): 15, 5, 0, 10.
  const WaterfallResult r = absorb_loss(units(200), layers());
  EXPECT_EQ(r.from_capital, units(50));
  EXPECT_TRUE(r.capital_exhausted);
  EXPECT_EQ(r.from_members, members({15, 5, 0, 10}));
  EXPECT_EQ(r.socialised, units(0));
  EXPECT_EQ(total(r), units(200));
}

TEST(BrokerWaterfall, SocialisedOnlyOnceEveryLayerIsEmpty) {
  const WaterfallResult exact = absorb_loss(units(230), layers());  // 100 + 20 + 50 + 60
  EXPECT_EQ(exact.from_members, members({30, 10, 0, 20}));
  EXPECT_EQ(exact.socialised, units(0));
  const WaterfallResult r = absorb_loss(units(231), layers());
  EXPECT_EQ(r.from_collateral, units(100));
  EXPECT_EQ(r.from_client_fund, units(20));
  EXPECT_EQ(r.from_capital, units(50));
  EXPECT_EQ(r.from_members, members({30, 10, 0, 20}));
  EXPECT_EQ(r.socialised, units(1));
  EXPECT_TRUE(r.capital_exhausted);
}

TEST(BrokerWaterfall, ZeroCapitalNeededIsExhaustion) {
  const WaterfallLayers l{units(10), units(0), units(0), members({5}), units(0)};
  EXPECT_FALSE(absorb_loss(units(10), l).capital_exhausted);
  const WaterfallResult r = absorb_loss(units(11), l);
  EXPECT_TRUE(r.capital_exhausted);
  EXPECT_EQ(r.from_members, members({1}));
}

TEST(BrokerWaterfall, NoMembersGoesStraightToSocialised) {
  const WaterfallResult r = absorb_loss(units(25), WaterfallLayers{units(5), units(5), units(5), {}, units(0)});
  EXPECT_TRUE(r.from_members.empty());
  EXPECT_EQ(r.socialised, units(10));
  EXPECT_TRUE(r.capital_exhausted);
}

TEST(BrokerWaterfall, EqualMembersShareARemainderInMemberOrder) {
  const WaterfallLayers l{units(0), units(0), units(0), members({1'000, 1'000, 1'000}), units(0)};
  EXPECT_EQ(absorb_loss(units(100), l).from_members, members({34, 33, 33}));
  EXPECT_EQ(absorb_loss(units(101), l).from_members, members({34, 34, 33}));
  EXPECT_EQ(absorb_loss(units(1), l).from_members, members({1, 0, 0}));
}

TEST(BrokerWaterfall, RemainderSkipsMembersWithoutContribution) {
  const WaterfallLayers l{units(0), units(0), units(0), members({0, 1, 1, 0, 1}), units(0)};
  EXPECT_EQ(absorb_loss(units(1), l).from_members, members({0, 1, 0, 0, 0}));
  EXPECT_EQ(absorb_loss(units(2), l).from_members, members({0, 1, 1, 0, 0}));
}

TEST(BrokerWaterfall, UnevenMembersAtWadScaleDoNotOverflow) {
  // 1e24-unit contributions (a million tokens at 18 decimals): take * contribution needs 256 bits.
  const core::i128 m = core::i128{1'000'000} * 1'000'000'000'000'000'000LL;
  const WaterfallLayers l{units(0), units(0), units(0), members({3 * m, 2 * m, m}), units(0)};
  const WaterfallResult r = absorb_loss(units(m), l);  // a sixth of the pool
  // Floors: m/2, m/3 - 1/3, m/6 - 2/3, one unit short, which goes to the first member.
  EXPECT_EQ(r.from_members, members({m / 2 + 1, m / 3, m / 6}));
  EXPECT_EQ(total(r), units(m));
}

TEST(BrokerWaterfall, RandomLossesAreFullyAccountedLayerByLayer) {
  core::Rng rng(0x5eed'0003);
  auto amount = [&](std::int64_t hi) {
    // Mix small and WAD-scale values so both the remainder and the 256-bit path are exercised.
    const core::i128 scale = rng.bernoulli(0.5) ? 1 : 1'000'000'000'000'000'000LL;
    return units(static_cast<core::i128>(rng.uniform_int(0, hi)) * scale + rng.uniform_int(0, 9));
  };
  for (int i = 0; i < 2'000; ++i) {
    WaterfallLayers l{amount(1'000), amount(100), amount(500), {}, amount(200)};
    const auto n = rng.uniform_index(6);
    core::Amount pool;
    for (std::uint64_t k = 0; k < n; ++k) {
      l.member_funds.push_back(rng.bernoulli(0.2) ? units(0) : amount(300));
      pool += l.member_funds.back();
    }
    const core::Amount loss = amount(3'000);
    const WaterfallResult r = absorb_loss(loss, l);
    ASSERT_EQ(total(r), loss) << "case " << i;
    ASSERT_EQ(r.from_members.size(), l.member_funds.size());
    EXPECT_LE(r.from_collateral, l.client_collateral);
    EXPECT_LE(r.from_client_fund, l.client_fund);
    EXPECT_LE(r.from_capital, l.broker_capital);
    core::Amount from_pool;
    for (std::size_t k = 0; k < n; ++k) {
      EXPECT_GE(r.from_members[k], units(0));
      EXPECT_LE(r.from_members[k], l.member_funds[k]);
      from_pool += r.from_members[k];
    }
    // Each layer is used only once the one above it is empty.
    if (r.from_client_fund > units(0)) {
      EXPECT_EQ(r.from_collateral, l.client_collateral);
    }
    if (r.from_capital > units(0)) {
      EXPECT_EQ(r.from_client_fund, l.client_fund);
    }
    EXPECT_LE(r.from_broker_fund, l.broker_fund);
    if (r.from_broker_fund > units(0)) {
      EXPECT_EQ(r.from_capital, l.broker_capital);
    }
    if (from_pool > units(0)) {
      EXPECT_EQ(r.from_broker_fund, l.broker_fund);
      EXPECT_EQ(r.from_capital, l.broker_capital);
    }
    if (r.socialised > units(0)) {
      EXPECT_EQ(from_pool, pool);
    }
    EXPECT_EQ(r.capital_exhausted, loss > l.client_collateral + l.client_fund + l.broker_capital);
  }
}

TEST(BrokerWaterfallDeath, NegativeLossIsAnInvariantBreach) {
  EXPECT_DEATH(absorb_loss(units(-1), layers()), "loss must be >= 0");
}

}  // namespace
}  // namespace shardsim::broker
