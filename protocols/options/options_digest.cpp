// The options protocol's final-state digest and its risk query: exact integers only (params,
// vaults, series books, expiry prices); bad debt is what unsettled vaults' collateral would not
// cover of their requirement now (zero while the margin check holds), valued at the oracle.
#include "core/state_digest.hpp"
#include "protocols/options/options_protocol.hpp"

namespace shardsim::protocols::options {

void OptionsProtocol::digest(core::StateDigest& d, const ShardContext&) const {
  d.u64(params_.cash);
  d.u64(params_.settlement == Settlement::cash ? 0 : 1);
  d.i64(params_.locking_period.count_us());
  d.i64(params_.dispute_window.count_us());
  d.i64(params_.exercise_window.count_us());
  d.str(params_.disputer);
  d.u64(params_.series.size());
  for (std::size_t i = 0; i < params_.series.size(); ++i) {
    const Series& s = params_.series[i];
    d.str(s.name);
    d.u64(s.token);
    d.u64(s.underlying);
    d.int128(s.strike_wad);
    d.i64(s.expiry.count_us());
    d.boolean(s.put);
    d.int128(books_[i].short_units);
    d.int128(books_[i].exercised_units);
  }
  d.u64(vaults_.size());
  for (const auto& [key, v] : vaults_) {
    d.u64(key.first);
    d.str(key.second);
    d.u64(v.collateral ? *v.collateral + 1 : 0);
    d.int128(v.collateral_units);
    d.u64(v.short_series ? *v.short_series + 1 : 0);
    d.int128(v.short_units);
    d.u64(v.long_series ? *v.long_series + 1 : 0);
    d.int128(v.long_units);
  }
  d.u64(prices_.size());
  for (const auto& [key, p] : prices_) {
    d.u64(key.first);
    d.i64(key.second);
    d.int128(p.price_wad);
    d.i64(p.reported_at.count_us());
    d.boolean(p.disputed);
  }
}

ProtocolQueries OptionsProtocol::queries() const {
  ProtocolQueries q;
  q.risk = this;
  q.claims = this;
  return q;
}

i128 OptionsProtocol::bad_debt_usd_wad(const ShardContext& ctx) const {
  i128 total = 0;
  for (const auto& [key, v] : vaults_) {
    const i128 shortfall = required_units(ctx, v) - v.collateral_units;
    if (shortfall <= 0 || !v.collateral) continue;
    const auto price = ctx.oracle_price_wad(*v.collateral);
    const i128 unit = pow10(ctx.decimals(*v.collateral));
    try {
      total += mul_div(shortfall, price && *price > 0 ? *price : kWadUnit, unit, Round::up);
    } catch (const ArithmeticError&) {
    }
  }
  return total;
}

}  // namespace shardsim::protocols::options
