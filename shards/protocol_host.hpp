// Models what a hosted protocol sees of its shard during one operation: the ledger, the oracle
// values included so far, the world's names, and the clock. Ledger changes are journalled so a
// revert can undo them exactly, whatever the protocol did before it failed.
#pragma once

#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"
#include "shards/ledger.hpp"

namespace shardsim::shards {

struct OracleValue;

class ProtocolHost final : public protocols::ShardContext {
 public:
  ProtocolHost(Ledger& ledger, const std::vector<OracleValue>& oracles, const protocols::Registry& registry)
      : ledger_(ledger), oracles_(oracles), registry_(registry) {}

  void begin(core::SimTime now, std::uint64_t height) {
    now_ = now;
    height_ = height;
    journal_.clear();
  }
  void rollback();  // undoes every ledger change since begin()

  core::SimTime now() const override { return now_; }
  std::uint64_t block_height() const override { return height_; }
  core::Amount balance(protocols::AccountId account, protocols::AssetId asset) const override {
    return ledger_.balance(account, asset);
  }
  bool transfer(protocols::AccountId from, protocols::AccountId to, protocols::AssetId asset,
                core::Amount amount) override;
  void mint(protocols::AccountId to, protocols::AssetId asset, core::Amount amount) override;
  bool burn(protocols::AccountId from, protocols::AssetId asset, core::Amount amount) override;
  std::optional<protocols::i128> oracle_price_wad(protocols::AssetId asset) const override;
  std::optional<protocols::AssetId> asset(std::string_view symbol) const override { return registry_.asset(symbol); }
  const std::string& asset_symbol(protocols::AssetId asset) const override { return registry_.asset_symbol(asset); }
  int decimals(protocols::AssetId asset) const override { return registry_.decimals(asset); }
  std::optional<protocols::AccountId> account(std::string_view name) const override { return registry_.account(name); }
  const std::string& account_name(protocols::AccountId account) const override {
    return registry_.account_name(account);
  }

 private:
  enum class Op : std::uint8_t { transfer, mint, burn };
  struct Entry {
    Op op;
    protocols::AccountId a;
    protocols::AccountId b;
    protocols::AssetId asset;
    core::Amount amount;
  };

  Ledger& ledger_;
  const std::vector<OracleValue>& oracles_;
  const protocols::Registry& registry_;
  core::SimTime now_;
  std::uint64_t height_ = 0;
  std::vector<Entry> journal_;
};

}  // namespace shardsim::shards
