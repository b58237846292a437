// The kinked rate curve and index growth factors, with the rounding that favours the pool.
#include "protocols/lending/rates.hpp"

namespace shardsim::protocols::lending {

i128 utilization_ray(i128 debt_units, i128 cash_units) {
  if (debt_units <= 0) return 0;
  return mul_div(debt_units, kRayUnit, cash_units + debt_units, Round::down);
}

i128 borrow_rate_ray(const ReserveParams& p, i128 u_ray) {
  const i128 u_opt = p.u_opt_wad * kWadToRay;
  const i128 base = p.base_wad * kWadToRay;
  const i128 slope1 = p.slope1_wad * kWadToRay;
  const i128 slope2 = p.slope2_wad * kWadToRay;
  if (u_ray <= u_opt) return base + mul_div(slope1, u_ray, u_opt, Round::up);
  return base + slope1 + mul_div(slope2, u_ray - u_opt, kRayUnit - u_opt, Round::up);
}

i128 supply_rate_ray(i128 borrow_rate_ray, i128 u_ray, i128 reserve_factor_wad) {
  const i128 gross = ray_mul(borrow_rate_ray, u_ray, Round::down);
  return ray_mul(gross, kRayUnit - reserve_factor_wad * kWadToRay, Round::down);
}

i128 linear_growth_ray(i128 rate_ray, std::int64_t dt_us) {
  if (dt_us <= 0 || rate_ray == 0) return kRayUnit;
  return kRayUnit + mul_div(rate_ray, dt_us, kYearUs, Round::down);
}

i128 compound_growth_ray(i128 rate_ray, std::int64_t dt_us) {
  if (dt_us <= 0 || rate_ray == 0) return kRayUnit;
  const i128 x = mul_div(rate_ray, dt_us, kYearUs, Round::up);
  const i128 x2_half = mul_div(x, x, 2 * kRayUnit, Round::up);
  const i128 x3_sixth = mul_div(x2_half, x, 3 * kRayUnit, Round::up);
  return kRayUnit + x + x2_half + x3_sixth;
}

}  // namespace shardsim::protocols::lending
