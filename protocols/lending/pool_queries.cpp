// The lending pool's typed queries: bad debt, borrowers at risk with their health factor, the
// configured liquidation terms, and one account's balances, all exact and projected to now.
#include "protocols/lending/lending_pool.hpp"

namespace shardsim::protocols::lending {

ProtocolQueries LendingPool::queries() const {
  ProtocolQueries q;
  q.risk = this;
  q.lending = this;
  return q;
}

bool LendingPool::value_now(const ShardContext& ctx, const Position& pos, const std::vector<Indices>& idx,
                            AccountValues& out) const {
  try {
    return value_account(ctx, pos, Override{}, out, kWeighThreshold, &idx).empty();
  } catch (const ArithmeticError&) {
    return false;
  }
}

i128 LendingPool::bad_debt_usd_wad(const ShardContext& ctx) const {
  const std::vector<Indices> idx = indices_now(ctx);
  i128 sum = 0;
  for (const auto& [who, pos] : positions_) {
    AccountValues v;
    if (pos.has_debt() && value_now(ctx, pos, idx, v) && v.debt_wad > v.collateral_wad) {
      sum += v.debt_wad - v.collateral_wad;
    }
  }
  return sum;
}

void LendingPool::accounts_at_risk(const ShardContext& ctx, i128 health_below_wad,
                                   std::vector<AccountHealth>& out) const {
  if (positions_.empty()) return;
  const std::vector<Indices> idx = indices_now(ctx);
  for (const auto& [who, pos] : positions_) {
    AccountValues v;
    if (!pos.has_debt() || !value_now(ctx, pos, idx, v) || v.debt_wad == 0) continue;
    const i128 health = health_ratio_wad(v.threshold_wad, v.debt_wad);
    if (!v.liquidatable() && !(health < health_below_wad)) continue;
    out.push_back(AccountHealth{who, HealthMeasure::health_factor, health, v.liquidatable()});
  }
}

bool LendingPool::balances(const ShardContext& ctx, AccountId account, std::vector<LendingBalance>& out) const {
  out.clear();
  const Position* pos = find_position(account);
  if (pos == nullptr) return false;
  const std::int64_t now_us = ctx.now().count_us();
  out.reserve(reserves_.size());
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    const ReserveState& res = reserves_[r];
    Indices ix = res.index;
    if (pos->scaled_supply[r] != 0 || pos->scaled_debt[r] != 0) {
      try {
        ix = indices_at(res, now_us);
      } catch (const ArithmeticError&) {
        // beyond 128 bits: the stored indices, as state() shows them
      }
    }
    out.push_back(LendingBalance{res.params.asset, supply_balance(pos->scaled_supply[r], ix.liquidity_ray),
                                 debt_balance(pos->scaled_debt[r], ix.borrow_ray)});
  }
  return true;
}

// No insurance fund, nothing socialised: bad debt stays a loss of the pool's suppliers.
i128 LendingPool::insurance_fund_usd_wad(const ShardContext&) const { return 0; }
i128 LendingPool::insurance_drawn_usd_wad(const ShardContext&) const { return 0; }
i128 LendingPool::socialised_usd_wad(const ShardContext&) const { return 0; }

}  // namespace shardsim::protocols::lending
