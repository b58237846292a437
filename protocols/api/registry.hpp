// Models the world's names: assets (symbol, decimals) and accounts, with dense ids fixed at build
// time. Shared read-only by every LP once the world is built.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/api/ids.hpp"

namespace shardsim::protocols {

class Registry {
 public:
  AssetId add_asset(std::string symbol, int decimals) {
    asset_symbols_.push_back(std::move(symbol));
    asset_decimals_.push_back(decimals);
    return static_cast<AssetId>(asset_symbols_.size() - 1);
  }
  // The id of `name`, created on first mention (build time only).
  AccountId intern(const std::string& name) {
    const auto [it, added] = account_ids_.try_emplace(name, static_cast<AccountId>(account_names_.size()));
    if (added) account_names_.push_back(name);
    return it->second;
  }

  std::size_t asset_count() const { return asset_symbols_.size(); }
  const std::string& asset_symbol(AssetId a) const { return asset_symbols_[a]; }
  int decimals(AssetId a) const { return asset_decimals_[a]; }
  std::optional<AssetId> asset(std::string_view symbol) const {
    for (std::size_t i = 0; i < asset_symbols_.size(); ++i) {
      if (asset_symbols_[i] == symbol) return static_cast<AssetId>(i);
    }
    return std::nullopt;
  }
  std::size_t account_count() const { return account_names_.size(); }
  const std::string& account_name(AccountId a) const { return account_names_[a]; }
  std::optional<AccountId> account(std::string_view name) const {
    const auto it = account_ids_.find(std::string(name));
    if (it == account_ids_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::vector<std::string> asset_symbols_;
  std::vector<int> asset_decimals_;
  std::vector<std::string> account_names_;
  std::map<std::string, AccountId> account_ids_;
};

}  // namespace shardsim::protocols
