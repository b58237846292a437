// Models the conversion of an exact amount to a double for risk estimates and display: the double
// nearest to raw / 10^decimals (ties to even), the value strtod would read from the amount's exact
// decimal text, computed from the integers without the text and without allocating.
#pragma once

#include "protocols/api/fixed_point.hpp"

namespace shardsim::protocols {

// decimals in [0, 38].
double decimal_to_double(i128 raw, int decimals);

// A WAD (18 decimals) as the nearest double.
inline double wad_to_nearest_double(i128 wad) { return decimal_to_double(wad, 18); }

}  // namespace shardsim::protocols
