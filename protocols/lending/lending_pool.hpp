// Models an Aave v2 style lending pool on one shard: suppliers' tokens sit in the pool's own
// account, borrowers draw against collateral valued at the shard's oracle prices, interest
// accrues into a liquidity index and a borrow index, and unhealthy positions can be liquidated.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"
#include "protocols/lending/params.hpp"
#include "protocols/lending/reserve.hpp"

namespace shardsim::protocols::lending {

class LendingPool final : public Protocol, public RiskQuery, public LendingQuery {
 public:
  // Every listed asset must exist in `registry`.
  LendingPool(const LendingParams& params, std::string name, AccountId account, const Registry& registry);

  std::string_view kind() const override { return "lending"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override { return op_list(); }
  // The operations and their argument keys, without an instance (for the topology loader).
  static std::vector<std::pair<std::string, std::vector<std::string>>> op_list();
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  void on_block(ShardContext& ctx) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  // Typed queries (pool_queries.cpp).
  ProtocolQueries queries() const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<LendingPool>(*this); }
  i128 bad_debt_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_fund_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_drawn_usd_wad(const ShardContext& ctx) const override;
  i128 socialised_usd_wad(const ShardContext& ctx) const override;
  void accounts_at_risk(const ShardContext& ctx, i128 health_below_wad, std::vector<AccountHealth>& out) const override;
  const LendingTerms& lending_terms() const override { return terms_; }
  bool balances(const ShardContext& ctx, AccountId account, std::vector<LendingBalance>& out) const override;

  // Read access for tests and reports.
  const std::vector<ReserveState>& reserves() const { return reserves_; }
  i128 close_factor_wad() const { return close_factor_wad_; }

 private:
  static constexpr std::size_t kNoReserve = static_cast<std::size_t>(-1);

  // A what-if: reserve `reserve` of the account holds these scaled amounts instead.
  struct Override {
    std::size_t reserve = kNoReserve;
    i128 scaled_supply = 0;
    i128 scaled_debt = 0;
  };

  // Operations (each returns a revert or success; they change nothing before they succeed).
  OpResult supply(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult withdraw(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult borrow(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult repay(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args);

  struct Rates {
    i128 utilization_ray = 0;
    i128 borrow_ray = 0;
    i128 supply_ray = 0;
  };

  // Brings every reserve's indices to ctx.now() and refreshes its rates.
  void accrue(ShardContext& ctx);
  // The rates of reserve r with `total_scaled_debt` outstanding and the pool's current cash.
  Rates rates_for(const ShardContext& ctx, std::size_t r, i128 total_scaled_debt) const;
  void set_rates(std::size_t r, const Rates& rates);
  // Drops the account's entry once it holds nothing.
  void forget_if_empty(AccountId who);

  // Argument readers: an empty string on success, else the revert reason.
  std::string reserve_arg(const ShardContext& ctx, const OpArgs& args, std::string_view key, std::size_t& out) const;
  // A positive amount in units of reserve r; `max_ok` also accepts `max` (sets out to -1).
  std::string amount_arg(const OpArgs& args, std::size_t r, bool max_ok, i128& out) const;

  // Which weighted collateral sums to compute (the others stay 0): borrowing needs the LTV sum,
  // health checks the threshold sum.
  enum Weigh : unsigned { kWeighLtv = 1, kWeighThreshold = 2, kWeighBoth = 3 };

  // Values one account at the oracle prices, with the stored indices or (views) the projected
  // ones `idx`; an empty string on success, else the revert reason.
  std::string value_account(const ShardContext& ctx, const Position& pos, const Override& ov, AccountValues& out,
                            unsigned weigh, const std::vector<Indices>* idx = nullptr) const;
  std::vector<Indices> indices_now(const ShardContext& ctx) const;  // projected to now, for views
  // Values `pos` with the projected indices `idx` (threshold sum); false when it cannot be valued.
  bool value_now(const ShardContext& ctx, const Position& pos, const std::vector<Indices>& idx, AccountValues& out) const;

  Position& position(AccountId who);
  const Position* find_position(AccountId who) const;

  std::string name_;
  AccountId account_;
  i128 close_factor_wad_;
  std::vector<ReserveState> reserves_;
  std::vector<std::size_t> reserve_of_asset_;  // AssetId -> reserve index, kNoReserve if not listed
  std::map<AccountId, Position> positions_;
  LendingTerms terms_;  // the configured liquidation terms, for queries
};

}  // namespace shardsim::protocols::lending
