// Tests core/event_set: strict (time, source LP, source sequence) order, ties included, against a
// reference sort, across ring rebuilds, crowded buckets and far outliers.
#include "core/event_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/rng.hpp"

namespace shardsim::core {
namespace {

Event ev(std::int64_t t, LpId lp, std::uint64_t seq) {
  Event e;
  e.time_us = t;
  e.order = make_order(lp, seq);
  return e;
}

TEST(EventSet, TiesBreakBySourceLpThenSequence) {
  EventSet s;
  s.push(ev(5, 2, 0));
  s.push(ev(5, 1, 7));
  s.push(ev(5, 1, 3));
  s.push(ev(4, 9, 9));
  std::vector<std::pair<LpId, std::uint64_t>> got;
  while (!s.empty()) {
    got.emplace_back(s.top().source_lp(), s.top().source_seq());
    s.pop();
  }
  const std::vector<std::pair<LpId, std::uint64_t>> want{{9, 9}, {1, 3}, {1, 7}, {2, 0}};
  EXPECT_EQ(got, want);
}

// Hold model: pop the minimum, push a successor later; the popped sequence must be sorted and
// identical to what a reference multiset would give.
void hold_against_reference(std::uint64_t seed, std::size_t population, int steps, bool spiky) {
  Rng rng(seed);
  EventSet s;
  std::vector<Event> ref;
  std::uint64_t seq = 0;
  auto make = [&](std::int64_t now) {
    std::int64_t dt = static_cast<std::int64_t>(rng.exponential(1000.0));
    if (spiky && rng.bernoulli(0.01)) dt += 3'600'000'000;  // an occasional event an hour out
    if (rng.bernoulli(0.2)) dt = 0;                         // many exact ties
    return ev(now + dt, static_cast<LpId>(rng.uniform_index(4)), seq++);
  };
  for (std::size_t i = 0; i < population; ++i) {
    Event e = make(0);
    s.push(e);
    ref.push_back(e);
  }
  auto later = [](const Event& a, const Event& b) { return event_before(b, a); };
  std::make_heap(ref.begin(), ref.end(), later);
  for (int i = 0; i < steps; ++i) {
    ASSERT_EQ(s.size(), ref.size());
    const Event got = s.top();
    std::pop_heap(ref.begin(), ref.end(), later);
    const Event want = ref.back();
    ref.pop_back();
    ASSERT_EQ(got.time_us, want.time_us) << "step " << i;
    ASSERT_EQ(got.order, want.order) << "step " << i;
    s.pop();
    Event next = make(got.time_us);
    s.push(next);
    ref.push_back(next);
    std::push_heap(ref.begin(), ref.end(), later);
  }
}

TEST(EventSet, MatchesReferenceSmall) { hold_against_reference(1, 10, 20'000, false); }
TEST(EventSet, MatchesReferenceLarge) { hold_against_reference(2, 20'000, 200'000, false); }
TEST(EventSet, MatchesReferenceWithFarOutliers) { hold_against_reference(3, 5'000, 100'000, true); }

TEST(EventSet, CrowdedBucketIsRespreadInOrder) {
  EventSet s;
  std::uint64_t seq = 0;
  // One far event fixes a wide ring; thousands of near events crowd its first bucket.
  s.push(ev(1'000'000'000, 0, seq++));
  for (int i = 0; i < 5000; ++i) s.push(ev(5000 - i, 1, seq++));
  s.top();  // builds the ring
  for (int i = 0; i < 5000; ++i) s.push(ev(2 * i + 1, 2, seq++));
  std::int64_t last = -1;
  std::size_t n = 0;
  while (!s.empty()) {
    EXPECT_LE(last, s.top().time_us);
    last = s.top().time_us;
    s.pop();
    ++n;
  }
  EXPECT_EQ(n, 10'001u);
  EXPECT_EQ(last, 1'000'000'000);
}

TEST(EventSet, PushBelowRingStartAfterRebuild) {
  EventSet s;
  s.push(ev(100, 0, 0));
  s.push(ev(200, 0, 1));
  EXPECT_EQ(s.top().time_us, 100);
  s.pop();
  s.push(ev(150, 0, 2));  // between now and the rest of the ring
  s.push(ev(100, 0, 3));  // at now
  EXPECT_EQ(s.top().time_us, 100);
  s.pop();
  EXPECT_EQ(s.top().time_us, 150);
  s.pop();
  EXPECT_EQ(s.top().time_us, 200);
  s.pop();
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace shardsim::core
