// Models the identifiers every layer above the kernel shares: accounts, assets and shards are
// small dense integers assigned by the world builder in topology order.
#pragma once

#include <cstdint>
#include <limits>

#include "core/event.hpp"

namespace shardsim::protocols {

using AccountId = std::uint32_t;
using AssetId = std::uint32_t;
using ShardId = std::uint32_t;

inline constexpr core::EndpointId kNoEndpoint = std::numeric_limits<core::EndpointId>::max();

}  // namespace shardsim::protocols
