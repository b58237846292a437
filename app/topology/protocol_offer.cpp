// What a protocol offers brokers over a run: listed instruments and venues, then those the
// script's operations on it would add, in script order, each id once.
#include "app/topology/protocol_offer.hpp"

#include <algorithm>

#include "protocols/api/hedge_venue.hpp"

namespace shardsim::app {

bool ProtocolOffer::cleared() const {
  // A spot venue's own holding (`uni.ETH`, `dark.ETH`) is cleared even where the protocol lists none.
  return std::any_of(instruments.begin(), instruments.end(), [](const auto& d) { return d.cleared(); }) ||
         std::any_of(venues.begin(), venues.end(), [](const auto& v) { return v->own_instrument().has_value(); });
}

ProtocolOffer protocol_offer(const protocols::Protocol& protocol, const protocols::ShardContext& ctx,
                             const Topology& topology, std::uint32_t shard, std::uint32_t protocol_index) {
  ProtocolOffer out{protocol.instruments(ctx), protocol.hedge_venues(ctx)};
  for (const ScriptEntry& e : topology.script) {
    if (!e.tx || e.tx->protocol.empty() || e.tx->shard != shard || e.tx->protocol_index != protocol_index) continue;
    std::vector<protocols::TxArg> args;
    for (const ScriptArg& a : e.tx->args) args.push_back(protocols::TxArg{a.key, a.value});
    const protocols::OpArgs op_args(args);
    for (protocols::InstrumentDescriptor& d : protocol.instruments_added_by(ctx, e.tx->op, op_args)) {
      const bool known = std::any_of(out.instruments.begin(), out.instruments.end(), [&](const auto& x) { return x.id == d.id; });
      if (!known) out.instruments.push_back(std::move(d));
    }
    for (auto& v : protocol.hedge_venues_added_by(ctx, e.tx->op, op_args)) {
      const bool known = std::any_of(out.venues.begin(), out.venues.end(),
                                     [&](const auto& x) { return x->market().instrument == v->market().instrument; });
      if (!known) out.venues.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace shardsim::app
