// Models a Chainlink-style oracle keeper for one shard: it watches the true price of each feed's
// asset and submits an update transaction when the price moved more than the deviation threshold
// or the heartbeat has passed. Oracle faults act here: `stale` stops updates, `manipulated`
// publishes a chosen value, `delayed` makes updates wait before they reach the mempool.
#pragma once

#include <cstdint>
#include <vector>

#include "agents/price_path.hpp"
#include "core/engine.hpp"
#include "core/latency.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::agents {

enum class OracleMode : std::uint8_t { normal, stale, manipulated, delayed };

struct OracleFaultWindow {
  protocols::AssetId asset = 0;
  OracleMode mode = OracleMode::stale;
  double value = 0;  // manipulated
  core::SimTime start;
  core::SimTime end;
};

struct OracleKeeperConfig {
  std::string shard_name;
  core::EndpointId shard = 0;
  protocols::AccountId account = 0;
  std::vector<protocols::AssetId> assets;
  double deviation = 0.005;
  core::Duration heartbeat = core::Duration::h(1);
  core::Duration check_every = core::Duration::s(1);
  core::Duration delayed_lag = core::Duration::min(2);  // extra wait of an update under `delayed`
  std::vector<OracleFaultWindow> faults;
  // A market price that replaces the true price where it has one (a DEX-priced feed).
  std::function<std::optional<double>(protocols::AssetId)> market;
};

class OracleKeeper {
 public:
  OracleKeeper(core::Engine& engine, core::LpId lp, OracleKeeperConfig config, const PricePath& prices,
               core::LatencyModel access);
  std::uint64_t updates_submitted() const { return updates_submitted_; }

 private:
  void run(core::Actor& self);
  OracleMode mode_at(protocols::AssetId asset, core::SimTime t, double& value) const;

  OracleKeeperConfig config_;
  const PricePath& prices_;
  core::LatencyModel access_;
  std::uint64_t updates_submitted_ = 0;
};

}  // namespace shardsim::agents
