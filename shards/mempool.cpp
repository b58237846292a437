// Fee-then-arrival ordered mempool.
#include "shards/mempool.hpp"

#include <algorithm>

namespace shardsim::shards {

void Mempool::push(protocols::TxRequest tx, std::int64_t arrived_at_us) {
  reinsert(PendingTx{std::move(tx), arrived_at_us, next_seq_++});
}

void Mempool::reinsert(PendingTx pending) {
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(slab_.size());
    slab_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  const Key key{pending.tx.priority_fee.raw(), pending.arrival_seq, slot};
  slab_[slot] = std::move(pending);
  heap_.push_back(key);
  std::push_heap(heap_.begin(), heap_.end(), Worse{});
  peak_ = std::max(peak_, heap_.size());
}

PendingTx Mempool::pop_best() {
  std::pop_heap(heap_.begin(), heap_.end(), Worse{});
  const std::uint32_t slot = heap_.back().slot;
  heap_.pop_back();
  free_.push_back(slot);
  return std::move(slab_[slot]);
}

}  // namespace shardsim::shards
