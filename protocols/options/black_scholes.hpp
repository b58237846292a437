// Models the Black-Scholes value and delta of a European option (no rates, no dividends): the
// mark the protocol publishes and the broker revalues per price scenario. Doubles: a mark, never
// money. At or past expiry (or with zero volatility) it is the intrinsic value.
#pragma once

namespace shardsim::protocols::options {

struct BsInputs {
  bool put = false;
  double spot = 0;      // underlying price, USD
  double strike = 0;    // USD
  double years = 0;     // time to expiry, years of 365 days
  double vol = 0;       // annual volatility
};

double bs_value(const BsInputs& in);
// d(value)/d(spot).
double bs_delta(const BsInputs& in);

inline constexpr double kSecondsPerYear = 365.0 * 86400.0;

}  // namespace shardsim::protocols::options
