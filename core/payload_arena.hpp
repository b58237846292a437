// Models storage for message payloads too large to ride inline in an Event. Payloads up to 128
// bytes (every transaction, receipt and call in the models) take a fixed block from a chunked
// slab, so reaching one is a single memory access; larger ones get their own buffer. Freed
// blocks are reused last-in first-out, which keeps the hot ones in cache.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace shardsim::core {

class PayloadArena {
 public:
  static constexpr std::size_t kBlockBytes = 128;

  // Stores head followed by body; returns the slot id.
  std::uint32_t store(std::span<const std::byte> head, std::span<const std::byte> body) {
    const std::size_t n = head.size() + body.size();
    if (n <= kBlockBytes) {
      const std::uint32_t id = alloc_block();
      std::byte* p = block(id);
      if (!head.empty()) std::memcpy(p, head.data(), head.size());
      if (!body.empty()) std::memcpy(p + head.size(), body.data(), body.size());
      return id;
    }
    std::uint32_t id;
    if (large_free_.empty()) {
      id = static_cast<std::uint32_t>(large_.size());
      large_.emplace_back();
    } else {
      id = large_free_.back();
      large_free_.pop_back();
    }
    std::vector<std::byte>& s = large_[id];
    s.resize(n);
    if (!head.empty()) std::memcpy(s.data(), head.data(), head.size());
    if (!body.empty()) std::memcpy(s.data() + head.size(), body.data(), body.size());
    return id | kLargeBit;
  }
  std::span<const std::byte> get(std::uint32_t id, std::size_t size) const {
    if ((id & kLargeBit) == 0) return {block(id), size};
    return large_[id & ~kLargeBit];
  }
  // A copy of the payload (for an actor's mailbox); the slot is freed.
  std::vector<std::byte> take(std::uint32_t id, std::size_t size) {
    const std::span<const std::byte> bytes = get(id, size);
    std::vector<std::byte> out(bytes.begin(), bytes.end());
    release(id);
    return out;
  }
  void release(std::uint32_t id) {
    if ((id & kLargeBit) == 0) {
      block_free_.push_back(id);
    } else {
      large_free_.push_back(id & ~kLargeBit);
    }
  }
  std::size_t capacity_bytes() const {
    std::size_t bytes = chunks_.size() * kChunkBlocks * kBlockBytes + block_free_.capacity() * 4 +
                        large_.capacity() * sizeof(large_[0]) + large_free_.capacity() * 4;
    for (const auto& s : large_) bytes += s.capacity();
    return bytes;
  }

 private:
  static constexpr std::uint32_t kLargeBit = 0x8000'0000u;
  static constexpr std::uint32_t kChunkShift = 10;  // 1,024 blocks (128 KiB) per chunk
  static constexpr std::uint32_t kChunkBlocks = 1u << kChunkShift;
  using Block = std::array<std::byte, kBlockBytes>;

  std::byte* block(std::uint32_t id) { return chunks_[id >> kChunkShift][id & (kChunkBlocks - 1)].data(); }
  const std::byte* block(std::uint32_t id) const {
    return chunks_[id >> kChunkShift][id & (kChunkBlocks - 1)].data();
  }
  std::uint32_t alloc_block() {
    if (!block_free_.empty()) {
      const std::uint32_t id = block_free_.back();
      block_free_.pop_back();
      return id;
    }
    if ((blocks_used_ >> kChunkShift) >= chunks_.size()) chunks_.push_back(std::make_unique<Block[]>(kChunkBlocks));
    return blocks_used_++;
  }

  std::vector<std::unique_ptr<Block[]>> chunks_;
  std::uint32_t blocks_used_ = 0;
  std::vector<std::uint32_t> block_free_;
  std::vector<std::vector<std::byte>> large_;
  std::vector<std::uint32_t> large_free_;
};

}  // namespace shardsim::core
