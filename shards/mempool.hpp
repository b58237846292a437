// Models a shard's mempool: pending transactions ordered for inclusion by priority fee (highest
// first), then by arrival (earliest first). Transactions live in a slab; the heap holds keys.
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/api/tx.hpp"

namespace shardsim::shards {

struct PendingTx {
  protocols::TxRequest tx;
  std::int64_t arrived_at_us = 0;
  std::uint64_t arrival_seq = 0;
};

class Mempool {
 public:
  explicit Mempool(std::size_t capacity) : capacity_(capacity) {}
  bool full() const { return heap_.size() >= capacity_; }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  // Precondition: !full().
  void push(protocols::TxRequest tx, std::int64_t arrived_at_us);
  // Puts back a transaction taken by pop_best(), keeping its place in arrival order.
  void reinsert(PendingTx pending);
  // Removes and returns the best pending transaction. Precondition: !empty().
  PendingTx pop_best();
  // The most transactions pending at once since the last call (at least the current size); a
  // sampler reads it so that a peak between its samples still shows.
  std::size_t take_peak() {
    const std::size_t p = std::max(peak_, heap_.size());
    peak_ = heap_.size();
    return p;
  }

 private:
  struct Key {
    core::i128 fee;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct Worse {
    bool operator()(const Key& a, const Key& b) const {
      if (a.fee != b.fee) return a.fee < b.fee;
      return a.seq > b.seq;
    }
  };
  std::size_t capacity_;
  std::vector<Key> heap_;
  std::vector<PendingTx> slab_;
  std::vector<std::uint32_t> free_;
  std::uint64_t next_seq_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace shardsim::shards
