// Perps liquidation: an account below maintenance margin has every position closed at the mark
// price into the house book; a penalty (capped by the account's equity) goes to the insurance
// fund less the liquidator's share, which is paid to the sender of the liquidation; a deficit is
// covered by the fund, and what the fund cannot cover is socialised onto the house book.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {

OpResult Perps::liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const auto who = args.text("account");
  if (!who) return OpResult::revert("missing arg account");
  const auto target = ctx.account(*who);
  if (!target) return OpResult::revert("unknown account " + std::string(*who));
  const auto it = accounts_.find(*target);
  if (it == accounts_.end()) return OpResult::revert("account not liquidatable");
  PerpsAccount& acct = it->second;
  const MarginResult r = margin_of(ctx, acct.q.raw(), acct.size_wad, config_.markets.size(), 0);
  if (r.missing_price) return OpResult::revert(no_price(ctx, *r.missing_price));
  if (!r.totals.liquidatable()) return OpResult::revert("account not liquidatable");

  // Everything below is computed before any state changes (mul_div may throw).
  const LiquidationQuote quote = quote_liquidation(ctx, acct);
  const i128 closed_value = quote.closed_value;
  const i128 penalty = quote.penalty;
  const i128 reward = quote.reward;
  i128 equity = acct.q.raw() + closed_value - penalty;  // TAV less the penalty
  i128 covered = 0;
  if (equity < 0) covered = -equity < insurance_fund_.raw() ? -equity : insurance_fund_.raw();
  equity += covered;
  const i128 shortfall = equity < 0 ? -equity : 0;
  equity += shortfall;

  // The reward leaves the protocol's account: it is backed by the penalty just taken.
  if (reward > 0 && !ctx.transfer(account_, sender, config_.collateral, core::Amount::units(reward))) {
    return OpResult::revert("insufficient protocol liquidity");
  }
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    if (acct.size_wad[m] != 0) set_size(acct, m, 0);
  }
  acct.q = core::Amount::units(equity);
  house_q_ -= core::Amount::units(closed_value + shortfall);
  insurance_fund_ += core::Amount::units(penalty - reward - covered);
  socialised_loss_ += core::Amount::units(shortfall);
  insurance_drawn_ += core::Amount::units(covered);
  cancel_orders_of(*target);  // its resting orders go with its positions
  ++liquidations_;
  OpResult ok = OpResult::success();
  ok.outputs.push_back({"reward", reward, static_cast<std::uint8_t>(decimals_)});
  return ok;
}

Perps::LiquidationQuote Perps::quote_liquidation(const ShardContext& ctx, const PerpsAccount& acct) const {
  LiquidationQuote q;
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    const i128 size = acct.size_wad[m];
    if (size == 0) continue;
    const i128 mark = *ctx.oracle_price_wad(config_.markets[m].index);  // checked by the caller
    q.closed_value += position_value_floor(size, mark, scale_);
    q.closed_notional += notional_units(size, mark, scale_, Round::up);
  }
  const i128 equity = acct.q.raw() + q.closed_value;  // == TAV
  if (equity > 0 && config_.liquidation_penalty_wad > 0) {
    q.penalty = mul_div(q.closed_notional, config_.liquidation_penalty_wad, kWadUnit, Round::up);
    if (q.penalty > equity) q.penalty = equity;
  }
  q.reward = q.penalty > 0 ? mul_div(q.penalty, config_.liquidator_share_wad, kWadUnit, Round::down) : 0;
  return q;
}

}  // namespace shardsim::protocols::perps
