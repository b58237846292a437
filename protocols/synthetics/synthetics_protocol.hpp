// Models a Synthetix v2 style synthetics protocol: stakers lock collateral, issue sUSD against
// a global debt pool through debt shares, exchange synths at oracle prices for a fee paid into a
// fee pool, and are flagged and then liquidated when their c-ratio falls below the threshold.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/synthetics/synthetics_config.hpp"

namespace shardsim::protocols::synthetics {

struct Staker {
  core::Amount collateral;                 // collateral units held by the protocol for them
  i128 shares = 0;                         // debt shares (WAD)
  std::optional<core::SimTime> flagged_at;  // set by `flag`, cleared when the target is restored
  i128 fee_checkpoint = 0;                 // fees_per_share when its fees were last settled
  i128 fees_owed = 0;                      // sUSD units settled to it and not yet claimed
};

// The configured terms as the api publishes them (synthetics_queries.cpp).
SyntheticsTerms terms_of(const Config& cfg);

class SyntheticsProtocol final : public Protocol, public RiskQuery, public SyntheticsQuery {
 public:
  // Throws std::invalid_argument when config.validate() fails.
  SyntheticsProtocol(Config config, std::string name, AccountId account);

  std::string_view kind() const override { return "synthetics"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  // op -> argument keys: the one list, shared with the loader.
  static std::vector<std::pair<std::string, std::vector<std::string>>> op_list();
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override { return op_list(); }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  // Typed queries (synthetics_queries.cpp).
  ProtocolQueries queries() const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<SyntheticsProtocol>(*this); }
  i128 bad_debt_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_fund_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_drawn_usd_wad(const ShardContext& ctx) const override;
  i128 socialised_usd_wad(const ShardContext& ctx) const override;
  void accounts_at_risk(const ShardContext& ctx, i128 health_below_wad, std::vector<AccountHealth>& out) const override;
  const SyntheticsTerms& synthetics_terms() const override { return terms_; }
  core::Amount synth_supply(AssetId synth) const override;
  std::optional<StakerView> staker(const ShardContext& ctx, AccountId account) const override;

  // Read-only views for tests, reports and the broker.
  const Config& config() const { return cfg_; }
  core::Amount supply(std::size_t synth) const { return supply_[synth]; }
  core::Amount fee_pool() const { return fee_pool_; }
  core::Amount reserve() const { return reserve_; }
  // sUSD units `staker` could claim now (settled and accrued), rounded down.
  i128 claimable_fees(AccountId staker) const;
  i128 total_shares() const { return total_shares_; }
  const std::map<AccountId, Staker>& stakers() const { return stakers_; }
  // Sum of supply * price over synths (WAD USD), or nothing when a price is missing (or on overflow).
  std::optional<i128> total_debt_wad(const ShardContext& ctx) const;
  // The staker's debt (WAD USD), or nothing when a price is missing.
  std::optional<i128> debt_wad(const ShardContext& ctx, AccountId staker) const;

 private:
  // Prices: the oracle value of `asset`, rejecting (revert) when absent or not positive.
  i128 oracle_price(const ShardContext& ctx, AssetId asset) const;
  i128 synth_price(const ShardContext& ctx, std::size_t synth) const;
  i128 total_debt(const ShardContext& ctx) const;  // rejects on a missing price
  i128 collateral_value(const ShardContext& ctx, core::Amount collateral) const;
  std::optional<i128> collateral_price_now(const ShardContext& ctx) const;  // nothing unless positive
  std::optional<std::size_t> synth_index(const ShardContext& ctx, std::string_view symbol) const;
  static const Staker& no_staker();
  const Staker& staker_or_empty(AccountId who) const;
  void store_staker(AccountId who, const Staker& s);  // erases an empty record

  // Operations (staking_ops.cpp, exchange_op.cpp, liquidation_ops.cpp). Each validates fully
  // (rejecting by exception) before it changes this object's state.
  void stake(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void unstake(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void issue(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void burn(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void exchange(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void flag(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // Fee pool and backstop reserve (issuer_ops.cpp).
  OpResult claim_fees(ShardContext& ctx, AccountId sender);
  void fund_reserve(ShardContext& ctx, AccountId sender, const OpArgs& args);
  void accrue_fees(i128 fee_units);     // an exchange's fee, shared over the debt shares
  void settle_fees(Staker& s) const;    // moves what `s` accrued into its fees_owed
  // The reserve's USD value (WAD): at the oracle, or 1 USD per unit without a feed.
  std::optional<i128> reserve_value_wad(const ShardContext& ctx) const;
  // True when the staker (priced at this moment) is back at or under the issuance ratio.
  bool target_restored(const ShardContext& ctx, const Staker& s) const;

  Config cfg_;
  SyntheticsTerms terms_;  // cfg_ as the queries publish it
  std::string name_;
  AccountId account_;
  std::vector<core::Amount> supply_;  // per synth, everything this protocol minted minus burned
  core::Amount fee_pool_;             // sUSD fees held in account()
  i128 total_shares_ = 0;
  i128 fees_per_share_ = 0;   // sUSD units per debt share, scaled by kFeeScale, ever accrued
  core::Amount reserve_;      // backstop reserve units held in account()
  std::map<AccountId, Staker> stakers_;
};

}  // namespace shardsim::protocols::synthetics
