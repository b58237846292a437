// The journalled shard context for hosted protocols.
#include "shards/protocol_host.hpp"

#include "core/assert.hpp"
#include "shards/shard.hpp"

namespace shardsim::shards {

bool ProtocolHost::transfer(protocols::AccountId from, protocols::AccountId to, protocols::AssetId asset,
                            core::Amount amount) {
  if (amount.is_negative() || !ledger_.transfer(from, to, asset, amount)) return false;
  journal_.push_back(Entry{Op::transfer, from, to, asset, amount});
  return true;
}

void ProtocolHost::mint(protocols::AccountId to, protocols::AssetId asset, core::Amount amount) {
  SHARDSIM_ASSERT(!amount.is_negative());
  ledger_.mint(to, asset, amount);
  journal_.push_back(Entry{Op::mint, to, to, asset, amount});
}

bool ProtocolHost::burn(protocols::AccountId from, protocols::AssetId asset, core::Amount amount) {
  if (amount.is_negative() || !ledger_.burn(from, asset, amount)) return false;
  journal_.push_back(Entry{Op::burn, from, from, asset, amount});
  return true;
}

void ProtocolHost::rollback() {
  for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
    switch (it->op) {
      case Op::transfer:
        SHARDSIM_ASSERT(ledger_.transfer(it->b, it->a, it->asset, it->amount));
        break;
      case Op::mint:
        SHARDSIM_ASSERT(ledger_.unmint(it->a, it->asset, it->amount));
        break;
      case Op::burn:
        ledger_.unburn(it->a, it->asset, it->amount);
        break;
    }
  }
  journal_.clear();
}

std::optional<protocols::i128> ProtocolHost::oracle_price_wad(protocols::AssetId asset) const {
  if (asset >= oracles_.size() || oracles_[asset].round == 0) return std::nullopt;
  return oracles_[asset].price_wad;
}

}  // namespace shardsim::shards
