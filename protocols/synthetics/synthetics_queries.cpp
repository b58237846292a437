// The synthetics protocol's typed queries: the debt pool above its staked collateral and backstop
// reserve as bad debt,
// stakers with their c-ratio (below the liquidation line: flaggable), the configured issuance
// and liquidation terms, synth supplies, and one staker's debt and collateral.
#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::protocols::synthetics {
namespace {

template <class F>
std::optional<i128> guarded(F compute) {
  try {
    return compute();
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

}  // namespace

SyntheticsTerms terms_of(const Config& cfg) {
  SyntheticsTerms t;
  t.collateral = cfg.collateral;
  t.susd = cfg.synths[cfg.susd].asset;
  t.issuance_ratio_wad = cfg.issuance_ratio_wad;
  t.liquidation_ratio_wad = cfg.liquidation_ratio_wad;
  t.liquidation_penalty_wad = cfg.liquidation_penalty_wad;
  t.liquidation_delay = cfg.liquidation_delay;
  t.synths.reserve(cfg.synths.size());
  for (const SynthSpec& s : cfg.synths) t.synths.push_back({s.asset, s.tracks, s.fee_rate_wad});
  return t;
}

ProtocolQueries SyntheticsProtocol::queries() const {
  ProtocolQueries q;
  q.risk = this;
  q.synthetics = this;
  return q;
}

std::optional<i128> SyntheticsProtocol::collateral_price_now(const ShardContext& ctx) const {
  const auto p = ctx.oracle_price_wad(cfg_.collateral);
  if (!p || *p <= 0) return std::nullopt;
  return p;
}

// Collateral without a price backs nothing.
i128 SyntheticsProtocol::bad_debt_usd_wad(const ShardContext& ctx) const {
  const std::optional<i128> total = total_debt_wad(ctx);
  if (!total || *total <= 0) return 0;
  i128 staked = 0;
  for (const auto& [who, s] : stakers_) staked += s.collateral.raw();
  const auto price = collateral_price_now(ctx);
  const int decimals = ctx.decimals(cfg_.collateral);
  const std::optional<i128> backing =
      price ? guarded([&] { return value_wad(staked, decimals, *price, Round::down); }) : std::optional<i128>(0);
  const std::optional<i128> reserve = reserve_value_wad(ctx);
  if (!backing || !reserve) return 0;
  const i128 backed = *backing + *reserve;
  return *total > backed ? *total - backed : 0;
}

void SyntheticsProtocol::accounts_at_risk(const ShardContext& ctx, i128 health_below_wad,
                                          std::vector<AccountHealth>& out) const {
  if (stakers_.empty()) return;
  const std::optional<i128> total = total_debt_wad(ctx);
  const auto price = collateral_price_now(ctx);
  if (!total || !price) return;
  const int decimals = ctx.decimals(cfg_.collateral);
  for (const auto& [who, s] : stakers_) {  // by account id
    const auto debt = guarded([&] { return debt_of_shares(s.shares, *total, total_shares_); });
    const auto value = guarded([&] { return value_wad(s.collateral.raw(), decimals, *price, Round::down); });
    if (!debt || !value || *debt <= 0) continue;
    const bool below_line = ratio_exceeds(*debt, *value, cfg_.liquidation_ratio_wad);
    const i128 c_ratio = health_ratio_wad(*value, *debt);
    if (!below_line && !(c_ratio < health_below_wad)) continue;
    out.push_back(AccountHealth{who, HealthMeasure::c_ratio, c_ratio, below_line});
  }
}

core::Amount SyntheticsProtocol::synth_supply(AssetId synth) const {
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    if (cfg_.synths[i].asset == synth) return supply_[i];
  }
  return {};
}

std::optional<StakerView> SyntheticsProtocol::staker(const ShardContext& ctx, AccountId account) const {
  const auto it = stakers_.find(account);
  if (it == stakers_.end()) return std::nullopt;
  const Staker& s = it->second;
  StakerView v;
  v.collateral = s.collateral.raw();
  if (const auto price = collateral_price_now(ctx)) {
    v.collateral_value_wad = guarded([&] { return value_wad(s.collateral.raw(), ctx.decimals(cfg_.collateral), *price, Round::down); });
  }
  v.debt_wad = debt_wad(ctx, account);
  v.flagged_at = s.flagged_at;
  return v;
}

// No insurance fund: the debt pool's unbacked part is shared by every staker pro rata.
i128 SyntheticsProtocol::insurance_fund_usd_wad(const ShardContext&) const { return 0; }
i128 SyntheticsProtocol::insurance_drawn_usd_wad(const ShardContext&) const { return 0; }
i128 SyntheticsProtocol::socialised_usd_wad(const ShardContext& ctx) const { return bad_debt_usd_wad(ctx); }

}  // namespace shardsim::protocols::synthetics
