// The pool's typed queries: its pair, exact reserves, fee and LP supply, and one holder's LP balance.
#include "protocols/amm/amm_pool.hpp"

namespace shardsim::protocols::amm {

ProtocolQueries AmmPool::queries() const {
  ProtocolQueries q;
  q.pool = this;
  return q;
}

PoolView AmmPool::pool_view() const {
  PoolView v;
  v.asset_a = config_.asset_a;
  v.asset_b = config_.asset_b;
  v.reserve_a = reserve_a_units_;
  v.reserve_b = reserve_b_units_;
  v.fee_num = config_.fee.num;
  v.fee_den = config_.fee.den;
  v.lp_supply = lp_supply_units_;
  return v;
}

i128 AmmPool::lp_balance(AccountId holder) const { return lp_balance_units(holder); }

}  // namespace shardsim::protocols::amm
