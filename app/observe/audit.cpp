// What swarm testing checks of a world beyond its results: no negative balance on any shard.
#include "app/observe/audit.hpp"

namespace shardsim::app {

std::optional<std::string> negative_balance(const World& world) {
  const Topology& topology = world.topology();
  for (std::size_t i = 0; i < world.shard_count(); ++i) {
    const shards::Shard& s = world.shard(i);
    for (const auto& [account, asset, amount] : s.ledger().sorted_balances()) {
      if (!amount.is_negative()) continue;
      return "shard " + s.config().name + ": account " + world.registry().account_name(account) + " holds " +
             amount.str(topology.assets[asset].decimals) + " " + topology.assets[asset].symbol;
    }
  }
  return std::nullopt;
}

}  // namespace shardsim::app
