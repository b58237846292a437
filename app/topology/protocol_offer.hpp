// Models what one built protocol offers a broker over a whole run: the instruments and hedge
// venues it lists now, plus those its script operations would add (a prediction market created
// at 1m lists its outcome shares from then on), each id once. The loader's instrument checks and
// the world's broker menus both use it, so they agree on what is cleared.
#pragma once

#include <cstdint>
#include <vector>

#include "app/topology/topology.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::app {

struct ProtocolOffer {
  std::vector<protocols::InstrumentDescriptor> instruments;
  protocols::HedgeVenues venues;
  bool cleared() const;  // some instrument a broker clears (price deltas or an outcome claim)
};

ProtocolOffer protocol_offer(const protocols::Protocol& protocol, const protocols::ShardContext& ctx,
                             const Topology& topology, std::uint32_t shard, std::uint32_t protocol_index);

}  // namespace shardsim::app
