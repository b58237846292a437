// Models one pending event: a message addressed to an endpoint at a virtual time, ordered by the
// key (time, source LP, source sequence) so that the order never depends on thread placement.
#pragma once

#include <cstdint>

namespace shardsim::core {

using LpId = std::uint32_t;
using EndpointId = std::uint32_t;
using MsgKind = std::uint16_t;

inline constexpr int kSeqBits = 40;  // per-LP sequence numbers; source LP takes the top 24 bits
inline constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;
inline constexpr LpId kMaxLps = LpId{1} << (64 - kSeqBits);
inline constexpr std::uint16_t kInlinePayloadBytes = 8;

// 32 bytes. A payload of up to 8 bytes lives in `word`; a larger one lives in the engine's
// payload arena and `word` holds its slot.
struct Event {
  std::int64_t time_us = 0;
  std::uint64_t order = 0;  // (source LP << kSeqBits) | source sequence
  EndpointId dst = 0;
  MsgKind kind = 0;
  std::uint16_t size = 0;
  std::uint64_t word = 0;

  LpId source_lp() const { return static_cast<LpId>(order >> kSeqBits); }
  std::uint64_t source_seq() const { return order & kSeqMask; }
};
static_assert(sizeof(Event) == 32);

inline constexpr std::uint64_t make_order(LpId lp, std::uint64_t seq) {
  return (static_cast<std::uint64_t>(lp) << kSeqBits) | (seq & kSeqMask);
}

// Strict weak order on the event key; (time, order) is unique per event.
inline bool event_before(const Event& a, const Event& b) {
  if (a.time_us != b.time_us) return a.time_us < b.time_us;
  return a.order < b.order;
}

}  // namespace shardsim::core
