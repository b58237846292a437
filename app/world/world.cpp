// Builds the world from a topology: engine, shard LPs and shards, accounts with their opening
// balances, the true-price path, oracle keepers, script players and the ping workload.
#include "app/world/world.hpp"

#include <algorithm>

#include "agents/price_csv.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {

core::LinkTable make_link_table(const Topology& topology) {
  core::LinkTable links(static_cast<std::uint32_t>(topology.shards.size()), topology.links.default_latency);
  for (const LinkPair& p : topology.links.pairs) links.set_pair(p.from, p.to, p.latency);
  return links;
}

core::LatencyModel access_latency_of(const Topology& topology, std::uint32_t shard) {
  const ShardSpec& s = topology.shards[shard];
  return core::LatencyModel::from_spec(s.access_latency ? *s.access_latency : topology.links.access_latency);
}

World::World(const Topology& topology, std::uint64_t seed)
    : topology_(topology), seed_(seed), links_(make_link_table(topology)) {
  core::EngineConfig cfg;
  cfg.seed = seed;
  cfg.lookahead = links_.lookahead();
  cfg.limits.max_pending_events = topology.limits.max_pending_events;
  cfg.limits.max_events = topology.limits.max_events;
  cfg.limits.max_inflight_calls = topology.limits.max_inflight_calls;
  engine_ = core::make_sequential_engine(cfg);
  for (const ShardSpec& s : topology.shards) shard_lps_.push_back(engine_->add_lp("shard:" + s.id));
  build_accounts();
  build_prices();
  build_shards();
  build_agents();
  build_brokers();
  build_protocol_agents();  // world_agents.cpp
  build_fault_actions();
}

// The engine goes first: it unwinds fibers that still reference the agents and the workload.
World::~World() { engine_.reset(); }

void World::build_accounts() {
  for (const AssetSpec& a : topology_.assets) registry_.add_asset(a.symbol, a.decimals);
  for (const AccountSpec& a : topology_.accounts) registry_.intern(a.name);
  for (const ScriptEntry& e : topology_.script) {
    if (e.tx && !e.tx->to.empty()) registry_.intern(e.tx->to);
  }
  for (std::size_t b = 0; b < topology_.brokers.size(); ++b) {
    const std::string& name = topology_.brokers[b].name;
    registry_.intern("broker:" + name);
    if (topology_.clearing) registry_.intern("clearing:" + name);  // where the cycles pay it
    for (const std::string& c : broker_clients(b)) {
      registry_.intern(c);
      registry_.intern("broker:" + name + ":" + c);
    }
  }
  for (const ShardSpec& s : topology_.shards) registry_.intern("validator:" + s.id);
  for (const ShardSpec& s : topology_.shards) {
    if (s.oracles) registry_.intern("keeper:" + s.id);
  }
  for (const ShardSpec& s : topology_.shards) {
    for (const ProtocolSpec& p : s.protocols) registry_.intern("protocol:" + p.name);
  }
  intern_agent_accounts();  // world_agents.cpp
  for (const FaultSpec& f : topology_.faults) {  // where an exploit sends what it drains
    if (f.kind == FaultKind::protocol_insolvency) registry_.intern("exploiter:" + f.protocol);
  }
}

void World::build_prices() {
  if (!topology_.prices.present) return;
  // The loader has read the replay rows and checked the process (load_assets_prices.cpp).
  const PriceEvents events = price_events(topology_);
  std::vector<std::string> symbols;
  for (const AssetSpec& a : topology_.assets) symbols.push_back(a.symbol);
  prices_ = std::make_unique<agents::PricePath>(topology_.prices, symbols, seed_, topology_.duration, events.moves,
                                                topology_.price_replay, events.depegs);
}

void World::build_shards() {
  std::vector<core::EndpointId> eps;
  for (std::uint32_t i = 0; i < topology_.shards.size(); ++i) {
    shards_.push_back(std::make_unique<shards::Shard>(*engine_, shard_lps_[i], shard_config(i), links_,
                                                      registry_, seed_));
    eps.push_back(shards_.back()->endpoint());
  }
  for (std::uint32_t i = 0; i < topology_.shards.size(); ++i) {
    for (const ProtocolSpec& p : topology_.shards[i].protocols) {
      const ProtocolKind* kind = find_protocol_kind(p.kind);
      shards_[i]->add_protocol(kind->make(*p.params, p.name, *registry_.account("protocol:" + p.name), registry_));
    }
  }
  for (auto& s : shards_) {
    s->connect(eps);
    s->start();
  }
  for (const AccountSpec& a : topology_.accounts) {
    for (const auto& [asset, amount] : a.balances) {
      shards_[a.shard]->ledger().mint(*registry_.account(a.name), asset, amount);  // genesis
    }
  }
}

void World::build_agents() {
  for (std::uint32_t i = 0; i < topology_.shards.size(); ++i) {
    const ShardSpec& s = topology_.shards[i];
    if (s.oracles) {
      agents::OracleKeeperConfig k;
      k.shard_name = s.id;
      k.shard = shards_[i]->endpoint();
      k.account = *registry_.account("keeper:" + s.id);
      k.assets.assign(s.oracles->assets.begin(), s.oracles->assets.end());
      k.deviation = s.oracles->deviation;
      k.heartbeat = s.oracles->heartbeat;
      k.check_every = s.oracles->check_every;
      k.delayed_lag = s.slot * 10;
      if (!s.oracles->source.empty()) k.market = amm_price_reader(i, s.oracles->source);
      for (const FaultSpec& f : topology_.faults) {
        if (f.kind != FaultKind::oracle || f.shard != i) continue;
        const auto mode = f.mode == OracleFaultMode::stale         ? agents::OracleMode::stale
                          : f.mode == OracleFaultMode::manipulated ? agents::OracleMode::manipulated
                                                                   : agents::OracleMode::delayed;
        k.faults.push_back(agents::OracleFaultWindow{f.asset, mode, f.value, f.at, f.at + f.duration});
      }
      keepers_.push_back(std::make_unique<agents::OracleKeeper>(*engine_, shard_lps_[i], std::move(k), *prices_,
                                                                access_latency_of(topology_, i)));
    }
    std::vector<agents::ScriptedTx> txs;
    for (const ScriptEntry& e : topology_.script) {
      // A broker deposit starts as the client's own move of funds to its deposit account.
      if (e.broker && e.broker->op == BrokerOp::deposit && e.broker->shard == i) {
        const broker::BrokerConfig& b = topology_.brokers[e.broker->broker];
        protocols::TxRequest tx;
        tx.from = *registry_.account(e.broker->client);
        tx.to = *registry_.account("broker:" + b.name + ":" + e.broker->client);
        tx.op = i == b.home_shard ? protocols::TxOp::transfer : protocols::TxOp::bridge;
        tx.to_shard = b.home_shard;
        tx.asset = e.broker->asset;
        tx.amount = e.broker->amount;
        txs.push_back(agents::ScriptedTx{e.at, std::move(tx)});
      }
      if (!e.tx || e.tx->shard != i) continue;
      protocols::TxRequest tx;
      tx.from = *registry_.account(e.tx->from);
      tx.priority_fee = e.tx->priority_fee;
      if (e.tx->private_flow) tx.flags |= protocols::TxRequest::kPrivate;
      if (!e.tx->protocol.empty()) {
        tx.op = protocols::TxOp::protocol_call;
        tx.protocol = e.tx->protocol_index;
        tx.protocol_op = e.tx->op;
        for (const ScriptArg& a : e.tx->args) tx.args.push_back(protocols::TxArg{a.key, a.value});
        txs.push_back(agents::ScriptedTx{e.at, std::move(tx)});
        continue;
      }
      tx.op = e.tx->op == "bridge" ? protocols::TxOp::bridge : protocols::TxOp::transfer;
      tx.asset = e.tx->asset;
      tx.amount = e.tx->amount;
      tx.to_shard = e.tx->to_shard;
      tx.to = tx.op == protocols::TxOp::bridge ? tx.from : *registry_.account(e.tx->to);
      txs.push_back(agents::ScriptedTx{e.at, std::move(tx)});
    }
    if (!txs.empty()) {
      scripts_.push_back(std::make_unique<agents::ScriptPlayer>(*engine_, shard_lps_[i], s.id, shards_[i]->endpoint(),
                                                                std::move(txs), access_latency_of(topology_, i)));
    }
  }
  if (topology_.workload.kind == "ping") {
    ping_ = std::make_unique<PingWorkload>(*engine_, topology_, links_, shard_lps_);
  }
}

// Runs in chunks ending just after each sample time t (events at t included) and samples between
// them: the event order is the same as in one run, and the sampler adds no event.
core::RunStats World::run(core::Duration every, const std::function<void(core::SimTime)>& between) {
  const core::SimTime end = core::SimTime::zero() + topology_.duration;
  if (every.count_us() > 0 && between) {
    for (core::SimTime t = core::SimTime::zero(); t < end; t += every) {
      const core::RunStats chunk = engine_->run(t + core::Duration::us(1));
      if (chunk.interrupted) return chunk;
      between(t);
    }
  }
  const core::RunStats stats = engine_->run(end);
  if (!stats.interrupted && between) between(end);
  return stats;
}

}  // namespace shardsim::app
