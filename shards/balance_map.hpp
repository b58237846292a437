// Models the storage behind a shard ledger: an open-addressing hash map from (account, asset)
// keys to balances, with linear probing and no erasure (a spent balance stays as zero). One cache
// line per lookup where a node-based map costs two or three.
#pragma once

#include <cstdint>
#include <vector>

#include "core/amount.hpp"

namespace shardsim::shards {

class BalanceMap {
 public:
  BalanceMap() : slots_(kInitialSlots) {}

  // The balance for `key`, created as zero if absent.
  core::Amount& at(std::uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    Slot& s = probe(slots_, key);
    if (s.key == kEmpty) {
      s.key = key;
      ++size_;
    }
    return s.value;
  }
  const core::Amount* find(std::uint64_t key) const {
    const Slot& s = probe_const(key);
    return s.key == kEmpty ? nullptr : &s.value;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmpty) f(s.key, s.value);
    }
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static constexpr std::size_t kInitialSlots = 64;
  struct Slot {
    std::uint64_t key = kEmpty;
    core::Amount value;
  };
  static std::size_t hash(std::uint64_t k) { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> 17); }
  static Slot& probe(std::vector<Slot>& slots, std::uint64_t key) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      if (slots[i].key == key || slots[i].key == kEmpty) return slots[i];
    }
  }
  const Slot& probe_const(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key || slots_[i].key == kEmpty) return slots_[i];
    }
  }
  void grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    for (const Slot& s : slots_) {
      if (s.key != kEmpty) probe(bigger, s.key) = s;
    }
    slots_.swap(bigger);
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace shardsim::shards
