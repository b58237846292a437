// Models the composition root: builds a runnable world (engine, one LP per shard, links, shards,
// price path, oracle keepers, script players, workload) from a validated topology and a seed.
// The only place that names concrete types.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <vector>

#include "agents/broker_client.hpp"
#include "agents/oracle_keeper.hpp"
#include "agents/price_path.hpp"
#include "agents/protocol_agent.hpp"
#include "agents/script_player.hpp"
#include "app/world/ping_workload.hpp"
#include "app/topology/topology.hpp"
#include "broker/broker.hpp"
#include "broker/obligations.hpp"
#include "core/engine.hpp"
#include "core/latency.hpp"
#include "protocols/api/registry.hpp"
#include "shards/shard.hpp"

namespace shardsim::app {

struct ConservationReport {
  bool ok = true;
  std::string breach;  // the first failing asset and its numbers, when !ok
  nlohmann::ordered_json json;
};

class World {
 public:
  World(const Topology& topology, std::uint64_t seed);
  ~World();

  core::Engine& engine() { return *engine_; }
  // The run fingerprint (world_digest.cpp): the engine's (every event and every outcome a shard
  // witnessed, per LP) combined with final_state_digest(). Every printed fingerprint is this one.
  std::uint64_t fingerprint() const;
  // Canonical digest of the state now: every shard's height, balances (by account, asset), flows
  // and oracles, every protocol's state, every broker's ledger, positions and hedges. Exact integers.
  std::uint64_t final_state_digest() const;
  core::Duration lookahead() const { return links_.lookahead(); }
  const Topology& topology() const { return topology_; }
  std::uint64_t seed() const { return seed_; }
  // Runs the engine to the topology's end; with `every` > 0, `between(t)` is called at t = 0,
  // every, 2·every, ... and at the end, between engine runs (it schedules no event, so whatever
  // it does leaves the fingerprint unchanged).
  core::RunStats run(core::Duration every = core::Duration::us(0),
                     const std::function<void(core::SimTime)>& between = {});
  // Model results for the summary: shards, cross-shard traffic, faults, workload, brokers, agents.
  nlohmann::ordered_json results() const;
  // What looks wrong at the end of the run (summary `warnings`): a stablecoin feed far off its peg.
  nlohmann::ordered_json end_warnings() const;
  // Exact per-asset conservation over every shard: held + in flight == minted - burned.
  ConservationReport check_conservation() const;
  // `--dump-state`: final heights, balances (exact decimal strings) and oracle values.
  nlohmann::ordered_json dump_state() const;

  std::size_t shard_count() const { return shards_.size(); }
  const shards::Shard& shard(std::size_t i) const { return *shards_[i]; }
  shards::Shard& shard(std::size_t i) { return *shards_[i]; }
  core::LpId shard_lp(std::size_t i) const { return shard_lps_[i]; }
  const protocols::Registry& registry() const { return registry_; }
  const agents::PricePath* prices() const { return prices_.get(); }
  const broker::Broker& broker(std::size_t i) const { return *brokers_[i]; }
  broker::Broker& broker(std::size_t i) { return *brokers_[i]; }
  std::size_t broker_count() const { return brokers_.size(); }
  // Protocol-side agents (world_agents.cpp): arbitrageurs, liquidators, LPs, searchers, and the
  // USD of swap output searchers *planned* to take from `victim` before their front-runs (their
  // own estimate; the measured loss is app/observe's FrontrunMonitor).
  const std::vector<std::unique_ptr<agents::ProtocolAgent>>& protocol_agents() const { return protocol_agents_; }
  double planned_frontrun_loss_usd(protocols::AccountId victim) const;
  // Every broker keeps its ledger journal from now on (call before run(); an auditor replays it).
  void set_ledger_journals(bool on);
  // The last oracle value on `shard` per asset (USD), for actors placed on that shard's LP.
  std::function<std::optional<double>(protocols::AssetId)> oracle_reader(std::uint32_t shard) const;

 private:
  void build_accounts();
  void build_prices();
  void build_shards();
  void build_agents();
  void build_brokers();  // world_brokers.cpp
  struct BrokerMenu {
    std::vector<broker::Instrument> instruments;
    std::vector<broker::Venue> venues;
    std::vector<std::size_t> venue_instrument;  // per venue: its instrument's index
  };
  BrokerMenu broker_menu();
  void add_broker(std::size_t b, const BrokerMenu& menu);
  void deliver_script_requests();
  // The clearing cycles between brokers (world_clearing.cpp), when the topology has `clearing:`.
  void build_clearing_house();
  void connect_brokers();  // world_brokers.cpp: peers and counterparties (broker/interbroker.hpp)
  void start_clearing();
  core::Duration clearing_delay(std::uint32_t shard) const;  // between the house and a broker's home
  nlohmann::ordered_json clearing_results() const;
  void digest_clearing(core::StateDigest& d) const;
  void build_fault_actions();  // world_fault_actions.cpp: protocol_insolvency, broker_default at their times
  void build_snapshot_feeds();
  // The pool price of an AMM on `shard` (named by an oracle `source:`), per asset of its pair.
  std::function<std::optional<double>(protocols::AssetId)> amm_price_reader(std::uint32_t shard,
                                                                            const std::string& protocol) const;
  std::vector<std::string> broker_clients(std::size_t broker) const;
  std::string client_agent_name(std::size_t population, std::uint32_t member) const;  // world_clients.cpp
  void build_broker_clients();
  nlohmann::ordered_json broker_results() const;
  std::optional<std::string> broker_audit() const;
  // An issuing broker's genesis stake at the protocol it issues, and the check that its books
  // agree with that protocol's shard (world_issuer.cpp).
  void stake_issuer_genesis(const broker::BrokerConfig& cfg, protocols::AccountId account);
  std::optional<std::string> issuer_audit(const broker::Broker& br) const;
  std::optional<std::string> pledge_audit(const broker::Broker& br) const;  // world_brokers.cpp
  std::optional<protocols::i128> held_on_chain(const broker::Broker& br, const broker::Venue& v) const;
  shards::ShardConfig shard_config(std::uint32_t index) const;
  // Protocol-side agents (world_agents.cpp).
  void intern_agent_accounts();
  void build_protocol_agents();
  nlohmann::ordered_json agent_results() const;

  const Topology& topology_;
  std::uint64_t seed_;
  core::LinkTable links_;
  std::unique_ptr<core::Engine> engine_;
  protocols::Registry registry_;
  std::vector<core::LpId> shard_lps_;
  std::vector<std::unique_ptr<shards::Shard>> shards_;
  std::unique_ptr<agents::PricePath> prices_;
  std::vector<std::unique_ptr<agents::OracleKeeper>> keepers_;
  std::vector<std::unique_ptr<agents::ScriptPlayer>> scripts_;
  std::unique_ptr<PingWorkload> ping_;
  // Brokers and what they borrow: their settings (with vol filled in), the instrument
  // descriptors they revalue with, and the snapshot feeds.
  std::vector<std::unique_ptr<broker::BrokerConfig>> broker_configs_;
  std::vector<std::unique_ptr<protocols::InstrumentDescriptor>> descriptors_;
  std::vector<std::unique_ptr<broker::Broker>> brokers_;
  std::vector<std::vector<std::optional<protocols::i128>>> venue_genesis_;  // per broker, venue: held on chain at build
  std::vector<std::unique_ptr<agents::ProtocolAgent>> protocol_agents_;  // world_agents.cpp
  std::vector<std::unique_ptr<agents::BrokerClientAgent>> client_agents_;
  std::unique_ptr<broker::ClearingHouse> clearing_;  // world_clearing.cpp
  std::uint32_t clearing_shard_ = 0;                 // where the house runs: the first broker's home
  // Measured on the chain: per shard, transfers and bridges into a broker's clearing account that
  // were included, and their amounts per asset.
  struct ClearingOnChain {
    std::uint64_t transfers = 0;
    std::map<protocols::AssetId, core::Amount> amount;
  };
  std::vector<ClearingOnChain> clearing_chain_;
};

// A drawn amount of whole units (agent capital) as raw units: at most nine decimals kept,
// negative draws count as 0.
core::Amount drawn_amount(double whole, int decimals);
core::LinkTable make_link_table(const Topology& topology);
core::LatencyModel access_latency_of(const Topology& topology, std::uint32_t shard);

}  // namespace shardsim::app
