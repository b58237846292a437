// Models the composition root: builds a runnable world (engine, one LP per shard, links, shards,
// price path, oracle keepers, script players, workload) from a validated topology and a seed.
// The only place that names concrete types.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

#include "agents/broker_client.hpp"
#include "agents/oracle_keeper.hpp"
#include "agents/price_path.hpp"
#include "agents/protocol_agent.hpp"
#include "agents/script_player.hpp"
#include "app/ping_workload.hpp"
#include "app/topology.hpp"
#include "app/trace_sink.hpp"
#include "broker/broker.hpp"
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
  core::RunStats run();  // over the topology's duration
  // Model results for the summary: shards, cross-shard traffic, faults, workload.
  nlohmann::ordered_json results() const;
  // Exact per-asset conservation over every shard: held + in flight == minted - burned.
  ConservationReport check_conservation() const;
  // `--dump-state`: final heights, balances (exact decimal strings) and oracle values.
  nlohmann::ordered_json dump_state() const;

  const shards::Shard& shard(std::size_t i) const { return *shards_[i]; }
  const protocols::Registry& registry() const { return registry_; }
  const agents::PricePath* prices() const { return prices_.get(); }
  const broker::Broker& broker(std::size_t i) const { return *brokers_[i]; }
  std::size_t broker_count() const { return brokers_.size(); }
  // Protocol-side agents (world_agents.cpp): arbitrageurs, liquidators, LPs, searchers, and the
  // USD of swap output searchers' front-runs took from `victim` (e.g. a broker's account).
  const std::vector<std::unique_ptr<agents::ProtocolAgent>>& protocol_agents() const { return protocol_agents_; }
  double frontrun_loss_usd(protocols::AccountId victim) const;
  // Swarm audits (world_audit.cpp): every broker keeps its ledger journal from now on (call
  // before run(); an auditor replays it), and the first negative balance on any shard, described.
  void set_ledger_journals(bool on);
  std::optional<std::string> negative_balance() const;
  // Traces (world_trace.cpp): `sink` sees every message and settlement event from now on (call
  // before run(); it must outlive the run), and the names that make its ids readable.
  void attach_trace(TraceSink& sink);
  TraceNames trace_names() const;
  // report.html and timeseries.csv (world_report_data.cpp). run() samples prices, oracles, broker
  // exposure/margin/capital, bad debt and mempool depth every outputs.timeseries_every, between
  // engine runs, so sampling schedules no event and leaves the fingerprint unchanged.
  nlohmann::ordered_json report_data() const;  // the page's RUN object (see app/report_html.hpp)
  std::string timeseries_csv() const;          // header `t_s,<series names>`, one row per sample
  std::size_t sample_count() const { return sample_t_us_.size(); }

 private:
  void build_accounts();
  void build_prices();
  void build_shards();
  void build_agents();
  void build_brokers();  // world_brokers.cpp
  void build_fault_actions();  // world_fault_actions.cpp: protocol_insolvency, broker_default at their times
  void build_snapshot_feeds();
  void build_cascade_monitor();  // world_cascade.cpp
  // The pool price of an AMM on `shard` (named by an oracle `source:`), per asset of its pair.
  std::function<std::optional<double>(protocols::AssetId)> amm_price_reader(std::uint32_t shard,
                                                                            const std::string& protocol) const;
  nlohmann::ordered_json cascade_results() const;
  std::vector<std::string> broker_clients(std::size_t broker) const;
  // The last oracle value on `shard` per asset (USD), for actors placed on that shard's LP.
  std::function<std::optional<double>(protocols::AssetId)> oracle_reader(std::uint32_t shard) const;
  std::string client_agent_name(std::size_t population, std::uint32_t member) const;  // world_clients.cpp
  void build_broker_clients();
  nlohmann::ordered_json broker_results() const;
  std::optional<std::string> broker_audit() const;
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
  std::vector<std::unique_ptr<agents::ProtocolAgent>> protocol_agents_;  // world_agents.cpp
  std::vector<std::unique_ptr<agents::BrokerClientAgent>> client_agents_;
  // Cascade watch (world_cascade.cpp): per protocol in shard order, its bad debt and failure time.
  struct ProtocolWatch {
    std::string name, kind;
    double bad_debt_usd = 0;
    std::optional<std::int64_t> failed_at_us;
    std::uint64_t liquidations_seen = 0;
    std::vector<std::int64_t> liquidation_waves_us;  // samples at which new liquidations had happened
  };
  std::vector<ProtocolWatch> watches_;
  // Time series (world_report_data.cpp): one entry per series, one value per sample (nothing:
  // no value yet, such as an oracle before its first update).
  struct Series {
    std::string name, group, unit, asset;
    std::vector<std::optional<double>> values;
  };
  void define_series();
  void take_sample(core::SimTime t);
  std::vector<Series> series_;
  std::vector<std::int64_t> sample_t_us_;
  std::int64_t sample_every_us_ = 0;  // the interval run() used (outputs.timeseries_every, or wider)
};

// A drawn amount of whole units (agent capital) as raw units: at most nine decimals kept,
// negative draws count as 0.
core::Amount drawn_amount(double whole, int decimals);
core::LinkTable make_link_table(const Topology& topology);
core::LatencyModel access_latency_of(const Topology& topology, std::uint32_t shard);

}  // namespace shardsim::app
