// Wires a trace sink to a world: the engine's message observer, every shard's transaction,
// receipt and call observers, and every broker's event hook. Observers only read: attaching a
// sink never changes the run or its fingerprint.
#include "app/world.hpp"

namespace shardsim::app {

void World::attach_trace(TraceSink& sink) {
  TraceSink* s = &sink;
  engine_->add_message_observer([s](const core::Envelope& env) { s->on_message(env); });
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    shards_[i]->observe_txs([s, i](const protocols::TxRequest& tx, protocols::TxStatus st, std::uint64_t height) {
      s->on_tx_included(i, tx, st, height);
    });
    shards_[i]->observe_lost_txs([s, i](const protocols::TxRequest& tx, std::optional<protocols::TxStatus> st) {
      s->on_tx_lost(i, tx, st);
    });
    shards_[i]->observe_receipts([s, i](const protocols::Receipt& r, core::SimTime) { s->on_receipt(i, r); });
    shards_[i]->observe_calls([s, i](const protocols::Receipt& r, const protocols::CrossCall& c, protocols::TxStatus st,
                                     const std::vector<protocols::TxArg>& out) { s->on_call(i, r, c, st, out); });
  }
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    brokers_[b]->observe([s, b](const broker::BrokerEvent& e) { s->on_broker(b, e); });
  }
}

TraceNames World::trace_names() const {
  TraceNames n;
  n.engine = engine_.get();
  for (const ShardSpec& sh : topology_.shards) n.shards.push_back(sh.id);
  for (const auto& sh : shards_) {
    n.protocols.emplace_back();
    for (const auto& p : sh->protocols()) n.protocols.back().push_back(p->name());
  }
  for (std::uint32_t i = 0; i < shard_lps_.size(); ++i) {
    if (n.lp_shard.size() <= shard_lps_[i]) n.lp_shard.resize(shard_lps_[i] + 1, 0);
    n.lp_shard[shard_lps_[i]] = i;
  }
  for (const AssetSpec& a : topology_.assets) {
    n.asset_symbols.push_back(a.symbol);
    n.asset_decimals.push_back(a.decimals);
  }
  for (const auto& br : brokers_) {
    n.brokers.push_back(br->config().name);
    n.broker_homes.push_back(br->config().home_shard);
  }
  n.registry = &registry_;
  return n;
}

}  // namespace shardsim::app
