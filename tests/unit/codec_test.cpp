// Tests the message codec's kind claims: a type claims its kind when first encoded, and a second
// type encoded under the same kind fails loudly instead of being decoded as the first.
#include <gtest/gtest.h>

#include <vector>

#include "core/codec.hpp"

namespace shardsim::core {
namespace {

struct FirstOwner {
  static constexpr MsgKind kKind = 990;
  std::uint64_t value = 0;
};
struct SecondOwner {
  static constexpr MsgKind kKind = 990;
  std::uint64_t other = 0;
};

TEST(MessageKinds, OneTypeMayClaimItsKindAgain) {
  std::vector<std::byte> bytes;
  encode_message(FirstOwner{7}, bytes);
  encode_message(FirstOwner{8}, bytes);
  EXPECT_TRUE(claim_message_kind(FirstOwner::kKind, typeid(FirstOwner).name()));
}

TEST(MessageKindsDeathTest, TwoTypesSharingAKindFailLoudly) {
  EXPECT_DEATH(
      {
        std::vector<std::byte> bytes;
        encode_message(FirstOwner{1}, bytes);
        encode_message(SecondOwner{2}, bytes);
      },
      "message kind 990 is claimed by");
}

}  // namespace
}  // namespace shardsim::core
