// Models the broker's part of the run's final-state digest: every ledger balance (client
// collateral and fund contributions, custody, venues, capital, default fund, fees, bad debt) in
// key order, every client's positions and every hedge holding, as exact integers.
#pragma once

#include "broker/clearing_book.hpp"
#include "core/state_digest.hpp"

namespace shardsim::broker {

void digest_book(core::StateDigest& d, const ClearingBook& book);

}  // namespace shardsim::broker
