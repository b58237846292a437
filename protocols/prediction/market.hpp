// Models one prediction market's state: its outcomes (INVALID is outcome 0), the LMSR maker's
// quantities, traders' internal share balances, the collateral backing them, and the reporting
// state (initial report, dispute rounds with stake per outcome, fork, final outcome).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols::prediction {

inline constexpr std::size_t kInvalidOutcome = 0;

struct Market {
  std::string id;
  std::vector<std::string> outcomes;  // [0] is "INVALID"
  AccountId creator = 0;
  AccountId designated_reporter = 0;
  core::SimTime end;
  i128 b_units = 0;
  i128 subsidy_units = 0;       // LMSR subsidy the creator funded
  i128 no_show_bond_units = 0;  // held until the initial report

  // Trading. All share counts are in collateral units (one share pays at most one collateral).
  std::vector<i128> maker_q_units;      // LMSR: net shares of each outcome the maker has sold
  std::vector<i128> outstanding_units;  // shares of each outcome held by traders
  i128 complete_sets_units = 0;         // net complete sets minted with buy/sell_complete_set
  i128 collateral_units = 0;            // collateral in the protocol account backing the shares
  std::map<AccountId, std::vector<i128>> holdings;  // trader -> shares per outcome

  // Reporting.
  bool reported = false;
  AccountId initial_reporter = 0;
  std::size_t tentative = 0;
  std::uint32_t round = 0;    // 0 before the initial report; +1 for every filled dispute bond
  core::SimTime round_start;  // the current round's dispute window opens here
  std::vector<i128> stake_units;    // S(i): stake on each outcome from the report and filled bonds
  std::vector<i128> partial_units;  // this round's contributions toward each outcome's bond
  std::map<AccountId, std::vector<i128>> staked_by;   // filled stake per staker and outcome
  std::map<AccountId, std::vector<i128>> partial_by;  // this round's contributions per staker
  bool forked = false;
  core::SimTime fork_ends;

  // Settlement.
  bool finalized = false;
  std::size_t final_outcome = 0;
  std::vector<std::pair<AccountId, i128>> winners;  // stakers of the final outcome, by account
  i128 winners_stake_units = 0;
  i128 burned_units = 0;  // forfeited stake burned at finalisation

  std::size_t n() const { return outcomes.size(); }
  i128 total_stake_units() const;  // A_n
  // The bond that overturns the tentative outcome in favour of `w` this round: 2*A_n - 3*S(w,n).
  i128 dispute_bond_units(std::size_t w) const;
  // The outcome with the most stake (the lowest index on a tie): how a fork resolves.
  std::size_t most_staked() const;
  // What a holder's shares pay at settlement to `final` before fees: the winning shares, or for INVALID
  // floor(sum of every outcome's shares / n) (each share pays 1/n).
  i128 gross_payout_units(const std::vector<i128>& shares, std::size_t final) const;
  // Sum of gross_payout_units over all holders.
  i128 settlement_liability_units(std::size_t final) const;
  // The largest payout the shares could need at settlement (every outcome considered).
  i128 worst_case_liability_units() const;
  const char* status(core::SimTime now) const;
  std::size_t find_outcome(std::string_view name) const;  // n() when unknown
};

}  // namespace shardsim::protocols::prediction
