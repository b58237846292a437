// The oracle keeper actor: deviation and heartbeat rules, and oracle faults.
#include "agents/oracle_keeper.hpp"

#include <cmath>

#include "agents/submitter.hpp"

namespace shardsim::agents {

__int128 price_to_wad(double price) {
  // Chainlink's USD feeds carry 8 decimals; rounding there keeps binary noise off the chain.
  constexpr __int128 kFeedToWad = 10'000'000'000;  // 1e18 / 1e8
  return static_cast<__int128>(std::llround(price * 1e8)) * kFeedToWad;
}

OracleKeeper::OracleKeeper(core::Engine& engine, core::LpId lp, OracleKeeperConfig config, const PricePath& prices,
                           core::LatencyModel access)
    : config_(std::move(config)), prices_(prices), access_(std::move(access)) {
  engine.add_actor(lp, "oracle-keeper:" + config_.shard_name, [this](core::Actor& self) { run(self); },
                   core::SimTime::zero());
}

OracleMode OracleKeeper::mode_at(protocols::AssetId asset, core::SimTime t, double& value) const {
  for (const OracleFaultWindow& f : config_.faults) {
    if (f.asset == asset && f.start <= t && t < f.end) {
      value = f.value;
      return f.mode;
    }
  }
  return OracleMode::normal;
}

void OracleKeeper::run(core::Actor& self) {
  const std::size_t n = config_.assets.size();
  std::vector<double> last_price(n, 0);
  std::vector<core::SimTime> last_time(n, core::SimTime::zero());
  std::vector<bool> ever(n, false);
  for (;;) {
    const core::SimTime now = self.now();
    for (std::size_t i = 0; i < n; ++i) {
      const protocols::AssetId asset = config_.assets[i];
      double value = 0;
      const OracleMode mode = mode_at(asset, now, value);
      if (mode == OracleMode::stale) continue;
      std::optional<double> market = config_.market ? config_.market(asset) : std::nullopt;
      const double price = mode == OracleMode::manipulated ? value : market.value_or(prices_.price(asset, now));
      const bool moved = ever[i] && std::abs(price / last_price[i] - 1.0) > config_.deviation;
      const bool heartbeat = ever[i] && now - last_time[i] >= config_.heartbeat;
      if (ever[i] && !moved && !heartbeat) continue;
      protocols::TxRequest tx;
      tx.tx_id = ++updates_submitted_;
      tx.from = config_.account;
      tx.op = protocols::TxOp::oracle_update;
      tx.asset = asset;
      tx.price_wad = price_to_wad(price);
      submit_tx(self, config_.shard, access_, std::move(tx),
                mode == OracleMode::delayed ? config_.delayed_lag : core::Duration{});
      last_price[i] = price;
      last_time[i] = now;
      ever[i] = true;
    }
    self.sleep_for(config_.check_every);
  }
}

}  // namespace shardsim::agents
