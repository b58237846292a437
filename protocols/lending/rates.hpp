// Models the interest-rate mechanics of an Aave v2 reserve in RAY: utilisation, the kinked
// variable borrow rate, the supply rate, and index growth over a span of simulated time.
#pragma once

#include <cstdint>

#include "protocols/api/fixed_point.hpp"
#include "protocols/lending/params.hpp"

namespace shardsim::protocols::lending {

inline constexpr std::int64_t kYearUs = 365LL * 86'400 * 1'000'000;  // a year of 365 days, in us
inline constexpr i128 kWadToRay = kRayUnit / kWadUnit;               // 1e9

// U = debt / (cash + debt), 0 without debt. Rounds down (debt and cash in asset units, >= 0).
i128 utilization_ray(i128 debt_units, i128 cash_units);

// The kinked variable borrow rate (annual, RAY) at utilisation `u_ray`. Rounds up.
i128 borrow_rate_ray(const ReserveParams& p, i128 u_ray);

// borrow rate * U * (1 - reserve factor) (annual, RAY). Rounds down.
i128 supply_rate_ray(i128 borrow_rate_ray, i128 u_ray, i128 reserve_factor_wad);

// 1 + r*dt/year (RAY), the liquidity index's linear growth. Rounds down.
i128 linear_growth_ray(i128 rate_ray, std::int64_t dt_us);

// 1 + x + x^2/2 + x^3/6 with x = r*dt/year (RAY): the three-term approximation of the borrow
// index's compounding. Rounds up.
i128 compound_growth_ray(i128 rate_ray, std::int64_t dt_us);

}  // namespace shardsim::protocols::lending
