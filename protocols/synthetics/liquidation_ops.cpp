// Liquidation in the synthetics protocol: flag a staker whose debt / collateral value exceeds the
// liquidation ratio, and after the delay let a liquidator burn sUSD (up to the amount that
// restores the issuance ratio) for collateral worth that amount plus the penalty.
#include <algorithm>

#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/op_support.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {

void SyntheticsProtocol::flag(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const AccountId who = account_arg(args, "staker", ctx);
  const auto it = stakers_.find(who);
  if (it == stakers_.end()) reject("not a staker");
  Staker s = it->second;
  if (s.flagged_at) reject("already flagged");
  if (s.shares == 0) reject("staker has no debt");
  const i128 debt = debt_of_shares(s.shares, total_debt(ctx), total_shares_);
  if (!ratio_exceeds(debt, collateral_value(ctx, s.collateral), cfg_.liquidation_ratio_wad)) {
    reject("c-ratio above the liquidation threshold");
  }
  s.flagged_at = ctx.now();
  store_staker(who, s);
}

void SyntheticsProtocol::liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const AccountId who = account_arg(args, "staker", ctx);
  if (who == sender) reject("cannot liquidate yourself");
  const auto it = stakers_.find(who);
  if (it == stakers_.end()) reject("not a staker");
  Staker s = it->second;
  if (!s.flagged_at) reject("staker not flagged");
  if (ctx.now() < *s.flagged_at + cfg_.liquidation_delay) reject("liquidation delay not passed");
  const SynthSpec& usd = cfg_.synths[cfg_.susd];
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, usd.asset);

  const i128 total = total_debt(ctx);
  const i128 debt = debt_of_shares(s.shares, total, total_shares_);
  const i128 collateral = collateral_value(ctx, s.collateral);
  if (!ratio_exceeds(debt, collateral, cfg_.liquidation_ratio_wad)) reject("staker not liquidatable");
  const int usd_decimals = ctx.decimals(usd.asset);
  const i128 usd_price = synth_price(ctx, cfg_.susd);
  const int coll_decimals = ctx.decimals(cfg_.collateral);
  const i128 coll_price = oracle_price(ctx, cfg_.collateral);
  const i128 bonus = kWadUnit + cfg_.liquidation_penalty_wad;

  // Burn x = min(offered, amount that restores the target, debt); redeem x * (1 + P) of collateral.
  const i128 to_fix = burn_to_fix_wad(debt, collateral, cfg_.issuance_ratio_wad, cfg_.liquidation_penalty_wad);
  const i128 offered = value_wad(amount.raw(), usd_decimals, usd_price, Round::down);
  i128 x = std::min({offered, to_fix, debt});
  i128 seized = units_for_value(wad_mul(x, bonus, Round::down), coll_decimals, coll_price, Round::down);
  bool took_all = false;
  if (seized >= s.collateral.raw()) {  // not enough collateral: take it all for C / (1 + P)
    seized = s.collateral.raw();
    took_all = true;
    x = std::min(x, mul_div(collateral, kWadUnit, bonus, Round::up));
  }
  const i128 burned = std::min(amount.raw(), units_for_value(x, usd_decimals, usd_price, Round::up));
  if (burned <= 0 || seized <= 0) reject("nothing to liquidate");
  const i128 burned_value = value_wad(burned, usd_decimals, usd_price, Round::down);
  const i128 retired = burned_value >= debt
                           ? s.shares
                           : std::min(s.shares, shares_for_burn(burned_value, total, total_shares_));

  if (!ctx.burn(sender, usd.asset, core::Amount::units(burned))) {
    reject("insufficient " + ctx.asset_symbol(usd.asset) + " balance");
  }
  if (burned > supply_[cfg_.susd].raw()) reject("burn exceeds sUSD supply");  // sUSD from elsewhere
  if (!ctx.transfer(account_, sender, cfg_.collateral, core::Amount::units(seized))) {
    reject("protocol collateral short");
  }
  s.collateral -= core::Amount::units(seized);
  settle_fees(s);
  s.shares -= retired;
  total_shares_ -= retired;
  supply_[cfg_.susd] -= core::Amount::units(burned);
  if (x >= to_fix || took_all || s.shares == 0) s.flagged_at.reset();
  store_staker(who, s);
}

}  // namespace shardsim::protocols::synthetics
