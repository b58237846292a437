// The perps exchange's typed queries: socialised losses as bad debt, accounts below maintenance
// margin with their margin ratio, the configured liquidation terms, marks, positions, margins and
// the exact reward a liquidation would pay now.
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {

PerpsTerms terms_of(const PerpsConfig& config) {
  PerpsTerms t;
  t.collateral = config.collateral;
  t.liquidation_penalty_wad = config.liquidation_penalty_wad;
  t.liquidator_share_wad = config.liquidator_share_wad;
  t.markets.reserve(config.markets.size());
  for (const MarketConfig& m : config.markets) t.markets.push_back({m.name, m.index, m.imf_wad, m.mmf_wad});
  return t;
}

ProtocolQueries Perps::queries() const {
  ProtocolQueries q;
  q.risk = this;
  q.perps = this;
  return q;
}

// One collateral unit counts as 1 USD (perps_config.hpp).
i128 Perps::bad_debt_usd_wad(const ShardContext&) const {
  return mul_div(socialised_loss_.raw(), kWadUnit, pow10(decimals_), Round::down);
}

i128 Perps::insurance_fund_usd_wad(const ShardContext&) const {
  return mul_div(insurance_fund_.raw(), kWadUnit, pow10(decimals_), Round::down);
}

i128 Perps::insurance_drawn_usd_wad(const ShardContext&) const {
  return mul_div(insurance_drawn_.raw(), kWadUnit, pow10(decimals_), Round::down);
}

// Beyond the insurance fund, losses land on the house book: every other trader's.
i128 Perps::socialised_usd_wad(const ShardContext& ctx) const { return bad_debt_usd_wad(ctx); }

void Perps::accounts_at_risk(const ShardContext& ctx, i128 health_below_wad, std::vector<AccountHealth>& out) const {
  for (const auto& [id, acct] : accounts_) {  // by account id
    if (!has_positions(acct)) continue;
    MarginResult r;
    try {
      r = margin_of(ctx, acct.q.raw(), acct.size_wad, config_.markets.size(), 0);
    } catch (const ArithmeticError&) {
      continue;
    }
    if (r.missing_price) continue;
    const i128 ratio = r.totals.mmr > 0 ? health_ratio_wad(r.totals.equity, r.totals.mmr) : kHealthMaxWad;
    if (!r.totals.liquidatable() && !(ratio < health_below_wad)) continue;
    out.push_back(AccountHealth{id, HealthMeasure::margin_ratio, ratio, r.totals.liquidatable()});
  }
}

std::optional<i128> Perps::mark_wad(const ShardContext& ctx, std::size_t market) const {
  if (market >= config_.markets.size()) return std::nullopt;
  return ctx.oracle_price_wad(config_.markets[market].index);
}

i128 Perps::position_wad(AccountId account, std::size_t market) const {
  const PerpsAccount* acct = find_account(account);
  return acct == nullptr || market >= acct->size_wad.size() ? 0 : acct->size_wad[market];
}

std::optional<PerpsMargin> Perps::account_margin(const ShardContext& ctx, AccountId account) const {
  const PerpsAccount* acct = find_account(account);
  if (acct == nullptr) return std::nullopt;
  try {
    const MarginResult r = margin_of(ctx, acct->q.raw(), acct->size_wad, config_.markets.size(), 0);
    if (r.missing_price) return std::nullopt;
    return PerpsMargin{r.totals.equity, r.totals.imr, r.totals.mmr, has_positions(*acct)};
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

std::optional<i128> Perps::liquidation_reward(const ShardContext& ctx, AccountId account) const {
  const PerpsAccount* acct = find_account(account);
  if (acct == nullptr) return std::nullopt;
  try {
    const MarginResult r = margin_of(ctx, acct->q.raw(), acct->size_wad, config_.markets.size(), 0);
    if (r.missing_price || !r.totals.liquidatable()) return std::nullopt;
    return quote_liquidation(ctx, *acct).reward;
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

bool Perps::has_positions(const PerpsAccount& acct) {
  for (const i128 s : acct.size_wad) {
    if (s != 0) return true;
  }
  return false;
}

}  // namespace shardsim::protocols::perps
