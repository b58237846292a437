// Perps accounts and their operations: deposit, withdraw and fund_insurance (trades and the order
// book are in orders.cpp).
#include "protocols/perps/perps.hpp"

#include <limits>

namespace shardsim::protocols::perps {
namespace {

constexpr std::size_t kNoMarket = std::numeric_limits<std::size_t>::max();

}  // namespace

std::vector<std::pair<std::string, std::vector<std::string>>> perps_operations() {
  return {
      {"deposit", {"amount"}},
      {"withdraw", {"amount"}},
      {"trade", {"market", "size", "limit_price"}},
      {"liquidate", {"account"}},
      {"fund_insurance", {"amount"}},
      {"place_order", {"market", "size", "price"}},
      {"cancel_order", {"id"}},
  };
}

Perps::Perps(std::string name, AccountId account, PerpsConfig config, const Registry& registry)
    : name_(std::move(name)),
      account_(account),
      config_(std::move(config)),
      terms_(terms_of(config_)),
      decimals_(registry.decimals(config_.collateral)),
      scale_(notional_scale(decimals_)),
      open_interest_(config_.markets.size()),
      next_funding_(core::SimTime::zero() + config_.funding_interval),
      books_(config_.markets.size()),
      last_sample_(core::SimTime::zero()) {}

const PerpsAccount* Perps::find_account(AccountId a) const {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? nullptr : &it->second;
}

std::optional<std::size_t> Perps::market_index(std::string_view market) const {
  for (std::size_t m = 0; m < config_.markets.size(); ++m) {
    if (config_.markets[m].name == market) return m;
  }
  return std::nullopt;
}

std::string Perps::no_price(const ShardContext& ctx, AssetId a) const {
  return "no oracle price for " + ctx.asset_symbol(a);
}

PerpsAccount& Perps::account_of(AccountId a) {
  PerpsAccount& acct = accounts_[a];
  if (acct.size_wad.empty()) acct.size_wad.assign(config_.markets.size(), 0);
  return acct;
}

void Perps::set_size(PerpsAccount& acct, std::size_t m, i128 size_wad) {
  OpenInterest& oi = open_interest_[m];
  const i128 old = acct.size_wad[m];
  if (old > 0) oi.long_wad -= old;
  if (old < 0) oi.short_wad += old;
  if (size_wad > 0) oi.long_wad += size_wad;
  if (size_wad < 0) oi.short_wad -= size_wad;
  acct.size_wad[m] = size_wad;
}

MarginResult Perps::margin_of(const ShardContext& ctx, i128 q, const std::vector<i128>& sizes, std::size_t m,
                              i128 size_m) const {
  MarginResult out;
  out.totals.equity = q;
  for (std::size_t i = 0; i < config_.markets.size(); ++i) {
    const i128 size = i == m ? size_m : (sizes.empty() ? 0 : sizes[i]);
    if (size == 0) continue;
    const MarketConfig& mk = config_.markets[i];
    const auto price = ctx.oracle_price_wad(mk.index);
    if (!price || *price <= 0) {
      out.missing_price = mk.index;
      return out;
    }
    out.totals.equity += position_value_floor(size, *price, scale_);
    const i128 notional = notional_units(size, *price, scale_, Round::up);
    out.totals.imr += mul_div(notional, mk.imf_wad, kWadUnit, Round::up);
    out.totals.mmr += mul_div(notional, mk.mmf_wad, kWadUnit, Round::up);
  }
  return out;
}

MarginResult Perps::margin(const ShardContext& ctx, AccountId a) const {
  const PerpsAccount* acct = find_account(a);
  if (acct == nullptr) return {};
  return margin_of(ctx, acct->q.raw(), acct->size_wad, kNoMarket, 0);
}

bool Perps::seed_insurance_fund(ShardContext& ctx) {
  if (seeded_) return false;
  seeded_ = true;
  if (config_.insurance_fund.is_zero()) return false;
  ctx.mint(account_, config_.collateral, config_.insurance_fund);
  insurance_fund_ += config_.insurance_fund;
  return true;
}

OpResult Perps::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  const bool seeded_now = seed_insurance_fund(ctx);
  // A revert rolls the mint back on the ledger, so the fund must be seeded again next time.
  const auto unseed = [&] {
    if (!seeded_now) return;
    seeded_ = false;
    insurance_fund_ -= config_.insurance_fund;
  };
  OpResult r;
  try {
    r = dispatch(ctx, sender, op, args);
  } catch (...) {
    unseed();
    throw;
  }
  if (!r.ok) unseed();
  return r;
}

OpResult Perps::dispatch(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (op == "trade") return trade(ctx, sender, args);
  if (op == "deposit") return deposit(ctx, sender, args);
  if (op == "withdraw") return withdraw(ctx, sender, args);
  if (op == "liquidate") return liquidate(ctx, sender, args);
  if (op == "fund_insurance") return fund_insurance(ctx, sender, args);
  if (op == "place_order") return place_order(ctx, sender, args);
  if (op == "cancel_order") return cancel_order(ctx, sender, args);
  return OpResult::revert("unknown op " + std::string(op));
}

std::optional<core::Amount> Perps::positive_amount(const ShardContext& ctx, const OpArgs& args,
                                                   std::string& why) const {
  if (!args.text("amount")) {
    why = "missing arg amount";
    return std::nullopt;
  }
  const auto amount = args.amount("amount", ctx, config_.collateral);
  if (!amount) {
    why = "malformed arg amount";
    return std::nullopt;
  }
  if (amount->raw() <= 0) {
    why = "amount must be positive";
    return std::nullopt;
  }
  return amount;
}

OpResult Perps::deposit(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto amount = positive_amount(ctx, args, why);
  if (!amount) return OpResult::revert(why);
  if (!ctx.transfer(sender, account_, config_.collateral, *amount)) return OpResult::revert("insufficient balance");
  account_of(sender).q += *amount;
  return OpResult::success();
}

OpResult Perps::fund_insurance(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto amount = positive_amount(ctx, args, why);
  if (!amount) return OpResult::revert(why);
  if (!ctx.transfer(sender, account_, config_.collateral, *amount)) return OpResult::revert("insufficient balance");
  insurance_fund_ += *amount;
  return OpResult::success();
}

OpResult Perps::withdraw(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto amount = positive_amount(ctx, args, why);
  if (!amount) return OpResult::revert(why);
  const auto it = accounts_.find(sender);
  if (it == accounts_.end()) return OpResult::revert("insufficient free collateral");
  const MarginResult m = margin_of(ctx, (it->second.q - *amount).raw(), it->second.size_wad, kNoMarket, 0);
  if (m.missing_price) return OpResult::revert(no_price(ctx, *m.missing_price));
  if (m.totals.free_collateral() < 0) return OpResult::revert("insufficient free collateral");
  if (!ctx.transfer(account_, sender, config_.collateral, *amount)) {
    return OpResult::revert("insufficient protocol liquidity");
  }
  it->second.q -= *amount;
  return OpResult::success();
}

}  // namespace shardsim::protocols::perps
