// Builds the clearing cycles between brokers (broker/obligations.hpp) when the topology has
// `clearing:`: the house on the first broker's home LP, its members, and the chain-side count of
// what the cycles actually moved (included transfers and bridges into the brokers' clearing
// accounts), for the summary and the fingerprint.
#include <algorithm>

#include "app/world/world.hpp"

namespace shardsim::app {

core::Duration World::clearing_delay(std::uint32_t shard) const {
  if (shard == clearing_shard_) return core::kMinDelay;
  return std::max(links_.get(shard, clearing_shard_).mean_estimate(), engine_->lookahead());
}

void World::build_clearing_house() {
  if (!topology_.clearing) return;
  clearing_shard_ = topology_.brokers.front().home_shard;
  // For the report only: the house shard's oracle, else the price process's initial price.
  const auto oracle = oracle_reader(clearing_shard_);
  auto usd = [this, oracle](protocols::AssetId asset, core::Amount amount) {
    double price = 0;
    if (const auto p = oracle(asset)) {
      price = *p;
    } else {
      for (const PriceAssetSpec& p : topology_.prices.assets) {
        if (p.asset == asset) price = p.initial;
      }
    }
    return amount.to_double(topology_.assets[asset].decimals) * price;
  };
  clearing_ = std::make_unique<broker::ClearingHouse>(*engine_, shard_lps_[clearing_shard_], *topology_.clearing, usd);
}

void World::start_clearing() {
  if (!clearing_) return;
  std::vector<broker::ClearingMember> members;
  std::vector<protocols::AccountId> accounts;
  for (const auto& br : brokers_) {
    const std::uint32_t home = br->config().home_shard;
    const protocols::AccountId account = *registry_.account("clearing:" + br->config().name);
    members.push_back(broker::ClearingMember{br->config().name, br->endpoint(), account, home, clearing_delay(home)});
    accounts.push_back(account);
  }
  clearing_->set_members(std::move(members));
  clearing_chain_.resize(shards_.size());
  for (std::uint32_t i = 0; i < shards_.size(); ++i) {
    ClearingOnChain* count = &clearing_chain_[i];
    shards_[i]->observe_txs([count, accounts](const protocols::TxRequest& tx, protocols::TxStatus st, std::uint64_t) {
      if (st != protocols::TxStatus::ok) return;
      if (tx.op != protocols::TxOp::transfer && tx.op != protocols::TxOp::bridge) return;
      if (std::find(accounts.begin(), accounts.end(), tx.to) == accounts.end()) return;
      ++count->transfers;
      count->amount[tx.asset] += tx.amount;
    });
  }
  clearing_->start();
}

nlohmann::ordered_json World::clearing_results() const {
  nlohmann::ordered_json j = clearing_->report();
  std::uint64_t transfers = 0;
  std::map<protocols::AssetId, core::Amount> amount;
  for (const ClearingOnChain& c : clearing_chain_) {
    transfers += c.transfers;
    for (const auto& [a, x] : c.amount) amount[a] += x;
  }
  nlohmann::ordered_json by_asset = nlohmann::ordered_json::object();
  for (const auto& [a, x] : amount) by_asset[topology_.assets[a].symbol] = x.str(topology_.assets[a].decimals);
  // What the chain executed, whatever was planned: the transfers included and their amounts.
  j["onchain"] = {{"transfers", transfers}, {"amount", by_asset}};
  return j;
}

void World::digest_clearing(core::StateDigest& d) const {
  if (!clearing_) return;
  clearing_->digest(d);
  for (const ClearingOnChain& c : clearing_chain_) {
    d.u64(c.transfers);
    for (const auto& [a, x] : c.amount) {
      d.u64(a);
      d.amount(x);
    }
  }
}

}  // namespace shardsim::app
