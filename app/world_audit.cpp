// What swarm testing asks of a world beyond its results: every broker's ledger journal switched
// on (the auditor recomputes the ledgers from it), and the no-negative-balance check over every
// shard's ledger.
#include "app/world.hpp"

namespace shardsim::app {

void World::set_ledger_journals(bool on) {
  for (auto& br : brokers_) br->set_ledger_journal(on);
}

std::optional<std::string> World::negative_balance() const {
  for (const auto& s : shards_) {
    for (const auto& [account, asset, amount] : s->ledger().sorted_balances()) {
      if (!amount.is_negative()) continue;
      return "shard " + s->config().name + ": account " + registry_.account_name(account) + " holds " +
             amount.str(topology_.assets[asset].decimals) + " " + topology_.assets[asset].symbol;
    }
  }
  return std::nullopt;
}

}  // namespace shardsim::app
