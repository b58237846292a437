// The default final-state digest of a protocol: its exact-decimal state() dump, walked in order.
#include "core/assert.hpp"
#include "core/state_digest.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::protocols {
namespace {

// Every JSON value with a type tag; object keys in the dump's own (insertion) order.
void digest_json(core::StateDigest& d, const nlohmann::ordered_json& j) {
  using T = nlohmann::ordered_json::value_t;
  d.u64(static_cast<std::uint64_t>(j.type()));
  switch (j.type()) {
    case T::object:
      d.u64(j.size());
      for (const auto& [key, value] : j.items()) {
        d.str(key);
        digest_json(d, value);
      }
      return;
    case T::array:
      d.u64(j.size());
      for (const auto& value : j) digest_json(d, value);
      return;
    case T::string:
      d.str(j.get_ref<const std::string&>());
      return;
    case T::boolean:
      d.boolean(j.get<bool>());
      return;
    case T::number_integer:
      d.i64(j.get<std::int64_t>());
      return;
    case T::number_unsigned:
      d.u64(j.get<std::uint64_t>());
      return;
    case T::null:
      return;
    default:
      SHARDSIM_ASSERT_MSG(false, "a protocol's state() holds a floating-point number: override Protocol::digest");
  }
}

}  // namespace

void Protocol::digest(core::StateDigest& d, const ShardContext& ctx) const { digest_json(d, state(ctx)); }

}  // namespace shardsim::protocols
