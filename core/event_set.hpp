// Models the future event list: a one-rung ladder queue. Near events sit in a small binary
// heap, the next span of time in a ring of unsorted buckets, and the far future in one unsorted
// overflow vector that is spread over a fresh ring when the current one is used up. Push and pop
// are amortised O(1) when bucket occupancy stays small, and degrade to a binary heap otherwise.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/event.hpp"

namespace shardsim::core {

class EventSet {
 public:
  void push(const Event& e);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Smallest pending event by (time, order). Precondition: !empty().
  const Event& top();
  void pop();
  // Bytes held by the structure (capacity, not size), for the memory-per-event figure.
  std::size_t capacity_bytes() const;

 private:
  static constexpr std::size_t kTargetPerBucket = 32;
  static constexpr std::size_t kMaxBuckets = std::size_t{1} << 20;
  static constexpr std::size_t kRespreadThreshold = 512;

  void refill();
  void rebuild_ring(std::vector<Event>& from, std::int64_t min_us, std::int64_t max_us);
  void heap_push(const Event& e);

  std::vector<Event> heap_;                 // min-heap of events with time < heap_limit_us_
  std::int64_t heap_limit_us_ = std::numeric_limits<std::int64_t>::min();
  std::vector<std::vector<Event>> buckets_;  // ring over [ring_start_us_, ring_end_us_)
  std::size_t bucket_count_ = 0;
  std::size_t bucket_cur_ = 0;
  std::int64_t ring_start_us_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t ring_end_us_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t width_us_ = 1;
  std::vector<Event> far_;                  // events with time >= ring_end_us_
  std::int64_t far_min_us_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t far_max_us_ = std::numeric_limits<std::int64_t>::min();
  std::vector<Event> scratch_;
  std::size_t size_ = 0;
};

}  // namespace shardsim::core
