// Black-Scholes with r = 0: C = S N(d1) - K N(d2), P = K N(-d2) - S N(-d1).
#include "protocols/options/black_scholes.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::protocols::options {
namespace {

double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

bool degenerate(const BsInputs& in) {
  return in.years <= 0 || in.vol <= 0 || in.spot <= 0 || in.strike <= 0;
}

double intrinsic(const BsInputs& in) {
  return in.put ? std::max(in.strike - in.spot, 0.0) : std::max(in.spot - in.strike, 0.0);
}

struct D12 {
  double d1, d2;
};

D12 d12(const BsInputs& in) {
  const double sd = in.vol * std::sqrt(in.years);
  const double d1 = (std::log(in.spot / in.strike) + 0.5 * sd * sd) / sd;
  return {d1, d1 - sd};
}

}  // namespace

double bs_value(const BsInputs& in) {
  if (degenerate(in)) return intrinsic(in);
  const auto [d1, d2] = d12(in);
  if (in.put) return in.strike * norm_cdf(-d2) - in.spot * norm_cdf(-d1);
  return in.spot * norm_cdf(d1) - in.strike * norm_cdf(d2);
}

double bs_delta(const BsInputs& in) {
  if (degenerate(in)) {
    if (in.put) return in.spot < in.strike ? -1.0 : 0.0;
    return in.spot > in.strike ? 1.0 : 0.0;
  }
  const double n1 = norm_cdf(d12(in).d1);
  return in.put ? n1 - 1.0 : n1;
}

}  // namespace shardsim::protocols::options
