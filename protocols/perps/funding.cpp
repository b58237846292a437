// Perps funding: at every block each market's premium (perp mid - index) / index is sampled into
// a time-weighted average; at every funding interval each position pays -S * P_oracle * R with
// R = premium TWAP / 8 + interest, longs paying when R > 0. The house book takes the other side
// of every payment, so funding conserves value.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {

void Perps::on_block(ShardContext& ctx) {
  seed_insurance_fund(ctx);  // no rollback in on_block: the mint stands
  sample_premium(ctx);
  for (std::size_t m = 0; m < config_.markets.size(); ++m) repeg_if_due(ctx, m);
  if (ctx.now() < next_funding_) return;
  const i128 intervals = (ctx.now() - next_funding_) / config_.funding_interval + 1;
  next_funding_ += config_.funding_interval * static_cast<std::int64_t>(intervals);
  settle_funding(ctx, intervals);
}

// The premium that held since the last sample (the book and last trade price as the previous
// block left them, against the current index), weighted by the time since that sample. A market
// without an index price skips the sample.
void Perps::sample_premium(const ShardContext& ctx) {
  const std::int64_t dt = (ctx.now() - last_sample_).count_us();
  if (dt <= 0) return;
  last_sample_ = ctx.now();
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    const auto premium = premium_wad(ctx, m);
    if (!premium) continue;
    books_[m].premium_acc += *premium * dt;
    books_[m].premium_us += dt;
  }
}

i128 Perps::premium_twap_wad(std::size_t m) const {
  const MarketBook& b = books_[m];
  return b.premium_us == 0 ? 0 : b.premium_acc / b.premium_us;  // truncated toward zero
}

// R = premium TWAP / 8 + interest per interval (each truncated toward zero); the TWAP restarts.
// Missed intervals (a halted shard) are settled together at the current price and TWAP.
void Perps::settle_funding(ShardContext& ctx, i128 intervals) {
  ++funding_settlements_;
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    MarketBook& b = books_[m];
    const i128 per_interval = premium_twap_wad(m) / 8 + config_.funding_interest_wad;
    b.premium_acc = 0;
    b.premium_us = 0;
    b.last_rate_wad = per_interval;
    if (m == 0) last_funding_rate_wad_ = per_interval;
    const i128 rate = per_interval * intervals;
    if (rate == 0) continue;
    const i128 abs_rate = rate < 0 ? -rate : rate;
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
