// Stake arithmetic, settlement payouts and status of one prediction market.
#include "protocols/prediction/market.hpp"

#include <algorithm>

namespace shardsim::protocols::prediction {

i128 Market::total_stake_units() const {
  i128 a = 0;
  for (const i128 s : stake_units) a += s;
  return a;
}

i128 Market::dispute_bond_units(std::size_t w) const { return 2 * total_stake_units() - 3 * stake_units[w]; }

std::size_t Market::most_staked() const {
  std::size_t best = 0;
  for (std::size_t i = 1; i < n(); ++i) {
    if (stake_units[i] > stake_units[best]) best = i;
  }
  return best;
}

i128 Market::gross_payout_units(const std::vector<i128>& shares, std::size_t final) const {
  if (final != kInvalidOutcome) return shares[final];
  i128 sum = 0;
  for (const i128 s : shares) sum += s;
  return sum / static_cast<i128>(n());
}

i128 Market::settlement_liability_units(std::size_t final) const {
  i128 total = 0;
  for (const auto& [holder, shares] : holdings) total += gross_payout_units(shares, final);
  return total;
}

i128 Market::worst_case_liability_units() const {
  i128 worst = 0;
  for (const i128 s : outstanding_units) worst = std::max(worst, s);
  return worst;  // INVALID pays sum/n per holder, never more than the largest outcome's total
}

const char* Market::status(core::SimTime now) const {
  if (finalized) return "finalized";
  if (forked) return "forked";
  if (round >= 2) return "disputed";
  if (!reported && now < end) return "trading";
  return "reporting";
}

std::size_t Market::find_outcome(std::string_view name) const {
  for (std::size_t i = 0; i < n(); ++i) {
    if (outcomes[i] == name) return i;
  }
  return n();
}

}  // namespace shardsim::protocols::prediction
