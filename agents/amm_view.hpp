// Models an agent's reading of a constant-product pool through its typed query: the pair (with
// the registry's symbols, for op arguments), exact raw reserves, the fee as a fraction, the LP
// supply and one holder's LP balance.
#pragma once

#include <optional>
#include <string_view>

#include "agents/cp_math.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/queries.hpp"
#include "protocols/api/registry.hpp"

namespace shardsim::agents {

struct AmmView {
  protocols::AssetId a = 0, b = 0;
  std::string_view symbol_a, symbol_b;  // the registry's, alive as long as the world
  i128 reserve_a = 0, reserve_b = 0;    // raw units
  i128 fee_num = 3, fee_den = 1000;
  i128 lp_supply = 0;                   // raw (18 decimals)
  i128 lp_held = 0;                     // the holder's LP balance, raw

  i128 reserve_of(protocols::AssetId asset) const { return asset == a ? reserve_a : reserve_b; }
  std::string_view symbol_of(protocols::AssetId asset) const { return asset == a ? symbol_a : symbol_b; }
  bool empty() const { return reserve_a <= 0 || reserve_b <= 0; }
  double fee() const { return static_cast<double>(fee_num) / static_cast<double>(fee_den); }
  // The pool seen from a seller of `sell`: reserves (in, out) and the fee.
  CpPool selling(protocols::AssetId sell) const {
    return sell == a ? CpPool{reserve_a, reserve_b, fee_num, fee_den} : CpPool{reserve_b, reserve_a, fee_num, fee_den};
  }
};

inline constexpr int kLpDecimals = 18;

// Nothing when `pool` is null (not a pool) or its fee is not a fraction in [0, 1).
std::optional<AmmView> read_amm(const protocols::PoolQuery* pool, const protocols::Registry& registry,
                                protocols::AccountId holder);

}  // namespace shardsim::agents
