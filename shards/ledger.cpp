// Ledger balances and accounting sites.
#include "shards/ledger.hpp"

#include <algorithm>

#include "core/assert.hpp"

namespace shardsim::shards {

using protocols::AccountId;
using protocols::AssetId;

core::Amount Ledger::balance(AccountId account, AssetId asset) const {
  const auto it = balances_.find(key(account, asset));
  return it == balances_.end() ? core::Amount{} : it->second;
}

void Ledger::add(AccountId account, AssetId asset, core::Amount amount) {
  SHARDSIM_ASSERT(!amount.is_negative());
  SHARDSIM_ASSERT(asset < flows_.size());
  balances_[key(account, asset)] += amount;
  flows_[asset].held += amount;
}

bool Ledger::take(AccountId account, AssetId asset, core::Amount amount) {
  SHARDSIM_ASSERT(!amount.is_negative());
  SHARDSIM_ASSERT(asset < flows_.size());
  const auto it = balances_.find(key(account, asset));
  if (it == balances_.end() || it->second < amount) return amount.is_zero();
  it->second -= amount;
  flows_[asset].held -= amount;
  if (it->second.is_zero()) balances_.erase(it);
  return true;
}

bool Ledger::transfer(AccountId from, AccountId to, AssetId asset, core::Amount amount) {
  if (!take(from, asset, amount)) return false;
  add(to, asset, amount);
  return true;
}

void Ledger::mint(AccountId to, AssetId asset, core::Amount amount) {
  add(to, asset, amount);
  flows_[asset].minted += amount;
}

bool Ledger::burn(AccountId from, AssetId asset, core::Amount amount) {
  if (!take(from, asset, amount)) return false;
  flows_[asset].burned += amount;
  return true;
}

bool Ledger::send_out(AccountId from, AssetId asset, core::Amount amount) {
  if (!take(from, asset, amount)) return false;
  flows_[asset].sent_out += amount;
  return true;
}

void Ledger::receive_in(AccountId to, AssetId asset, core::Amount amount) {
  add(to, asset, amount);
  flows_[asset].received += amount;
}

core::Amount Ledger::recount_held(AssetId asset) const {
  core::Amount sum;
  for (const auto& [k, v] : balances_) {
    if ((k & ((1u << 20) - 1)) == asset) sum += v;
  }
  return sum;
}

std::vector<std::tuple<AccountId, AssetId, core::Amount>> Ledger::sorted_balances() const {
  std::vector<std::tuple<AccountId, AssetId, core::Amount>> out;
  out.reserve(balances_.size());
  for (const auto& [k, v] : balances_) {
    out.emplace_back(static_cast<AccountId>(k >> 20), static_cast<AssetId>(k & ((1u << 20) - 1)), v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace shardsim::shards
