// Models what a vertically integrated broker tracks of its issuer side between ledger postings:
// the stake's value when the run started, sUSD it issued, fees it claimed, capital it paid into
// the protocol's backstop reserve, and the saga in flight (a backstop waits for a snapshot taken
// after its payment landed, so one shortfall is not paid twice).
#pragma once

#include <cstdint>

#include "core/amount.hpp"

namespace shardsim::broker {

struct IssuerState {
  double stake_start_usd = 0;        // the staked collateral at its first mark
  bool stake_marked = false;
  core::Amount backstop_paid;        // quote units sent to the reserve (included on the home shard)
  bool backstop_inflight = false;
  bool call_inflight = false;        // an issue or fee claim whose outcome has not come back
  std::int64_t backstop_settled_us = 0;  // a snapshot taken before this may not show the last payment
  std::uint64_t backstops = 0, claims = 0, issue_failures = 0;
};

}  // namespace shardsim::broker
