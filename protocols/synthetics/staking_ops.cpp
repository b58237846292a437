// Staking operations of the synthetics protocol: stake and unstake collateral, issue sUSD
// against the debt pool (minting debt shares), and burn sUSD (retiring debt shares).
#include <algorithm>

#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/op_support.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {

void SyntheticsProtocol::stake(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, cfg_.collateral);
  Staker s = staker_or_empty(sender);
  s.collateral = core::Amount::units(checked_add(s.collateral.raw(), amount.raw()));
  if (!ctx.transfer(sender, account_, cfg_.collateral, amount)) {
    reject("insufficient " + ctx.asset_symbol(cfg_.collateral) + " balance");
  }
  if (s.flagged_at && target_restored(ctx, s)) s.flagged_at.reset();
  store_staker(sender, s);
}

void SyntheticsProtocol::unstake(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, cfg_.collateral);
  Staker s = staker_or_empty(sender);
  if (amount > s.collateral) reject("unstake exceeds staked collateral");
  const core::Amount remaining = s.collateral - amount;
  if (s.shares > 0) {
    const i128 debt = debt_of_shares(s.shares, total_debt(ctx), total_shares_);
    if (ratio_exceeds(debt, collateral_value(ctx, remaining), cfg_.issuance_ratio_wad)) {
      reject("collateral would not cover debt at the issuance ratio");
    }
  }
  if (!ctx.transfer(account_, sender, cfg_.collateral, amount)) reject("protocol collateral short");
  s.collateral = remaining;
  store_staker(sender, s);
}

void SyntheticsProtocol::issue(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const SynthSpec& usd = cfg_.synths[cfg_.susd];
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, usd.asset);
  Staker s = staker_or_empty(sender);
  if (s.collateral.is_zero()) reject("nothing staked");
  const i128 total = total_debt(ctx);
  const i128 debt = debt_of_shares(s.shares, total, total_shares_);
  const i128 collateral = collateral_value(ctx, s.collateral);
  const i128 value = value_wad(amount.raw(), ctx.decimals(usd.asset), synth_price(ctx, cfg_.susd), Round::up);
  if (value > issuable_wad(collateral, debt, cfg_.issuance_ratio_wad)) reject("issue exceeds limit");
  const i128 shares = shares_for_issue(value, total, total_shares_);
  const i128 new_total_shares = checked_add(total_shares_, shares);
  const i128 new_supply = checked_add(supply_[cfg_.susd].raw(), amount.raw());
  settle_fees(s);
  s.shares = checked_add(s.shares, shares);

  ctx.mint(sender, usd.asset, amount);
  total_shares_ = new_total_shares;
  supply_[cfg_.susd] = core::Amount::units(new_supply);
  store_staker(sender, s);
}

void SyntheticsProtocol::burn(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const SynthSpec& usd = cfg_.synths[cfg_.susd];
  const core::Amount amount = positive_amount_arg(args, "amount", ctx, usd.asset);
  Staker s = staker_or_empty(sender);
  if (s.shares == 0) reject("no debt to burn");
  const i128 total = total_debt(ctx);
  const i128 debt = debt_of_shares(s.shares, total, total_shares_);
  const int decimals = ctx.decimals(usd.asset);
  const i128 price = synth_price(ctx, cfg_.susd);
  // Burning more than the debt burns exactly the debt (rounded up) and retires every share.
  const i128 debt_units = units_for_value(debt, decimals, price, Round::up);
  i128 burned = amount.raw();
  i128 retired = 0;
  if (burned >= debt_units) {
    burned = debt_units;
    retired = s.shares;
  } else {
    const i128 value = value_wad(burned, decimals, price, Round::down);
    retired = std::min(s.shares, shares_for_burn(value, total, total_shares_));
  }
  if (burned > 0 && !ctx.burn(sender, usd.asset, core::Amount::units(burned))) {
    reject("insufficient " + ctx.asset_symbol(usd.asset) + " balance");
  }
  if (burned > supply_[cfg_.susd].raw()) reject("burn exceeds sUSD supply");  // sUSD from elsewhere
  settle_fees(s);
  s.shares -= retired;
  total_shares_ -= retired;
  supply_[cfg_.susd] -= core::Amount::units(burned);
  if (s.flagged_at && target_restored(ctx, s)) s.flagged_at.reset();
  store_staker(sender, s);
}

}  // namespace shardsim::protocols::synthetics
