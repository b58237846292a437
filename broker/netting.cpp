// Models multilateral netting of a settlement batch (see netting.hpp): nets per participant and
// asset, gross and net notionals, and the greedy transfers that realise the nets.
#include "broker/netting.hpp"

#include <utility>

#include "core/assert.hpp"

namespace shardsim::broker {

NettingResult multilateral_net(const std::vector<Flow>& flows) {
  NettingResult r;
  std::map<std::pair<std::uint32_t, protocols::AssetId>, core::Amount> nets;
  for (const Flow& f : flows) {
    r.gross[f.asset] += f.amount.is_negative() ? -f.amount : f.amount;
    if (f.from == f.to) continue;
    nets[{f.from, f.asset}] -= f.amount;
    nets[{f.to, f.asset}] += f.amount;
  }
  for (const auto& [asset, gross] : r.gross) r.net[asset] = core::Amount{};
  r.nets.reserve(nets.size());
  for (const auto& [key, net] : nets) {
    if (net.is_zero()) continue;
    r.nets.push_back(NetPosition{key.first, key.second, net});
    if (!net.is_negative()) r.net[key.second] += net;
  }
  return r;
}

std::vector<Flow> settle_nets(const NettingResult& result) {
  // Payers and receivers per asset, in participant order (result.nets is sorted by participant).
  struct Sides {
    std::vector<std::pair<std::uint32_t, core::Amount>> payers, receivers;  // magnitudes
  };
  std::map<protocols::AssetId, Sides> by_asset;
  for (const NetPosition& n : result.nets) {
    if (n.net.is_zero()) continue;
    Sides& s = by_asset[n.asset];
    if (n.net.is_negative()) s.payers.emplace_back(n.participant, -n.net);
    else s.receivers.emplace_back(n.participant, n.net);
  }
  std::vector<Flow> out;
  for (auto& [asset, s] : by_asset) {
    std::size_t i = 0, j = 0;
    while (i < s.payers.size() && j < s.receivers.size()) {
      auto& [payer, owes] = s.payers[i];
      auto& [receiver, due] = s.receivers[j];
      const core::Amount x = owes < due ? owes : due;
      out.push_back(Flow{payer, receiver, asset, x});
      owes -= x;
      due -= x;
      if (owes.is_zero()) ++i;
      if (due.is_zero()) ++j;
    }
    SHARDSIM_ASSERT_MSG(i == s.payers.size(), "nets of an asset must sum to 0");
    SHARDSIM_ASSERT_MSG(j == s.receivers.size(), "nets of an asset must sum to 0");
  }
  return out;
}

}  // namespace shardsim::broker
