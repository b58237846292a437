// Models the future event list as a calendar queue (Brown 1988) with a sliding ring: events in
// the next B windows of W microseconds sit unsorted in per-window linked lists; the window being
// drained is sorted once into a run (cheap even when thousands of events share one timestamp, as
// synchronised slots make them), with a small heap for events pushed into it meanwhile; events
// beyond the ring's horizon wait in an overflow heap.
// B and W are re-tuned from the pending events when the population or the time spread changes.
// Push and pop are amortised O(1); a pending event costs 40 bytes of node plus a little ring.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "core/event.hpp"

namespace shardsim::core {

class EventSet {
 public:
  EventSet();
  void push(const Event& e);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Smallest pending event by (time, order). Precondition: !empty().
  const Event& top();
  void pop();
  // Bytes held by the structure (capacity, not size), for the memory-per-event figure.
  std::size_t capacity_bytes() const;

 private:
  struct Node {
    Event event;
    std::uint32_t next;
  };
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kChunkShift = 12;  // 4096 nodes per chunk
  static constexpr std::uint32_t kChunkNodes = 1u << kChunkShift;

  Node& node(std::uint32_t i) { return chunks_[i >> kChunkShift][i & (kChunkNodes - 1)]; }
  std::uint32_t alloc_node(const Event& e);
  void ring_insert(const Event& e);
  void refill();
  void drain_window();
  void migrate_far();
  void jump_to_far();
  void retune_if_needed();
  void rebuild(std::size_t buckets);
  // Saturates, so a ring near the end of representable time stays well defined.
  std::int64_t window_start_us(std::int64_t window) const {
    const __int128 t = static_cast<__int128>(origin_us_) + static_cast<__int128>(window) * width_us_;
    return t > std::numeric_limits<std::int64_t>::max() ? std::numeric_limits<std::int64_t>::max()
                                                          : static_cast<std::int64_t>(t);
  }

  // Node pool in fixed chunks, so growth never doubles the footprint.
  std::vector<std::unique_ptr<Node[]>> chunks_;
  std::uint32_t nodes_used_ = 0;
  std::uint32_t free_head_ = kNil;

  // Events with time < near_limit_us_: a sorted run (smallest at the back) plus a min-heap of
  // events pushed after the run was sorted.
  std::vector<Event> run_;
  std::vector<Event> near_;
  bool near_empty() const { return run_.empty() && near_.empty(); }
  std::int64_t near_limit_us_ = 0;
  std::vector<std::uint32_t> heads_;  // ring: bucket (window & mask_) -> list of nodes
  std::uint64_t mask_ = 0;
  std::int64_t origin_us_ = 0;
  std::int64_t width_us_ = 1;
  std::int64_t next_window_ = 0;  // first window not yet drained into near_
  std::int64_t horizon_us_ = 0;   // end of the ring: window_start(next_window_ + buckets)
  std::size_t ring_count_ = 0;
  std::vector<Event> far_;  // min-heap: events with time >= horizon_us_

  std::size_t size_ = 0;
  // Tuning counters since the last check.
  std::uint64_t pops_ = 0;
  std::uint64_t empty_windows_ = 0;
  std::uint64_t drains_ = 0;
  std::uint64_t drained_events_ = 0;
};

}  // namespace shardsim::core
