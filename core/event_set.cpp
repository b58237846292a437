// The ladder-queue future event list (see event_set.hpp for the structure).
#include "core/event_set.hpp"

#include <algorithm>

namespace shardsim::core {
namespace {
struct Later {
  bool operator()(const Event& a, const Event& b) const { return event_before(b, a); }
};
}  // namespace

void EventSet::heap_push(const Event& e) {
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

void EventSet::push(const Event& e) {
  ++size_;
  if (e.time_us < heap_limit_us_) {
    heap_push(e);
  } else if (e.time_us < ring_end_us_) {
    const auto idx = static_cast<std::size_t>((e.time_us - ring_start_us_) / width_us_);
    buckets_[idx].push_back(e);
  } else {
    far_.push_back(e);
    far_min_us_ = std::min(far_min_us_, e.time_us);
    far_max_us_ = std::max(far_max_us_, e.time_us);
  }
}

const Event& EventSet::top() {
  if (heap_.empty()) refill();
  return heap_.front();
}

void EventSet::pop() {
  if (heap_.empty()) refill();
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  heap_.pop_back();
  --size_;
}

void EventSet::refill() {
  while (heap_.empty()) {
    while (bucket_cur_ < bucket_count_ && buckets_[bucket_cur_].empty()) ++bucket_cur_;
    if (bucket_cur_ < bucket_count_) {
      std::vector<Event>& bucket = buckets_[bucket_cur_];
      const std::int64_t bucket_end_us = ring_start_us_ + static_cast<std::int64_t>(bucket_cur_ + 1) * width_us_;
      if (bucket.size() > kRespreadThreshold && width_us_ > 1) {
        // Crowded bucket: the rest of the ring goes back to the overflow, and this bucket alone
        // becomes a finer ring ending where it ended.
        for (std::size_t i = bucket_cur_ + 1; i < bucket_count_; ++i) {
          for (const Event& e : buckets_[i]) {
            far_.push_back(e);
            far_min_us_ = std::min(far_min_us_, e.time_us);
            far_max_us_ = std::max(far_max_us_, e.time_us);
          }
          buckets_[i].clear();
        }
        scratch_.swap(bucket);
        std::int64_t lo = scratch_.front().time_us, hi = lo;
        for (const Event& e : scratch_) {
          lo = std::min(lo, e.time_us);
          hi = std::max(hi, e.time_us);
        }
        rebuild_ring(scratch_, lo, hi);
        ring_end_us_ = std::min(ring_end_us_, far_min_us_);  // the overflow must stay beyond the ring
        continue;
      }
      heap_.swap(bucket);
      std::make_heap(heap_.begin(), heap_.end(), Later{});
      ++bucket_cur_;
      heap_limit_us_ = bucket_end_us;
      return;
    }
    if (far_.empty()) return;
    scratch_.swap(far_);
    const std::int64_t lo = far_min_us_, hi = far_max_us_;
    far_min_us_ = std::numeric_limits<std::int64_t>::max();
    far_max_us_ = std::numeric_limits<std::int64_t>::min();
    rebuild_ring(scratch_, lo, hi);
  }
}

// Spreads `from` (all times in [min_us, max_us]) over a fresh ring, then empties `from`.
void EventSet::rebuild_ring(std::vector<Event>& from, std::int64_t min_us, std::int64_t max_us) {
  const std::size_t n = from.size();
  std::size_t count = std::clamp<std::size_t>(n / kTargetPerBucket, 1, kMaxBuckets);
  const __int128 span = static_cast<__int128>(max_us) - min_us + 1;
  __int128 width = (span + static_cast<__int128>(count) - 1) / static_cast<__int128>(count);
  if (width < 1) width = 1;
  if (width > std::numeric_limits<std::int64_t>::max() / 4) width = std::numeric_limits<std::int64_t>::max() / 4;
  width_us_ = static_cast<std::int64_t>(width);
  count = static_cast<std::size_t>((span + width - 1) / width);
  if (buckets_.size() < count) buckets_.resize(count);
  for (std::size_t i = 0; i < count; ++i) buckets_[i].clear();
  bucket_count_ = count;
  bucket_cur_ = 0;
  ring_start_us_ = min_us;
  const __int128 end = static_cast<__int128>(min_us) + static_cast<__int128>(count) * width_us_;
  ring_end_us_ = end > std::numeric_limits<std::int64_t>::max() ? std::numeric_limits<std::int64_t>::max()
                                                                  : static_cast<std::int64_t>(end);
  heap_limit_us_ = min_us;
  for (const Event& e : from) {
    buckets_[static_cast<std::size_t>((e.time_us - min_us) / width_us_)].push_back(e);
  }
  from.clear();
}

std::size_t EventSet::capacity_bytes() const {
  std::size_t bytes = (heap_.capacity() + far_.capacity() + scratch_.capacity()) * sizeof(Event);
  bytes += buckets_.capacity() * sizeof(std::vector<Event>);
  for (const auto& b : buckets_) bytes += b.capacity() * sizeof(Event);
  return bytes;
}

}  // namespace shardsim::core
