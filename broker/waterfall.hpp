// Models the default waterfall (spec/clearing.md §6): how a loss is absorbed, layer by layer, down
// to socialised loss. One definition for both losses a broker books: a defaulted client's deficit
// (all layers) and the house's own shortfall beyond its capital (layers 3b.. only: the broker's
// fund, the clients' contributions, socialised). Pure; amounts are exact units of one asset.
#pragma once

#include <vector>

#include "core/amount.hpp"

namespace shardsim::broker {

// What each layer can absorb now (all >= 0, in units of the loss's asset).
struct WaterfallLayers {
  core::Amount client_collateral;       // 1. the defaulting client's collateral
  core::Amount client_fund;             // 2. the client's default-fund contribution (0 if none)
  core::Amount broker_capital;          // 3. broker capital, "skin in the game"
  std::vector<core::Amount> member_funds;  // 4. other members' default-fund contributions, in member order
  core::Amount broker_fund;             // 3b. the broker's own default fund, after its capital, before members
};

// What each layer gave; from_collateral + from_client_fund + from_capital + sum(from_members) +
// socialised == loss, exactly.
struct WaterfallResult {
  core::Amount from_collateral;
  core::Amount from_client_fund;
  core::Amount from_capital;
  core::Amount from_broker_fund;
  std::vector<core::Amount> from_members;  // same size and order as WaterfallLayers::member_funds
  core::Amount socialised;                 // 5. what no layer could absorb (reported)
  // The loss needed more than the broker's capital: capital is used up and the loss reached
  // past it (or capital was 0 and some loss reached it). A loss that ends exactly at the last
  // unit of capital does not set it.
  bool capital_exhausted = false;
};

// Absorbs `loss` (>= 0) in order 1 client collateral, 2 client fund, 3 broker capital, 3b the
// broker's own default fund, 4 the other members' funds pro rata to their contributions, 5
// socialised.
//
// Pro rata, exactly: if the layer-4 take T is less than the total contribution C, member i first
// gives floor(T * c_i / C) (256-bit intermediate, no overflow); the R units left over (R < number
// of members with c_i > 0) are then given one each to members with c_i > 0 in member order. No
// member gives more than its contribution, and the shares sum exactly to T. E.g. three equal
// contributions sharing 100 units give 34, 33, 33. If T == C every member gives all of c_i.
WaterfallResult absorb_loss(core::Amount loss, const WaterfallLayers& layers);

}  // namespace shardsim::broker
