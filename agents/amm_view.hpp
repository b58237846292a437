// Models an agent's reading of a constant-product pool from the state it publishes
// (`reserves: {A: "...", B: "..."}` in pair order, `fee: "3/1000"`, `lp_supply`, `lp_balances`):
// exact raw reserves, the fee as a fraction, and one holder's LP balance.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "agents/cp_math.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/registry.hpp"

namespace shardsim::agents {

struct AmmView {
  protocols::AssetId a = 0, b = 0;
  std::string symbol_a, symbol_b;
  i128 reserve_a = 0, reserve_b = 0;  // raw units
  i128 fee_num = 3, fee_den = 1000;
  i128 lp_supply = 0;                 // raw (18 decimals)
  i128 lp_held = 0;                   // the holder's LP balance, raw

  i128 reserve_of(protocols::AssetId asset) const { return asset == a ? reserve_a : reserve_b; }
  bool empty() const { return reserve_a <= 0 || reserve_b <= 0; }
  double fee() const { return static_cast<double>(fee_num) / static_cast<double>(fee_den); }
  // The pool seen from a seller of `sell`: reserves (in, out) and the fee.
  CpPool selling(protocols::AssetId sell) const {
    return sell == a ? CpPool{reserve_a, reserve_b, fee_num, fee_den} : CpPool{reserve_b, reserve_a, fee_num, fee_den};
  }
};

inline constexpr int kLpDecimals = 18;

// Nothing when the state is not a two-asset pool's.
std::optional<AmmView> read_amm(const nlohmann::ordered_json& state, const protocols::Registry& registry,
                                const std::string& holder);

}  // namespace shardsim::agents
