// The prediction protocol's final-state digest: every market's exact integers (maker quantities,
// shares, holdings, stakes, reporting and settlement state), never the LMSR prices (doubles).
#include "core/state_digest.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {
namespace {

void units(core::StateDigest& d, const std::vector<i128>& v) {
  d.u64(v.size());
  for (const i128 x : v) d.int128(x);
}

void by_account(core::StateDigest& d, const std::map<AccountId, std::vector<i128>>& m) {
  d.u64(m.size());
  for (const auto& [account, v] : m) {
    d.u64(account);
    units(d, v);
  }
}

void digest_market(core::StateDigest& d, const Market& m) {
  d.str(m.id);
  d.u64(m.outcomes.size());
  for (const std::string& o : m.outcomes) d.str(o);
  d.u64(m.creator);
  d.u64(m.designated_reporter);
  d.i64(m.end.count_us());
  d.int128(m.b_units);
  d.int128(m.subsidy_units);
  d.int128(m.no_show_bond_units);
  units(d, m.maker_q_units);
  units(d, m.outstanding_units);
  d.int128(m.complete_sets_units);
  d.int128(m.collateral_units);
  by_account(d, m.holdings);
  d.boolean(m.reported);
  d.u64(m.initial_reporter);
  d.u64(m.tentative);
  d.u64(m.round);
  d.i64(m.round_start.count_us());
  units(d, m.stake_units);
  units(d, m.partial_units);
  by_account(d, m.staked_by);
  by_account(d, m.partial_by);
  d.boolean(m.forked);
  d.i64(m.fork_ends.count_us());
  d.boolean(m.finalized);
  d.u64(m.final_outcome);
  d.u64(m.winners.size());
  for (const auto& [account, stake] : m.winners) {
    d.u64(account);
    d.int128(stake);
  }
  d.int128(m.winners_stake_units);
  d.int128(m.burned_units);
}

}  // namespace

void PredictionProtocol::digest(core::StateDigest& d, const ShardContext&) const {
  d.u64(params_.collateral);
  d.amount(params_.b);
  d.int128(params_.creator_fee_wad);
  d.int128(params_.reporting_fee_wad);
  d.amount(params_.fork_threshold);
  d.amount(params_.report_bond);
  d.u64(markets_.size());
  for (const auto& [id, m] : markets_) digest_market(d, m);  // by market id
}

}  // namespace shardsim::protocols::prediction
