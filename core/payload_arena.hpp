// Models storage for message payloads too large to ride inline in an Event: numbered byte
// buffers that are recycled (with their capacity) once the message is delivered.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace shardsim::core {

class PayloadArena {
 public:
  std::uint32_t store(std::span<const std::byte> head, std::span<const std::byte> body) {
    std::uint32_t id;
    if (free_.empty()) {
      id = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      id = free_.back();
      free_.pop_back();
    }
    std::vector<std::byte>& s = slots_[id];
    s.assign(head.begin(), head.end());
    s.insert(s.end(), body.begin(), body.end());
    return id;
  }
  std::span<const std::byte> get(std::uint32_t id) const { return slots_[id]; }
  // Hands the buffer itself to the caller (an actor's mailbox) and frees the slot.
  std::vector<std::byte> take(std::uint32_t id) {
    std::vector<std::byte> out;
    out.swap(slots_[id]);
    free_.push_back(id);
    return out;
  }
  void release(std::uint32_t id) { free_.push_back(id); }
  std::size_t live() const { return slots_.size() - free_.size(); }
  std::size_t capacity_bytes() const {
    std::size_t bytes = slots_.capacity() * sizeof(slots_[0]) + free_.capacity() * sizeof(free_[0]);
    for (const auto& s : slots_) bytes += s.capacity();
    return bytes;
  }

 private:
  std::vector<std::vector<std::byte>> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace shardsim::core
