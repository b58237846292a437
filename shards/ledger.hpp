// Models a shard's token ledger: balances per (account, asset), and the per-asset accounting
// sites that every mint, burn and cross-shard flow passes through, so conservation can be
// checked to the last unit. Owned by the shard's LP.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "core/amount.hpp"
#include "core/assert.hpp"
#include "protocols/api/ids.hpp"
#include "shards/balance_map.hpp"

namespace shardsim::shards {

struct AssetFlows {
  core::Amount minted;
  core::Amount burned;
  core::Amount held;      // sum of balances, kept incrementally
  core::Amount sent_out;  // debited here into receipts
  core::Amount received;  // credited here from receipts
};

class Ledger {
 public:
  explicit Ledger(std::size_t asset_count) : flows_(asset_count) {}

  core::Amount balance(protocols::AccountId account, protocols::AssetId asset) const;
  // Moves value between accounts of this shard; false (and no change) if `from` lacks it.
  bool transfer(protocols::AccountId from, protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  // Accounting sites: the only ways value enters or leaves the shard.
  void mint(protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  bool burn(protocols::AccountId from, protocols::AssetId asset, core::Amount amount);
  bool send_out(protocols::AccountId from, protocols::AssetId asset, core::Amount amount);
  void receive_in(protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  // Exact undo of a mint or a burn (a reverted protocol operation), counters included.
  bool unmint(protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  void unburn(protocols::AccountId from, protocols::AssetId asset, core::Amount amount);

  const AssetFlows& flows(protocols::AssetId asset) const { return flows_[asset]; }
  std::size_t asset_count() const { return flows_.size(); }
  // Sum of balances recounted from scratch (the auditor's view of `held`).
  core::Amount recount_held(protocols::AssetId asset) const;
  // (account, asset, balance) for every non-zero balance, sorted: for dumps.
  std::vector<std::tuple<protocols::AccountId, protocols::AssetId, core::Amount>> sorted_balances() const;

 private:
  // 44 bits of account, 20 of asset: ids beyond those would collide, so they are refused loudly.
  static std::uint64_t key(protocols::AccountId a, protocols::AssetId s) {
    SHARDSIM_ASSERT_MSG(s < (1u << 20) && static_cast<std::uint64_t>(a) < (1ULL << 44), "ledger key: account or asset id out of range");
    return (static_cast<std::uint64_t>(a) << 20) | s;
  }
  void add(protocols::AccountId account, protocols::AssetId asset, core::Amount amount);
  bool take(protocols::AccountId account, protocols::AssetId asset, core::Amount amount);

  BalanceMap balances_;  // iterated into output only through sorted_balances()
  std::vector<AssetFlows> flows_;
};

}  // namespace shardsim::shards
