// The calendar-queue future event list (see event_set.hpp for the structure).
#include "core/event_set.hpp"

#include <algorithm>
#include <bit>

#include "core/assert.hpp"

namespace shardsim::core {
namespace {
struct Later {
  bool operator()(const Event& a, const Event& b) const { return event_before(b, a); }
};
constexpr std::size_t kMinBuckets = 16;
constexpr std::size_t kMaxBuckets = std::size_t{1} << 22;
constexpr std::size_t kSampleMax = 1024;

void heap_push(std::vector<Event>& h, const Event& e) {
  h.push_back(e);
  std::push_heap(h.begin(), h.end(), Later{});
}
void heap_pop(std::vector<Event>& h) {
  std::pop_heap(h.begin(), h.end(), Later{});
  h.pop_back();
}
}  // namespace

EventSet::EventSet() { rebuild(kMinBuckets); }

std::uint32_t EventSet::alloc_node(const Event& e) {
  std::uint32_t i;
  if (free_head_ != kNil) {
    i = free_head_;
    free_head_ = node(i).next;
  } else {
    if ((nodes_used_ >> kChunkShift) >= chunks_.size()) chunks_.push_back(std::make_unique<Node[]>(kChunkNodes));
    i = nodes_used_++;
    SHARDSIM_ASSERT_MSG(i != kNil, "event set node pool exhausted");
  }
  node(i).event = e;
  return i;
}

void EventSet::ring_insert(const Event& e) {
  const auto window = static_cast<std::uint64_t>((e.time_us - origin_us_) / width_us_);
  std::uint32_t& head = heads_[window & mask_];
  const std::uint32_t i = alloc_node(e);
  node(i).next = head;
  head = i;
  ++ring_count_;
}

void EventSet::push(const Event& e) {
  ++size_;
  if (e.time_us < near_limit_us_) {
    heap_push(near_, e);
  } else if (e.time_us < horizon_us_) {
    ring_insert(e);
  } else {
    heap_push(far_, e);
  }
  if (size_ > 4 * heads_.size() && heads_.size() < kMaxBuckets) rebuild(std::bit_ceil(size_ / 2));
}

const Event& EventSet::top() {
  if (near_empty()) refill();
  if (near_.empty()) return run_.back();
  if (run_.empty()) return near_.front();
  return event_before(near_.front(), run_.back()) ? near_.front() : run_.back();
}

void EventSet::pop() {
  if (near_empty()) refill();
  if (!near_.empty() && (run_.empty() || event_before(near_.front(), run_.back()))) {
    heap_pop(near_);
  } else {
    run_.pop_back();
  }
  --size_;
  ++pops_;
  if (pops_ >= std::max<std::uint64_t>(4096, heads_.size())) retune_if_needed();
}

void EventSet::refill() {
  while (near_empty()) {
    if (ring_count_ == 0) {
      if (far_.empty()) return;
      jump_to_far();
      continue;
    }
    drain_window();
  }
  std::sort(run_.begin(), run_.end(), Later{});  // descending: the smallest is at the back
}

// Moves the list of window next_window_ into the run and slides the ring by one window.
void EventSet::drain_window() {
  std::uint32_t& head = heads_[static_cast<std::uint64_t>(next_window_) & mask_];
  std::uint32_t i = head;
  head = kNil;
  std::size_t n = 0;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  while (i != kNil) {
    Node& nd = node(i);
    run_.push_back(nd.event);
    lo = std::min(lo, nd.event.time_us);
    hi = std::max(hi, nd.event.time_us);
    const std::uint32_t next = nd.next;
    nd.next = free_head_;
    free_head_ = i;
    i = next;
    ++n;
  }
  ring_count_ -= n;
  if (n == 0) {
    ++empty_windows_;
  } else if (hi > lo) {
    // Only windows holding distinct times count towards "too wide": a crowd at one timestamp
    // (every shard's block at the same slot boundary) cannot be split by narrower windows.
    ++drains_;
    drained_events_ += n;
  }
  ++next_window_;
  near_limit_us_ = window_start_us(next_window_);
  horizon_us_ += width_us_;
  migrate_far();
}

// Overflow events that the sliding horizon has reached move into the ring.
void EventSet::migrate_far() {
  while (!far_.empty() && far_.front().time_us < horizon_us_) {
    const Event e = far_.front();
    heap_pop(far_);
    if (e.time_us < near_limit_us_) {
      run_.push_back(e);  // refill() sorts
    } else {
      ring_insert(e);
    }
  }
}

// The ring is empty: skip straight to the window of the earliest overflow event.
void EventSet::jump_to_far() {
  const std::int64_t t = far_.front().time_us;
  next_window_ = (t - origin_us_) / width_us_;
  near_limit_us_ = window_start_us(next_window_);
  horizon_us_ = window_start_us(next_window_ + static_cast<std::int64_t>(heads_.size()));
  migrate_far();
}

void EventSet::retune_if_needed() {
  const bool sparse = empty_windows_ > 4 * pops_;                       // windows too narrow
  const bool crowded = width_us_ > 1 && drains_ > 0 && drained_events_ > 16 * drains_;  // too wide
  const bool short_horizon = far_.size() > size_ / 4 && far_.size() > 64; // ring too short
  const bool oversized = heads_.size() > kMinBuckets && size_ * 8 < heads_.size();
  pops_ = empty_windows_ = drains_ = drained_events_ = 0;
  if (sparse || crowded || short_horizon || oversized) {
    rebuild(std::clamp(std::bit_ceil(std::max<std::size_t>(size_ / 2, 1)), kMinBuckets, kMaxBuckets));
  }
}

// Re-sizes the ring to `buckets` windows whose width makes the horizon cover about twice the
// 90th percentile of how far ahead the pending events lie. The run and near heap stay as they are.
void EventSet::rebuild(std::size_t buckets) {
  buckets = std::clamp(buckets, kMinBuckets, kMaxBuckets);
  std::vector<Event> all;
  all.reserve(ring_count_ + far_.size());
  for (std::uint32_t& head : heads_) {
    for (std::uint32_t i = head; i != kNil;) {
      Node& nd = node(i);
      all.push_back(nd.event);
      const std::uint32_t next = nd.next;
      nd.next = free_head_;
      free_head_ = i;
      i = next;
    }
    head = kNil;
  }
  all.insert(all.end(), far_.begin(), far_.end());
  far_.clear();
  far_.shrink_to_fit();
  ring_count_ = 0;

  const std::int64_t base = near_limit_us_;
  std::int64_t q90 = 0;
  if (!all.empty()) {
    std::vector<std::int64_t> ahead;
    const std::size_t step = std::max<std::size_t>(1, all.size() / kSampleMax);
    for (std::size_t i = 0; i < all.size(); i += step) ahead.push_back(all[i].time_us - base);
    auto q = ahead.begin() + static_cast<std::ptrdiff_t>(ahead.size() * 9 / 10);
    std::nth_element(ahead.begin(), q, ahead.end());
    q90 = *q;
  }
  heads_.assign(buckets, kNil);
  mask_ = buckets - 1;
  width_us_ = std::max<std::int64_t>(1, (2 * q90 + static_cast<std::int64_t>(buckets) - 1) /
                                            static_cast<std::int64_t>(buckets));
  origin_us_ = base;
  next_window_ = 0;
  horizon_us_ = window_start_us(static_cast<std::int64_t>(buckets));
  for (const Event& e : all) {
    if (e.time_us < horizon_us_) {
      ring_insert(e);
    } else {
      heap_push(far_, e);
    }
  }
}

std::size_t EventSet::capacity_bytes() const {
  return chunks_.size() * kChunkNodes * sizeof(Node) + heads_.capacity() * sizeof(std::uint32_t) +
         (run_.capacity() + near_.capacity() + far_.capacity()) * sizeof(Event) + chunks_.capacity() * sizeof(chunks_[0]);
}

}  // namespace shardsim::core
