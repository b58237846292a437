// Models the broker's clients as agents (issue 6): `retail` places random directional orders,
// `basis_trader` holds an offsetting long/short across two protocols at high leverage, and
// `hedger` posts spot collateral and shorts a perp against it. Each is a fiber on the broker's
// home LP with its own RNG stream; it deposits its capital on the home shard, then talks to the
// broker only through ClientRequest messages.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agents/agent_config.hpp"
#include "core/actor.hpp"
#include "core/latency.hpp"
#include "protocols/api/broker_api.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::agents {

struct ClientInstrument {
  std::uint32_t index = 0;           // the broker's instrument index
  protocols::AssetId underlying = 0;  // priced by the home oracle
  // An outcome claim (a prediction share): no underlying; it trades only while the broker quotes
  // a mark, and retail sizes it by what a share can lose (1 collateral each).
  bool claim = false;
};

struct BrokerClientConfig {
  std::string name;
  AgentKind kind = AgentKind::retail;
  core::EndpointId broker = 0;
  std::uint32_t client = 0;          // index among the broker's clients
  core::EndpointId home_shard = 0;
  protocols::AccountId account = 0;
  protocols::AccountId deposit_account = 0;
  std::vector<std::pair<protocols::AssetId, core::Amount>> capital;  // deposited at start
  std::vector<int> decimals;         // per asset
  double leverage = 1;
  core::Duration every = core::Duration::min(1);
  core::Duration time_in_force;      // sent with each order; 0 = the broker's default
  std::vector<ClientInstrument> instruments;  // retail: the pool; basis: {long, short}; hedger: {hedge}
  // Runs (agents/agent_config.hpp RunSpec): the health it watches every `health_every` (the home
  // slot) and the shard its withdrawals go to (the home shard).
  std::optional<RunSpec> run;
  core::Duration health_every = core::Duration::s(1);
  protocols::ShardId home_shard_id = 0;
  // The broker's mark of one of its instruments (USD per unit), as it quotes it to its clients;
  // nothing when it has none. Needed only for claims.
  std::function<std::optional<double>(std::uint32_t instrument)> broker_mark;
};

struct BrokerClientStats {
  std::uint64_t orders = 0, closes = 0;
  bool ran = false;
};

class BrokerClientAgent {
 public:
  using PriceReader = std::function<std::optional<double>(protocols::AssetId)>;
  // The health its broker publishes on the same LP (broker::Broker::published_health).
  using HealthReader = std::function<double()>;
  BrokerClientAgent(core::Engine& engine, core::LpId lp, BrokerClientConfig config, PriceReader price,
                    core::LatencyModel access, HealthReader health = {});
  const BrokerClientConfig& config() const { return config_; }
  const BrokerClientStats& stats() const { return stats_; }

 private:
  void run(core::Actor& self);
  void deposit(core::Actor& self);
  void order(core::Actor& self, std::size_t instrument, double qty);
  void retail_step(core::Actor& self);
  void watch_health(core::Actor& self);  // the run: agents/client_run.cpp
  double capital_usd() const;

  BrokerClientConfig config_;
  PriceReader price_;
  HealthReader health_;
  core::LatencyModel access_;
  BrokerClientStats stats_;
  std::vector<double> held_;  // per configured instrument, what it believes it holds
};

}  // namespace shardsim::agents
