// The four account operations of the lending pool: supply, withdraw, borrow and repay. Each
// validates everything, moves tokens through the shard, then commits its own books.
#include <algorithm>

#include "protocols/lending/lending_pool.hpp"

namespace shardsim::protocols::lending {

using core::Amount;

OpResult LendingPool::supply(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::size_t r = 0;
  if (std::string e = reserve_arg(ctx, args, "asset", r); !e.empty()) return OpResult::revert(std::move(e));
  i128 amount = 0;
  if (std::string e = amount_arg(args, r, false, amount); !e.empty()) return OpResult::revert(std::move(e));
  ReserveState& res = reserves_[r];
  const i128 scaled = scaled_down(amount, res.index.liquidity_ray);
  if (scaled == 0) return OpResult::revert("amount too small");
  if (!ctx.transfer(sender, account_, res.params.asset, Amount::units(amount))) {
    return OpResult::revert("insufficient balance");
  }
  const Rates rates = rates_for(ctx, r, res.total_scaled_debt);
  position(sender).scaled_supply[r] += scaled;
  res.total_scaled_supply += scaled;
  set_rates(r, rates);
  return OpResult::success();
}

OpResult LendingPool::withdraw(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::size_t r = 0;
  if (std::string e = reserve_arg(ctx, args, "asset", r); !e.empty()) return OpResult::revert(std::move(e));
  i128 amount = 0;
  if (std::string e = amount_arg(args, r, true, amount); !e.empty()) return OpResult::revert(std::move(e));
  ReserveState& res = reserves_[r];
  const Position* pos = find_position(sender);
  const i128 scaled = pos ? pos->scaled_supply[r] : 0;
  const i128 balance = supply_balance(scaled, res.index.liquidity_ray);
  if (balance == 0) return OpResult::revert("nothing supplied in " + res.symbol);
  if (amount < 0) amount = balance;
  if (amount > balance) return OpResult::revert("insufficient supply");
  const i128 removed = amount == balance ? scaled : std::min(scaled, scaled_up(amount, res.index.liquidity_ray));
  if (amount > ctx.balance(account_, res.params.asset).raw()) return OpResult::revert("insufficient liquidity");
  if (pos->has_debt()) {
    AccountValues after;
    const Override ov{r, scaled - removed, pos->scaled_debt[r]};
    if (std::string e = value_account(ctx, *pos, ov, after, kWeighThreshold); !e.empty()) {
      return OpResult::revert(std::move(e));
    }
    if (after.liquidatable()) return OpResult::revert("health factor below 1");
  }
  if (!ctx.transfer(account_, sender, res.params.asset, Amount::units(amount))) {
    return OpResult::revert("insufficient liquidity");
  }
  const Rates rates = rates_for(ctx, r, res.total_scaled_debt);
  position(sender).scaled_supply[r] -= removed;
  res.total_scaled_supply -= removed;
  set_rates(r, rates);
  forget_if_empty(sender);
  return OpResult::success();
}

OpResult LendingPool::borrow(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::size_t r = 0;
  if (std::string e = reserve_arg(ctx, args, "asset", r); !e.empty()) return OpResult::revert(std::move(e));
  i128 amount = 0;
  if (std::string e = amount_arg(args, r, false, amount); !e.empty()) return OpResult::revert(std::move(e));
  ReserveState& res = reserves_[r];
  if (amount > ctx.balance(account_, res.params.asset).raw()) return OpResult::revert("insufficient liquidity");
  const Position* pos = find_position(sender);
  if (!pos) return OpResult::revert("insufficient collateral");
  const i128 added = scaled_up(amount, res.index.borrow_ray);
  AccountValues after;
  const Override ov{r, pos->scaled_supply[r], pos->scaled_debt[r] + added};
  if (std::string e = value_account(ctx, *pos, ov, after, kWeighLtv); !e.empty()) return OpResult::revert(std::move(e));
  if (after.debt_wad > after.borrow_power_wad) return OpResult::revert("insufficient collateral");
  if (!ctx.transfer(account_, sender, res.params.asset, Amount::units(amount))) {
    return OpResult::revert("insufficient liquidity");
  }
  const Rates rates = rates_for(ctx, r, res.total_scaled_debt + added);
  position(sender).scaled_debt[r] += added;
  res.total_scaled_debt += added;
  set_rates(r, rates);
  return OpResult::success();
}

OpResult LendingPool::repay(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::size_t r = 0;
  if (std::string e = reserve_arg(ctx, args, "asset", r); !e.empty()) return OpResult::revert(std::move(e));
  i128 amount = 0;
  if (std::string e = amount_arg(args, r, true, amount); !e.empty()) return OpResult::revert(std::move(e));
  ReserveState& res = reserves_[r];
  const Position* pos = find_position(sender);
  const i128 scaled = pos ? pos->scaled_debt[r] : 0;
  const i128 debt = debt_balance(scaled, res.index.borrow_ray);
  if (debt == 0) return OpResult::revert("no debt in " + res.symbol);
  const i128 paid = amount < 0 ? debt : std::min(amount, debt);  // capped at the debt
  const i128 removed = paid == debt ? scaled : std::min(scaled, scaled_down(paid, res.index.borrow_ray));
  if (!ctx.transfer(sender, account_, res.params.asset, Amount::units(paid))) {
    return OpResult::revert("insufficient balance");
  }
  const Rates rates = rates_for(ctx, r, res.total_scaled_debt - removed);
  position(sender).scaled_debt[r] -= removed;
  res.total_scaled_debt -= removed;
  set_rates(r, rates);
  forget_if_empty(sender);
  return OpResult::success();
}

}  // namespace shardsim::protocols::lending
