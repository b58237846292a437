// Models what an LP share of a constant-product pool is worth under a price scenario (the pool
// re-balanced by arbitrage to the scenario's price ratio), its price sensitivities, and the
// impermanent loss against holding. Doubles: for risk models and reports only.
#pragma once

#include <utility>

namespace shardsim::protocols::amm {

// USD value of one whole LP unit: 2*sqrt(k*Pa*Pb)/T, with k = Ra*Rb and T in whole units.
// Zero when T <= 0 or any input is negative.
double lp_value_per_unit(double k_whole, double lp_supply_whole, double price_a, double price_b);
// d(value per LP unit)/dPa and /dPb at (Pa, Pb): the re-balanced reserves per LP unit,
// sqrt(k*Pb/Pa)/T and sqrt(k*Pa/Pb)/T. Both zero unless T, Pa, Pb > 0.
std::pair<double, double> lp_deltas_per_unit(double k_whole, double lp_supply_whole, double price_a,
                                             double price_b);
// Impermanent loss at price ratio r (new/old price of A against B): 2*sqrt(r)/(1+r) - 1.
double impermanent_loss(double price_ratio);

}  // namespace shardsim::protocols::amm
