// Settlement: finalisation (losing stake forfeited, 20% burned and the rest pro rata to the
// final outcome's stakers; a fork resolves to the most-staked outcome after its freeze; the
// maker's leftover returns to the creator) and redemption of shares less the settlement fees.
#include <algorithm>

#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {
namespace {

bool pay(ShardContext& ctx, AccountId from, AccountId to, AssetId asset, i128 units) {
  return units == 0 || ctx.transfer(from, to, asset, core::Amount::units(units));
}

}  // namespace

OpResult PredictionProtocol::finalize(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  if (m->finalized) return OpResult::revert("already finalized");
  if (!m->reported) return OpResult::revert("not reported");
  if (m->forked && ctx.now() < m->fork_ends) return OpResult::revert("fork freeze until " + m->fork_ends.str());
  if (!m->forked && ctx.now() < m->round_start + params_.dispute_window) {
    return OpResult::revert("dispute window open");
  }
  const std::size_t final = m->forked ? m->most_staked() : m->tentative;

  // Stake: winners get theirs back plus 80% of the forfeited stake pro rata; the rest burns.
  const i128 winning_stake = m->stake_units[final];
  const i128 forfeited = m->total_stake_units() - winning_stake;
  i128 burn = mul_div(forfeited, kForfeitBurnWad, kWadUnit, Round::up);
  const i128 distributable = forfeited - burn;
  std::vector<std::pair<AccountId, i128>> winners;
  i128 distributed = 0;
  for (const auto& [staker, stakes] : m->staked_by) {
    if (stakes[final] == 0) continue;
    const i128 reward = mul_div(distributable, stakes[final], winning_stake, Round::down);
    distributed += reward;
    winners.emplace_back(staker, stakes[final]);
    if (!pay(ctx, account_, staker, params_.collateral, stakes[final] + reward)) {
      return OpResult::revert("protocol lacks collateral");
    }
  }
  burn += distributable - distributed;  // rounding dust of the pro-rata split burns too
  if (burn > 0 && !ctx.burn(account_, params_.collateral, core::Amount::units(burn))) {
    return OpResult::revert("protocol lacks collateral");
  }
  // Contributions toward bonds that never filled are refunded.
  for (const auto& [staker, parts] : m->partial_by) {
    i128 refund = 0;
    for (const i128 p : parts) refund += p;
    if (!pay(ctx, account_, staker, params_.collateral, refund)) return OpResult::revert("protocol lacks collateral");
  }
  // Shares: keep exactly what redemption will pay; the maker's leftover goes to the creator.
  const i128 liability = m->settlement_liability_units(final);
  const i128 surplus = m->collateral_units - liability;
  if (surplus < 0) return OpResult::revert("market insolvent");
  if (!pay(ctx, account_, m->creator, params_.collateral, surplus)) {
    return OpResult::revert("protocol lacks collateral");
  }

  m->finalized = true;
  m->final_outcome = final;
  m->winners = std::move(winners);
  m->winners_stake_units = winning_stake;
  m->burned_units = burn;
  m->partial_by.clear();
  m->partial_units.assign(m->n(), 0);
  m->collateral_units = liability;
  return OpResult::success();
}

OpResult PredictionProtocol::redeem(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  if (!m->finalized) return OpResult::revert("market not finalized");
  const auto it = m->holdings.find(sender);
  if (it == m->holdings.end()) return OpResult::revert("nothing to redeem");

  const i128 gross = m->gross_payout_units(it->second, m->final_outcome);
  const i128 creator_fee = std::min(gross, mul_div(gross, params_.creator_fee_wad, kWadUnit, Round::up));
  const i128 reporting_fee =
      std::min(gross - creator_fee, mul_div(gross, params_.reporting_fee_wad, kWadUnit, Round::up));
  const AssetId c = params_.collateral;
  if (!pay(ctx, account_, sender, c, gross - creator_fee - reporting_fee) ||
      !pay(ctx, account_, m->creator, c, creator_fee)) {
    return OpResult::revert("protocol lacks collateral");
  }
  // The reporting fee goes to the final outcome's stakers pro rata; the rounding remainder to the
  // last of them (by account id).
  if (m->winners.empty()) {
    if (!pay(ctx, account_, m->creator, c, reporting_fee)) return OpResult::revert("protocol lacks collateral");
  } else {
    i128 left = reporting_fee;
    for (std::size_t i = 0; i < m->winners.size(); ++i) {
      const auto& [staker, stake] = m->winners[i];
      const i128 share = i + 1 == m->winners.size()
                             ? left
                             : mul_div(reporting_fee, stake, m->winners_stake_units, Round::down);
      left -= share;
      if (!pay(ctx, account_, staker, c, share)) return OpResult::revert("protocol lacks collateral");
    }
  }

  for (std::size_t i = 0; i < m->n(); ++i) m->outstanding_units[i] -= it->second[i];
  m->holdings.erase(it);
  m->collateral_units -= gross;
  return OpResult::success();
}

}  // namespace shardsim::protocols::prediction
