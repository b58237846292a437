// Internal to app/topology/topology_keys*.cpp: the section tables, built by area (the world,
// the protocols, the parties: brokers, agents and faults), and the helpers they share.
#pragma once

#include <string_view>
#include <vector>

#include "app/topology/topology_keys.hpp"

namespace shardsim::app::keys::tables {

using K = Kind;

inline Key req(Key k) {
  k.required = true;
  return k;
}

// Account names: letters, digits and `_ : . -`.
inline constexpr std::string_view kAccountPattern = "^[A-Za-z0-9_:.-]{1,64}$";

// The root, assets, prices, shards, links, latency, accounts, the script, workload, limits, outputs.
std::vector<Section> world_sections();
// shards[].protocols and each kind's params.
std::vector<Section> protocol_sections();
// brokers, clearing, faults and agents.
std::vector<Section> party_sections();

}  // namespace shardsim::app::keys::tables
