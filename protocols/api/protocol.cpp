// Argument parsing and snapshot lookup shared by every protocol.
#include "protocols/api/protocol.hpp"

namespace shardsim::protocols {

std::optional<std::string_view> OpArgs::text(std::string_view key) const {
  for (const TxArg& a : args_) {
    if (a.key == key) return std::string_view(a.value);
  }
  return std::nullopt;
}

std::optional<core::Amount> OpArgs::amount(std::string_view key, const ShardContext& ctx, AssetId asset) const {
  const auto t = text(key);
  if (!t) return std::nullopt;
  return core::Amount::parse(*t, ctx.decimals(asset));
}

std::optional<i128> OpArgs::wad(std::string_view key) const {
  const auto t = text(key);
  if (!t) return std::nullopt;
  const auto a = core::Amount::parse(*t, 18);
  if (!a) return std::nullopt;
  return a->raw();
}

std::optional<double> ProtocolSnapshot::get(std::string_view key) const {
  for (const auto& [k, v] : values) {
    if (k == key) return v;
  }
  return std::nullopt;
}

OpResult execute(Protocol& protocol, ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  try {
    return protocol.apply(ctx, sender, op, args);
  } catch (const ArithmeticError&) {
    return OpResult::revert("arithmetic overflow");
  }
}

}  // namespace shardsim::protocols
