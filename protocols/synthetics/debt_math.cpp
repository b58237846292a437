// Fixed-point debt pool arithmetic (values in WAD USD, shares in WAD).
#include "protocols/synthetics/debt_math.hpp"

#include <array>

namespace shardsim::protocols::synthetics {
namespace {

constexpr std::array<i128, 39> make_scales() {
  std::array<i128, 39> t{};
  i128 v = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    t[i] = v;
    if (i + 1 < t.size()) v *= 10;
  }
  return t;
}
constexpr std::array<i128, 39> kScales = make_scales();

}  // namespace

i128 unit_scale(int decimals) {
  if (decimals < 0 || decimals > 38) throw ArithmeticError("unit_scale: decimals out of range");
  return kScales[static_cast<std::size_t>(decimals)];
}

i128 value_wad(i128 units, int decimals, i128 price_wad, Round r) {
  return mul_div(units, price_wad, unit_scale(decimals), r);
}

i128 units_for_value(i128 value, int decimals, i128 price_wad, Round r) {
  return mul_div(value, unit_scale(decimals), price_wad, r);
}

i128 shares_for_issue(i128 value, i128 total_debt, i128 total_shares) {
  if (total_shares <= 0 || total_debt <= 0) return value;
  return mul_div(value, total_shares, total_debt, Round::up);
}

i128 shares_for_burn(i128 value, i128 total_debt, i128 total_shares) {
  if (total_shares <= 0 || total_debt <= 0) return 0;
  return mul_div(value, total_shares, total_debt, Round::down);
}

i128 debt_of_shares(i128 shares, i128 total_debt, i128 total_shares) {
  if (total_shares <= 0 || shares <= 0 || total_debt <= 0) return 0;
  return mul_div(shares, total_debt, total_shares, Round::up);
}

i128 issuable_wad(i128 collateral_value, i128 debt, i128 issuance_ratio) {
  return wad_mul(collateral_value, issuance_ratio, Round::down) - debt;
}

bool ratio_exceeds(i128 debt, i128 collateral_value, i128 ratio) {
  if (debt <= 0) return false;
  // debt > floor(C * ratio / WAD) exactly when debt > C * ratio / WAD, debt being an integer.
  return debt > wad_mul(collateral_value, ratio, Round::down);
}

i128 burn_to_fix_wad(i128 debt, i128 collateral_value, i128 r, i128 penalty) {
  const i128 excess = debt - wad_mul(collateral_value, r, Round::down);
  if (excess <= 0) return 0;
  const i128 denominator = kWadUnit - wad_mul(kWadUnit + penalty, r, Round::up);
  if (denominator <= 0) throw ArithmeticError("burn_to_fix: (1 + penalty) * ratio >= 1");
  return mul_div(excess, kWadUnit, denominator, Round::up);
}

ExchangeQuote quote_exchange(i128 amount_units, ExchangeLeg from, ExchangeLeg to, ExchangeLeg susd,
                             i128 fee_rate_wad) {
  ExchangeQuote q;
  q.gross_value_wad = value_wad(amount_units, from.decimals, from.price_wad, Round::down);
  q.fee_value_wad = wad_mul(q.gross_value_wad, fee_rate_wad, Round::up);
  q.out_units = units_for_value(q.gross_value_wad - q.fee_value_wad, to.decimals, to.price_wad, Round::down);
  q.fee_units = units_for_value(q.fee_value_wad, susd.decimals, susd.price_wad, Round::down);
  return q;
}

i128 checked_add(i128 a, i128 b) {
  i128 out;
  if (__builtin_add_overflow(a, b, &out)) throw ArithmeticError("synthetics: sum beyond 128 bits");
  return out;
}

}  // namespace shardsim::protocols::synthetics
