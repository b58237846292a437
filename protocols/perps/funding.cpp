// Perps funding: at every funding interval each position pays -S * P_oracle * R, longs paying
// when R > 0; the house book takes the other side of every payment, so funding conserves value.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {

void Perps::on_block(ShardContext& ctx) {
  seed_insurance_fund(ctx);  // no rollback in on_block: the mint stands
  if (ctx.now() < next_funding_) return;
  const i128 intervals = (ctx.now() - next_funding_) / config_.funding_interval + 1;
  next_funding_ += config_.funding_interval * static_cast<std::int64_t>(intervals);
  settle_funding(ctx, intervals);
}

// R = premium TWAP / 8 + interest. Trades execute at the oracle index +/- a symmetric spread, so
// the perp mid equals the index and the premium is 0: R = interest per interval. Missed
// intervals (a halted shard) are settled together at the current price.
void Perps::settle_funding(ShardContext& ctx, i128 intervals) {
  const i128 rate = config_.funding_interest_wad * intervals;
  last_funding_rate_wad_ = config_.funding_interest_wad;
  ++funding_settlements_;
  if (rate == 0) return;
  const i128 abs_rate = rate < 0 ? -rate : rate;
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    if (open_interest_[m].long_wad == 0 && open_interest_[m].short_wad == 0) continue;
    const auto price = ctx.oracle_price_wad(config_.markets[m].index);
    if (!price || *price <= 0) continue;  // no mark: this market skips this settlement
    for (auto& [id, acct] : accounts_) {
      const i128 size = acct.size_wad[m];
      if (size == 0) continue;
      const bool pays = (size > 0) == (rate > 0);
      const Round r = pays ? Round::up : Round::down;  // in the protocol's favour
      const i128 notional = notional_units(size, *price, scale_, r);
      const i128 amount = mul_div(notional, abs_rate, kWadUnit, r);
      const core::Amount delta = core::Amount::units(pays ? -amount : amount);
      acct.q += delta;
      house_q_ -= delta;
    }
  }
}

}  // namespace shardsim::protocols::perps
