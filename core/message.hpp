// Models a delivered message: `Envelope` is the zero-copy view a run-to-completion handler gets,
// `Message` the owned copy an actor keeps in its mailbox. Calls and replies carry a small header
// (call id, reply-to endpoint) in front of the payload.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/codec.hpp"
#include "core/event.hpp"
#include "core/time.hpp"

namespace shardsim::core {

inline constexpr MsgKind kKindTimer = 1;   // an actor's own wake-up; payload = token
inline constexpr MsgKind kKindStart = 2;   // an actor's first run
inline constexpr MsgKind kFirstUserKind = 16;
inline constexpr MsgKind kCallFlag = 0x8000;   // the message is a call request
inline constexpr MsgKind kReplyFlag = 0x4000;  // the message is a reply to a call
inline constexpr MsgKind kKindMask = 0x3FFF;
inline constexpr std::size_t kCallHeaderBytes = 12;  // call id (8) + reply-to endpoint (4)

struct CallHeader {
  std::uint64_t call_id = 0;
  EndpointId reply_to = 0;
};

struct Envelope {
  SimTime time;
  EndpointId dst = 0;
  LpId src_lp = 0;
  MsgKind kind = 0;  // without the call/reply flags
  bool is_call = false;
  bool is_reply = false;
  CallHeader call;   // valid when is_call or is_reply
  std::span<const std::byte> payload;

  template <MessageType T>
  bool is() const { return kind == T::kKind; }
  template <MessageType T>
  T as() const { return decode_message<T>(payload); }
};

struct Message {
  SimTime time;
  EndpointId dst = 0;
  LpId src_lp = 0;
  MsgKind kind = 0;
  bool is_call = false;
  bool is_reply = false;
  CallHeader call;
  std::vector<std::byte> payload;

  template <MessageType T>
  bool is() const { return kind == T::kKind; }
  template <MessageType T>
  T as() const { return decode_message<T>(payload); }
};

}  // namespace shardsim::core
