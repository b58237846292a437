// Models what an off-chain agent computes about a constant-product pool (x*y=k with a fee, the
// Uniswap v2 integer formula): the output of a swap, the input that moves the pool's marginal
// price to a target (an arbitrage), and a sandwich around a victim's swap under its slippage
// bound (min_out). Integer simulation in raw units, exactly as the pool executes.
#pragma once

#include <optional>

#include "protocols/api/fixed_point.hpp"

namespace shardsim::agents {

using protocols::i128;

struct CpPool {
  i128 r_in = 0;   // reserve of the asset sold, raw units
  i128 r_out = 0;  // reserve of the asset bought
  i128 fee_num = 3;
  i128 fee_den = 1000;
};

// floor(in*keep*r_out / (r_in*den + in*keep)), keep = den - num; 0 for in <= 0.
i128 cp_out(const CpPool& p, i128 in);

// Whole units of the sold asset that bring the pool's marginal price (net of fee) to `price`,
// the value of one sold unit in bought units: (sqrt(g*x*y/price) - x) / g with g = 1 - fee; 0 when
// selling does not pay. Reserves in whole units.
double arb_input(double x, double y, double fee, double price);

struct SandwichPlan {
  i128 front_in = 0;        // sold by the front-run (the victim's sell asset)
  i128 front_out = 0;       // bought by it; sold back by the back-run
  i128 back_out = 0;        // what the back-run returns, in the victim's sell asset
  i128 victim_out = 0;      // the victim's output after the front-run (>= its min_out)
  i128 victim_out_clean = 0;  // its output without the front-run
  i128 profit() const { return back_out - front_in; }  // in the victim's sell asset, before gas
};

// The front-run (at most `cap`) that maximises the sandwich's gross profit while the victim's
// swap of `victim_in` still returns at least `min_out`; nothing when no front-run gains.
std::optional<SandwichPlan> plan_sandwich(const CpPool& pool, i128 victim_in, i128 min_out, i128 cap);

// The sandwich with a given front-run, simulated in order: front-run, victim, back-run.
SandwichPlan simulate_sandwich(const CpPool& pool, i128 victim_in, i128 front_in);

}  // namespace shardsim::agents
