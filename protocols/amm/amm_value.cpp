// Revaluation of constant-product LP shares: value, deltas and impermanent loss.
#include "protocols/amm/amm_value.hpp"

#include <cmath>

namespace shardsim::protocols::amm {

double lp_value_per_unit(double k_whole, double lp_supply_whole, double price_a, double price_b) {
  if (!(lp_supply_whole > 0) || k_whole < 0 || price_a < 0 || price_b < 0) return 0.0;
  return 2.0 * std::sqrt(k_whole * price_a * price_b) / lp_supply_whole;
}

std::pair<double, double> lp_deltas_per_unit(double k_whole, double lp_supply_whole, double price_a,
                                             double price_b) {
  if (!(lp_supply_whole > 0) || !(price_a > 0) || !(price_b > 0) || k_whole < 0) return {0.0, 0.0};
  return {std::sqrt(k_whole * price_b / price_a) / lp_supply_whole,
          std::sqrt(k_whole * price_a / price_b) / lp_supply_whole};
}

double impermanent_loss(double price_ratio) {
  return 2.0 * std::sqrt(price_ratio) / (1.0 + price_ratio) - 1.0;
}

}  // namespace shardsim::protocols::amm
