// Constant-product arithmetic for agents: swap output, arbitrage size, sandwich planning.
#include "agents/cp_math.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::agents {

i128 cp_out(const CpPool& p, i128 in) {
  if (in <= 0 || p.r_in <= 0 || p.r_out <= 0) return 0;
  const i128 with_fee = in * (p.fee_den - p.fee_num);
  return protocols::mul_div(with_fee, p.r_out, p.r_in * p.fee_den + with_fee);
}

double arb_input(double x, double y, double fee, double price) {
  const double g = 1.0 - fee;
  if (x <= 0 || y <= 0 || price <= 0 || g <= 0) return 0;
  const double a = (std::sqrt(g * x * y / price) - x) / g;
  return a > 0 && std::isfinite(a) ? a : 0;
}

SandwichPlan simulate_sandwich(const CpPool& pool, i128 victim_in, i128 front_in) {
  SandwichPlan s;
  s.front_in = front_in;
  s.victim_out_clean = cp_out(pool, victim_in);
  s.front_out = cp_out(pool, front_in);
  const CpPool after_front{pool.r_in + front_in, pool.r_out - s.front_out, pool.fee_num, pool.fee_den};
  s.victim_out = cp_out(after_front, victim_in);
  // The back-run sells what the front-run bought into the pool the victim left.
  const CpPool back{after_front.r_out - s.victim_out, after_front.r_in + victim_in, pool.fee_num, pool.fee_den};
  s.back_out = cp_out(back, s.front_out);
  return s;
}

std::optional<SandwichPlan> plan_sandwich(const CpPool& pool, i128 victim_in, i128 min_out, i128 cap) {
  if (victim_in <= 0 || cap <= 0 || pool.r_in <= 0 || pool.r_out <= 0) return std::nullopt;
  if (cp_out(pool, victim_in) < std::max<i128>(min_out, 1)) return std::nullopt;  // the victim reverts anyway
  // The victim's output falls as the front-run grows: the largest front-run within its bound.
  i128 lo = 0, hi = cap;
  if (simulate_sandwich(pool, victim_in, hi).victim_out < min_out) {
    while (hi - lo > 1) {
      const i128 mid = lo + (hi - lo) / 2;
      if (simulate_sandwich(pool, victim_in, mid).victim_out >= min_out) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    hi = lo;
  }
  if (hi <= 0) return std::nullopt;
  // Gross profit rises with the front-run, then falls once the fee on a large round trip costs
  // more than the victim's impact returns: search [0, hi] for the top (ternary, then the ends).
  const auto profit = [&](i128 f) { return simulate_sandwich(pool, victim_in, f).profit(); };
  i128 a = 0, b = hi;
  while (b - a > 2) {
    const i128 m1 = a + (b - a) / 3;
    const i128 m2 = b - (b - a) / 3;
    if (profit(m1) < profit(m2)) {
      a = m1;
    } else {
      b = m2;
    }
  }
  i128 best = hi;
  for (i128 f = a; f <= b; ++f) {
    if (profit(f) > profit(best)) best = f;
  }
  const SandwichPlan plan = simulate_sandwich(pool, victim_in, best);
  if (plan.front_in <= 0 || plan.front_out <= 0 || plan.profit() <= 0) return std::nullopt;
  return plan;
}

}  // namespace shardsim::agents
