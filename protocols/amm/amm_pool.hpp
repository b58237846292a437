// Models a Uniswap v2 constant-product pool of two assets: add and remove liquidity (LP shares
// are internal balances, 18 decimals, 1000 units locked by the first deposit) and exact-input
// swaps with a fractional fee. Pooled tokens sit in the protocol's own ledger account.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocols/amm/amm_math.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::protocols::amm {

inline constexpr int kLpDecimals = 18;

struct AmmConfig {
  AssetId asset_a = 0;
  AssetId asset_b = 1;
  FeeFraction fee;  // default 0.3% = 3/1000
};

class AmmPool final : public Protocol, public PoolQuery {
 public:
  AmmPool(std::string name, AccountId account, AmmConfig config);

  // op -> argument keys (add_liquidity, remove_liquidity, swap): shared with the loader.
  static std::vector<std::pair<std::string, std::vector<std::string>>> op_list();

  std::string_view kind() const override { return "amm"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override { return op_list(); }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  // Spot of each side of the pair, bought with the other (amm_venue.cpp).
  HedgeVenues hedge_venues(const ShardContext& ctx) const override;
  // Typed queries (amm_queries.cpp).
  ProtocolQueries queries() const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<AmmPool>(*this); }
  // Every operation moves the pool's reserves.
  std::optional<std::string> lock_object(std::string_view, const OpArgs&) const override { return std::string(); }
  PoolView pool_view() const override;
  i128 lp_balance(AccountId holder) const override;

  // Read access (raw units) for tests and reports.
  const AmmConfig& config() const { return config_; }
  i128 reserve_a_units() const { return reserve_a_units_; }
  i128 reserve_b_units() const { return reserve_b_units_; }
  i128 lp_supply_units() const { return lp_supply_units_; }  // includes the locked 1000
  i128 lp_balance_units(AccountId holder) const;
  const std::map<AccountId, i128>& lp_balances() const { return lp_balances_; }

 private:
  OpResult add_liquidity(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult remove_liquidity(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult transfer_lp(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult swap(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // Absorbs tokens sent straight to the pool account into the reserves (Uniswap's sync()).
  void sync(const ShardContext& ctx);

  std::string name_;
  AccountId account_;
  AmmConfig config_;
  i128 reserve_a_units_ = 0;
  i128 reserve_b_units_ = 0;
  i128 lp_supply_units_ = 0;
  std::map<AccountId, i128> lp_balances_;  // holders with a non-zero balance
};

}  // namespace shardsim::protocols::amm
