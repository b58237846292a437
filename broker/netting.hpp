// Models multilateral netting of a settlement batch (spec/clearing.md §2): each participant's
// net flow per asset is sum in - sum out, and only net amounts move. Pure; amounts are exact.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/amount.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

// `amount` units of `asset` owed by participant `from` to participant `to`. A negative amount is
// a flow the other way.
struct Flow {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  protocols::AssetId asset = 0;
  core::Amount amount;
  bool operator==(const Flow&) const = default;
};

// A participant's net receipt in one asset: > 0 receives, < 0 pays.
struct NetPosition {
  std::uint32_t participant = 0;
  protocols::AssetId asset = 0;
  core::Amount net;
  bool operator==(const NetPosition&) const = default;
};

struct NettingResult {
  std::vector<NetPosition> nets;  // sorted by (participant, asset); zero nets omitted
  // Per asset that appears in a flow (0 when fully netted):
  std::map<protocols::AssetId, core::Amount> gross;  // sum of |flow amount| (self-flows count)
  std::map<protocols::AssetId, core::Amount> net;    // sum of positive nets = what must move
};

NettingResult multilateral_net(const std::vector<Flow>& flows);

// Transfers that realise `result.nets`: per asset (ascending), payers (net < 0) and receivers
// (net > 0) are each taken in participant order and matched greedily, each transfer exhausting a
// payer or a receiver. That gives at most payers + receivers - 1 transfers per asset, each with a
// positive amount, moving exactly result.net[asset] in total. (The fewest transfers in general is
// a subset-sum problem; this bound is the practical minimum.) The nets of each asset must sum
// to 0, as multilateral_net's always do.
std::vector<Flow> settle_nets(const NettingResult& result);

}  // namespace shardsim::broker
