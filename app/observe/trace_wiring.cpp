// Wires a trace sink to a world: the engine's message observer, every shard's transaction,
// receipt and call observers, and every broker's event hook. Observers only read: attaching a
// sink never changes the run or its fingerprint.
#include "app/observe/trace_wiring.hpp"

namespace shardsim::app {

void attach_trace(World& world, TraceSink& sink) {
  TraceSink* s = &sink;
  world.engine().add_message_observer([s](const core::Envelope& env) { s->on_message(env); });
  for (std::uint32_t i = 0; i < world.shard_count(); ++i) {
    shards::Shard* shard = &world.shard(i);
    shard->observe_txs([s, i](const protocols::TxRequest& tx, protocols::TxStatus st, std::uint64_t height) {
      s->on_tx_included(i, tx, st, height);
    });
    shard->observe_lost_txs([s, i](const protocols::TxRequest& tx, std::optional<protocols::TxStatus> st) {
      s->on_tx_lost(i, tx, st);
    });
    shard->observe_receipts([s, i](const protocols::Receipt& r, core::SimTime) { s->on_receipt(i, r); });
    shard->observe_calls([s, i](const protocols::Receipt& r, const protocols::CrossCall& c, protocols::TxStatus st,
                                     const std::vector<protocols::TxOutput>& out) { s->on_call(i, r, c, st, out); });
  }
  for (std::size_t b = 0; b < world.broker_count(); ++b) {
    world.broker(b).observe([s, b](const broker::BrokerEvent& e) { s->on_broker(b, e); });
  }
}

TraceNames trace_names(World& world) {
  const Topology& topology = world.topology();
  TraceNames n;
  n.engine = &world.engine();
  for (const ShardSpec& sh : topology.shards) n.shards.push_back(sh.id);
  for (std::uint32_t i = 0; i < world.shard_count(); ++i) {
    n.protocols.emplace_back();
    for (const auto& p : world.shard(i).protocols()) n.protocols.back().push_back(p->name());
    const core::LpId lp = world.shard_lp(i);
    if (n.lp_shard.size() <= lp) n.lp_shard.resize(lp + 1, 0);
    n.lp_shard[lp] = i;
  }
  for (const AssetSpec& a : topology.assets) {
    n.asset_symbols.push_back(a.symbol);
    n.asset_decimals.push_back(a.decimals);
  }
  for (std::size_t b = 0; b < world.broker_count(); ++b) {
    n.brokers.push_back(world.broker(b).config().name);
    n.broker_homes.push_back(world.broker(b).config().home_shard);
  }
  n.registry = &world.registry();
  return n;
}

}  // namespace shardsim::app
