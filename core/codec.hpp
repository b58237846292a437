// Models message payloads as serialisable value types: a trivially copyable struct is copied
// byte for byte; anything else provides encode(ByteWriter&) and static decode(ByteReader&).
// Every payload is therefore plain bytes, ready to cross a thread or an MPI rank unchanged.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "core/event.hpp"

namespace shardsim::core {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::byte>& out) : out_(out) {}
  void raw(const void* data, std::size_t n) {
    if (n == 0) return;
    const std::size_t old = out_.size();
    out_.resize(old + n);
    std::memcpy(out_.data() + old, data, n);
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void pod(const T& v) { raw(&v, sizeof(T)); }
  void str(std::string_view s) {
    pod(static_cast<std::uint32_t>(s.size()));
    raw(s.data(), s.size());
  }

 private:
  std::vector<std::byte>& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> in) : in_(in) {}
  void raw(void* data, std::size_t n) {
    if (n > in_.size() - pos_) throw std::out_of_range("shardsim: payload shorter than its type");
    std::memcpy(data, in_.data() + pos_, n);
    pos_ += n;
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  T pod() {
    T v;
    raw(&v, sizeof(T));
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint32_t>();
    std::string s(n, '\0');
    raw(s.data(), n);
    return s;
  }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
};

template <class T>
concept SelfCoded = requires(const T& t, ByteWriter& w, ByteReader& r) {
  t.encode(w);
  { T::decode(r) } -> std::same_as<T>;
};

// A message type names its kind: `static constexpr MsgKind kKind = ...;` Kinds below 16 are the
// kernel's; each layer takes its own range (shards 100+, protocols 200+, broker 300+, agents 400+).
template <class T>
concept MessageType = requires {
  { T::kKind } -> std::convertible_to<MsgKind>;
} && (std::is_trivially_copyable_v<T> || SelfCoded<T>);

// Claims `kind` for the type named `type`, once per type: two types sharing a kind would be
// decoded as each other, so the second claim is an invariant breach (fails loudly).
bool claim_message_kind(MsgKind kind, const char* type);

template <MessageType T>
void encode_message(const T& msg, std::vector<std::byte>& out) {
  [[maybe_unused]] static const bool claimed = claim_message_kind(T::kKind, typeid(T).name());
  ByteWriter w(out);
  if constexpr (SelfCoded<T>) {
    msg.encode(w);
  } else if constexpr (!std::is_empty_v<T>) {
    // Padding bytes are uninitialised: copied into a payload they would make the fingerprint
    // depend on memory layout. Give such a type explicit fields or an encode().
    static_assert(std::has_unique_object_representations_v<T>,
                  "a byte-copied message type must have no padding");
    w.pod(msg);
  }
}

template <MessageType T>
T decode_message(std::span<const std::byte> bytes) {
  ByteReader r(bytes);
  if constexpr (SelfCoded<T>) {
    return T::decode(r);
  } else if constexpr (std::is_empty_v<T>) {
    return T{};
  } else {
    return r.pod<T>();
  }
}

}  // namespace shardsim::core
