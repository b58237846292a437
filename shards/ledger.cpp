// Ledger balances and accounting sites.
#include "shards/ledger.hpp"

#include <algorithm>

#include "core/assert.hpp"

namespace shardsim::shards {

using protocols::AccountId;
using protocols::AssetId;

core::Amount Ledger::balance(AccountId account, AssetId asset) const {
  const core::Amount* b = balances_.find(key(account, asset));
  return b == nullptr ? core::Amount{} : *b;
}

void Ledger::add(AccountId account, AssetId asset, core::Amount amount) {
  SHARDSIM_ASSERT(!amount.is_negative());
  SHARDSIM_ASSERT(asset < flows_.size());
  balances_.at(key(account, asset)) += amount;
  flows_[asset].held += amount;
}

bool Ledger::take(AccountId account, AssetId asset, core::Amount amount) {
  SHARDSIM_ASSERT(!amount.is_negative());
  SHARDSIM_ASSERT(asset < flows_.size());
  if (amount.is_zero()) return true;
  core::Amount& b = balances_.at(key(account, asset));
  if (b < amount) return false;
  b -= amount;
  flows_[asset].held -= amount;
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

bool Ledger::unmint(AccountId to, AssetId asset, core::Amount amount) {
  if (!take(to, asset, amount)) return false;
  flows_[asset].minted -= amount;
  return true;
}

void Ledger::unburn(AccountId from, AssetId asset, core::Amount amount) {
  add(from, asset, amount);
  flows_[asset].burned -= amount;
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
  balances_.for_each([&](std::uint64_t k, const core::Amount& v) {
    if ((k & ((1u << 20) - 1)) == asset) sum += v;
  });
  return sum;
}

std::vector<std::tuple<AccountId, AssetId, core::Amount>> Ledger::sorted_balances() const {
  std::vector<std::tuple<AccountId, AssetId, core::Amount>> out;
  balances_.for_each([&](std::uint64_t k, const core::Amount& v) {
    if (!v.is_zero()) out.emplace_back(static_cast<AccountId>(k >> 20), static_cast<AssetId>(k & ((1u << 20) - 1)), v);
  });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace shardsim::shards
