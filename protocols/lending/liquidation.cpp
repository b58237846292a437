// Models Aave v2 liquidation: when a borrower's health factor is below 1, a liquidator repays up
// to the close factor of one debt and receives collateral worth the repaid value times the
// bonus, as tokens paid out of the pool (capped at the borrower's whole collateral balance).
#include <algorithm>

#include "protocols/lending/lending_pool.hpp"

namespace shardsim::protocols::lending {
namespace {

using core::Amount;

// Collateral units worth `repaid` debt units: repaid * factor * unit_c / (p_coll * unit_d),
// where `factor` is the debt price times the bonus (WAD). Rounds down.
i128 collateral_for(i128 repaid, i128 factor_wad, i128 p_coll_wad, i128 unit_d, i128 unit_c) {
  if (unit_c >= unit_d) return mul_div(mul_div(repaid, unit_c / unit_d, 1), factor_wad, p_coll_wad, Round::down);
  return mul_div(repaid, factor_wad, mul_div(p_coll_wad, unit_d / unit_c, 1), Round::down);
}

// The inverse: debt units needed to seize `seized` collateral units. Rounds up.
i128 debt_for(i128 seized, i128 factor_wad, i128 p_coll_wad, i128 unit_d, i128 unit_c) {
  if (unit_d >= unit_c) return mul_div(mul_div(seized, unit_d / unit_c, 1), p_coll_wad, factor_wad, Round::up);
  return mul_div(seized, p_coll_wad, mul_div(factor_wad, unit_c / unit_d, 1), Round::up);
}

}  // namespace

OpResult LendingPool::liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const auto borrower_name = args.text("borrower");
  if (!borrower_name) return OpResult::revert("missing arg borrower");
  const auto borrower = ctx.account(*borrower_name);
  if (!borrower) return OpResult::revert("unknown account " + std::string(*borrower_name));
  std::size_t dr = 0;
  std::size_t cr = 0;
  if (std::string e = reserve_arg(ctx, args, "debt_asset", dr); !e.empty()) return OpResult::revert(std::move(e));
  if (std::string e = reserve_arg(ctx, args, "collateral_asset", cr); !e.empty()) {
    return OpResult::revert(std::move(e));
  }
  i128 amount = 0;  // `max`: as much as the close factor allows
  if (std::string e = amount_arg(args, dr, true, amount); !e.empty()) return OpResult::revert(std::move(e));

  const Position* pos = find_position(*borrower);
  if (!pos || !pos->has_debt()) return OpResult::revert("health factor not below 1");
  AccountValues values;
  if (std::string e = value_account(ctx, *pos, Override{}, values, kWeighThreshold); !e.empty())
    return OpResult::revert(std::move(e));
  if (!values.liquidatable()) return OpResult::revert("health factor not below 1");

  const ReserveState& debt_res = reserves_[dr];
  const ReserveState& coll_res = reserves_[cr];
  const i128 scaled_debt = pos->scaled_debt[dr];
  const i128 debt = debt_balance(scaled_debt, debt_res.index.borrow_ray);
  if (debt == 0) return OpResult::revert("borrower has no debt in " + debt_res.symbol);
  const i128 scaled_coll = pos->scaled_supply[cr];
  const i128 coll = supply_balance(scaled_coll, coll_res.index.liquidity_ray);
  if (coll == 0) return OpResult::revert("borrower has no collateral in " + coll_res.symbol);

  const i128 max_repay = std::min(debt, wad_mul(debt, close_factor_wad_, Round::up));
  i128 repaid = amount < 0 ? max_repay : std::min(amount, max_repay);
  const auto p_debt = ctx.oracle_price_wad(debt_res.params.asset);
  const auto p_coll = ctx.oracle_price_wad(coll_res.params.asset);
  if (!p_debt) return OpResult::revert("no oracle price for " + debt_res.symbol);
  if (!p_coll) return OpResult::revert("no oracle price for " + coll_res.symbol);
  if (*p_coll <= 0) return OpResult::revert("collateral price is zero");
  const i128 factor = wad_mul(*p_debt, coll_res.params.bonus_wad, Round::down);
  i128 seized = collateral_for(repaid, factor, *p_coll, debt_res.unit, coll_res.unit);
  if (seized > coll) {  // more than the borrower holds: take it all and repay only what it covers
    seized = coll;
    repaid = std::min(repaid, debt_for(seized, factor, *p_coll, debt_res.unit, coll_res.unit));
  }
  if (seized == 0 || repaid == 0) return OpResult::revert("amount too small");
  const i128 cash = ctx.balance(account_, coll_res.params.asset).raw() + (cr == dr ? repaid : 0);
  if (seized > cash) return OpResult::revert("insufficient liquidity");

  const i128 coll_removed =
      seized == coll ? scaled_coll : std::min(scaled_coll, scaled_up(seized, coll_res.index.liquidity_ray));
  const i128 debt_removed =
      repaid == debt ? scaled_debt : std::min(scaled_debt, scaled_down(repaid, debt_res.index.borrow_ray));
  if (!ctx.transfer(sender, account_, debt_res.params.asset, Amount::units(repaid))) {
    return OpResult::revert("insufficient balance");
  }
  if (!ctx.transfer(account_, sender, coll_res.params.asset, Amount::units(seized))) {
    return OpResult::revert("insufficient liquidity");
  }
  const Rates debt_rates = rates_for(ctx, dr, debt_res.total_scaled_debt - debt_removed);
  const Rates coll_rates = rates_for(ctx, cr, coll_res.total_scaled_debt - (cr == dr ? debt_removed : 0));

  Position& p = position(*borrower);
  p.scaled_debt[dr] -= debt_removed;
  p.scaled_supply[cr] -= coll_removed;
  reserves_[dr].total_scaled_debt -= debt_removed;
  reserves_[cr].total_scaled_supply -= coll_removed;
  set_rates(dr, debt_rates);
  set_rates(cr, coll_rates);
  forget_if_empty(*borrower);
  return OpResult::success();
}

}  // namespace shardsim::protocols::lending
