// Models how a synthetics operation rejects bad input: a Reject exception carrying the revert
// reason, and argument readers that reject a missing, malformed or non-positive value.
#pragma once

#include <string>
#include <string_view>

#include "protocols/api/protocol.hpp"

namespace shardsim::protocols::synthetics {

struct Reject {
  std::string reason;
};

[[noreturn]] inline void reject(std::string reason) { throw Reject{std::move(reason)}; }

// A strictly positive amount of `asset` in whole units: "missing arg KEY", "malformed arg KEY",
// "KEY must be positive".
core::Amount positive_amount_arg(const OpArgs& args, std::string_view key, const ShardContext& ctx, AssetId asset);
// A non-empty text argument: "missing arg KEY".
std::string_view text_arg(const OpArgs& args, std::string_view key);
// An account named by argument `key`: "unknown account NAME".
AccountId account_arg(const OpArgs& args, std::string_view key, const ShardContext& ctx);

}  // namespace shardsim::protocols::synthetics
