// Models the default waterfall (see waterfall.hpp): layer by layer, with an exact integer pro-rata
// split of the other members' default fund.
#include "broker/waterfall.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "protocols/api/fixed_point.hpp"

namespace shardsim::broker {
namespace {

// Takes up to `available` from `remaining`; returns what was taken.
core::Amount take(core::Amount& remaining, core::Amount available) {
  const core::Amount x = std::min(remaining, available);
  remaining -= x;
  return x;
}

}  // namespace

WaterfallResult absorb_loss(core::Amount loss, const WaterfallLayers& layers) {
  SHARDSIM_ASSERT_MSG(!loss.is_negative(), "a waterfall loss must be >= 0");
  SHARDSIM_ASSERT_MSG(!layers.client_collateral.is_negative(), "client collateral must be >= 0");
  SHARDSIM_ASSERT_MSG(!layers.client_fund.is_negative(), "a client's default-fund contribution must be >= 0");
  SHARDSIM_ASSERT_MSG(!layers.broker_capital.is_negative(), "broker capital must be >= 0");
  WaterfallResult r;
  core::Amount remaining = loss;
  r.from_collateral = take(remaining, layers.client_collateral);
  r.from_client_fund = take(remaining, layers.client_fund);
  r.capital_exhausted = remaining > layers.broker_capital;
  r.from_capital = take(remaining, layers.broker_capital);
  SHARDSIM_ASSERT_MSG(!layers.broker_fund.is_negative(), "the broker's default fund must be >= 0");
  r.from_broker_fund = take(remaining, layers.broker_fund);

  r.from_members.assign(layers.member_funds.size(), core::Amount{});
  core::Amount pool;
  for (const core::Amount c : layers.member_funds) {
    SHARDSIM_ASSERT_MSG(!c.is_negative(), "member default-fund contributions must be >= 0");
    pool += c;
  }
  const core::Amount taken = take(remaining, pool);
  if (taken == pool) {
    r.from_members = layers.member_funds;
  } else if (!taken.is_zero()) {
    core::Amount given;
    for (std::size_t i = 0; i < layers.member_funds.size(); ++i) {
      // taken < pool, so each share is < c_i and fits in 128 bits.
      r.from_members[i] = core::Amount::units(
          protocols::mul_div(taken.raw(), layers.member_funds[i].raw(), pool.raw(), protocols::Round::down));
      given += r.from_members[i];
    }
    for (std::size_t i = 0; given < taken && i < layers.member_funds.size(); ++i) {
      if (layers.member_funds[i].is_zero()) continue;
      r.from_members[i] += core::Amount::units(1);
      given += core::Amount::units(1);
    }
    SHARDSIM_ASSERT(given == taken);
  }
  r.socialised = remaining;
  return r;
}

}  // namespace shardsim::broker
