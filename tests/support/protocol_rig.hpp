// Test support: the bench rig (a protocol hosted on a real shard ledger and ProtocolHost, without
// an engine) plus the per-asset conservation check the tests assert.
#pragma once

#include <gtest/gtest.h>

#include "bench/protocol_rig.hpp"

namespace shardsim::testing {

struct ProtocolRig : bench::ProtocolRig {
  using bench::ProtocolRig::ProtocolRig;

  // held == minted - burned for every asset (the ledger's own audit).
  void expect_conserved() const {
    for (protocols::AssetId a = 0; a < registry.asset_count(); ++a) {
      const shards::AssetFlows& f = ledger->flows(a);
      EXPECT_EQ(f.held, f.minted - f.burned) << registry.asset_symbol(a);
      EXPECT_EQ(f.held, ledger->recount_held(a)) << registry.asset_symbol(a);
    }
  }
};

}  // namespace shardsim::testing
