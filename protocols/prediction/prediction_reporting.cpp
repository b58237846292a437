// Resolution: the initial report (designated reporter first, then any public reporter, who wins
// the no-show bond) and dispute rounds with bond 2*A_n - 3*S(w,n), filled by partial stakes; a
// filled bond above the fork threshold forks the market instead of flipping it.
#include <algorithm>

#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {

OpResult PredictionProtocol::report(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  const std::size_t k = find_outcome(*m, args, why);
  if (k == m->n()) return OpResult::revert(why);
  if (m->reported) return OpResult::revert("already reported");
  const core::SimTime now = ctx.now();
  if (now < m->end) return OpResult::revert("market has not ended");
  const bool in_designated_window = now < m->end + params_.designated_report_window;
  const bool designated = in_designated_window && sender == m->designated_reporter;
  if (in_designated_window && !designated) return OpResult::revert("designated reporting window open");

  const i128 bond = params_.report_bond.raw();
  if (!ctx.transfer(sender, account_, params_.collateral, core::Amount::units(bond))) {
    return OpResult::revert("insufficient balance for report bond");
  }
  i128 stake = bond;
  if (designated) {
    // The designated reporter showed up: the creator's no-show bond goes back to the creator.
    if (m->no_show_bond_units > 0 &&
        !ctx.transfer(account_, m->creator, params_.collateral, core::Amount::units(m->no_show_bond_units))) {
      return OpResult::revert("protocol lacks collateral");
    }
  } else {
    stake += m->no_show_bond_units;  // the first public reporter wins it, staked on its report
  }
  m->no_show_bond_units = 0;
  m->reported = true;
  m->initial_reporter = sender;
  m->tentative = k;
  m->round = 1;
  m->round_start = now;
  m->stake_units[k] += stake;
  std::vector<i128>& mine = m->staked_by[sender];
  if (mine.empty()) mine.assign(m->n(), 0);
  mine[k] += stake;
  return OpResult::success();
}

OpResult PredictionProtocol::dispute(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Market* m = find_market(args, why);
  if (m == nullptr) return OpResult::revert(why);
  const std::size_t w = find_outcome(*m, args, why);
  if (w == m->n()) return OpResult::revert(why);
  const auto stake = positive_amount(ctx, args, "stake", why);
  if (!stake) return OpResult::revert(why);
  if (!m->reported) return OpResult::revert("not reported");
  if (m->finalized) return OpResult::revert("market finalized");
  if (m->forked) return OpResult::revert("market forked");
  if (ctx.now() >= m->round_start + params_.dispute_window) return OpResult::revert("dispute window closed");
  if (w == m->tentative) return OpResult::revert("outcome is already tentative");

  const i128 bond = m->dispute_bond_units(w);
  const i128 remaining = bond - m->partial_units[w];
  const i128 contribution = std::min(*stake, remaining);
  if (!ctx.transfer(sender, account_, params_.collateral, core::Amount::units(contribution))) {
    return OpResult::revert("insufficient balance for stake");
  }
  if (contribution < remaining) {
    std::vector<i128>& mine = m->partial_by[sender];
    if (mine.empty()) mine.assign(m->n(), 0);
    mine[w] += contribution;
    m->partial_units[w] += contribution;
    return OpResult::success();
  }

  // Filled: the round closes. Contributions toward other outcomes' bonds are refunded.
  for (const auto& [staker, parts] : m->partial_by) {
    i128 refund = 0;
    for (std::size_t i = 0; i < m->n(); ++i) refund += i == w ? 0 : parts[i];
    if (refund > 0 && !ctx.transfer(account_, staker, params_.collateral, core::Amount::units(refund))) {
      return OpResult::revert("protocol lacks collateral");
    }
  }
  std::vector<i128>& mine = m->partial_by[sender];
  if (mine.empty()) mine.assign(m->n(), 0);
  mine[w] += contribution;
  for (const auto& [staker, parts] : m->partial_by) {
    if (parts[w] == 0) continue;
    std::vector<i128>& filled = m->staked_by[staker];
    if (filled.empty()) filled.assign(m->n(), 0);
    filled[w] += parts[w];
  }
  m->partial_by.clear();
  m->partial_units.assign(m->n(), 0);
  m->stake_units[w] += bond;
  if (bond > params_.fork_threshold.raw()) {
    m->forked = true;
    m->fork_ends = ctx.now() + params_.fork_freeze;
  } else {
    m->tentative = w;
    m->round += 1;
    m->round_start = ctx.now();
  }
  return OpResult::success();
}

}  // namespace shardsim::protocols::prediction
