// Reads a pool's typed view into exact numbers.
#include "agents/amm_view.hpp"

namespace shardsim::agents {

std::optional<AmmView> read_amm(const protocols::PoolQuery* pool, const protocols::Registry& registry,
                                protocols::AccountId holder) {
  if (pool == nullptr) return std::nullopt;
  const protocols::PoolView p = pool->pool_view();
  if (p.fee_den <= 0 || p.fee_num < 0 || p.fee_num >= p.fee_den) return std::nullopt;
  AmmView v;
  v.a = p.asset_a;
  v.b = p.asset_b;
  v.symbol_a = registry.asset_symbol(p.asset_a);
  v.symbol_b = registry.asset_symbol(p.asset_b);
  v.reserve_a = p.reserve_a;
  v.reserve_b = p.reserve_b;
  v.fee_num = p.fee_num;
  v.fee_den = p.fee_den;
  v.lp_supply = p.lp_supply;
  v.lp_held = pool->lp_balance(holder);
  return v;
}

}  // namespace shardsim::agents
