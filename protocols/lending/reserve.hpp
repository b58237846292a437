// Models one reserve's book and one account's positions: scaled supply and scaled debt against
// a linear liquidity index and a compounding borrow index (RAY), with pool-favouring rounding.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/api/fixed_point.hpp"
#include "protocols/lending/params.hpp"
#include "protocols/lending/rates.hpp"

namespace shardsim::protocols::lending {

struct Indices {
  i128 liquidity_ray = kRayUnit;
  i128 borrow_ray = kRayUnit;
};

struct ReserveState {
  ReserveParams params;
  std::string symbol;
  int decimals = 18;
  i128 unit = kWadUnit;  // 10^decimals: smallest units per whole token
  Indices index;
  i128 borrow_rate_ray = 0;
  i128 supply_rate_ray = 0;
  i128 utilization_ray = 0;
  i128 total_scaled_supply = 0;
  i128 total_scaled_debt = 0;
  std::int64_t last_update_us = 0;
};

// The indices of `r` carried forward to `now_us` at its current rates (no state change).
inline Indices indices_at(const ReserveState& r, std::int64_t now_us) {
  const std::int64_t dt = now_us - r.last_update_us;
  if (dt <= 0) return r.index;
  Indices out;
  out.liquidity_ray = ray_mul(r.index.liquidity_ray, linear_growth_ray(r.supply_rate_ray, dt), Round::down);
  out.borrow_ray = ray_mul(r.index.borrow_ray, compound_growth_ray(r.borrow_rate_ray, dt), Round::up);
  return out;
}

// Balances in asset units from scaled amounts: supply rounds down, debt rounds up.
inline i128 supply_balance(i128 scaled, i128 liquidity_index_ray) {
  return scaled == 0 ? 0 : ray_mul(scaled, liquidity_index_ray, Round::down);
}
inline i128 debt_balance(i128 scaled, i128 borrow_index_ray) {
  return scaled == 0 ? 0 : ray_mul(scaled, borrow_index_ray, Round::up);
}
// Scaled amounts for a movement of `units`: the pool credits less and charges more.
inline i128 scaled_down(i128 units, i128 index_ray) { return ray_div(units, index_ray, Round::down); }
inline i128 scaled_up(i128 units, i128 index_ray) { return ray_div(units, index_ray, Round::up); }

// One account's positions, indexed like the pool's reserves.
struct Position {
  std::vector<i128> scaled_supply;
  std::vector<i128> scaled_debt;

  explicit Position(std::size_t reserves = 0) : scaled_supply(reserves, 0), scaled_debt(reserves, 0) {}
  bool has_debt() const {
    for (const i128 d : scaled_debt) {
      if (d != 0) return true;
    }
    return false;
  }
  bool empty() const {
    for (std::size_t i = 0; i < scaled_supply.size(); ++i) {
      if (scaled_supply[i] != 0 || scaled_debt[i] != 0) return false;
    }
    return true;
  }
};

// USD (WAD) values of one account: collateral, its LTV- and threshold-weighted sums, and debt.
struct AccountValues {
  i128 collateral_wad = 0;    // sum coll * price, rounded down
  i128 borrow_power_wad = 0;  // sum coll * price * LTV
  i128 threshold_wad = 0;     // sum coll * price * liquidation threshold
  i128 debt_wad = 0;          // sum debt * price, rounded up

  bool liquidatable() const { return debt_wad > 0 && threshold_wad < debt_wad; }  // HF < 1
};

}  // namespace shardsim::protocols::lending
