// Construction, dispatch, pricing of the debt pool and argument readers for the synthetics protocol.
#include "protocols/synthetics/synthetics_protocol.hpp"

#include <stdexcept>

#include "protocols/synthetics/debt_math.hpp"
#include "protocols/synthetics/op_support.hpp"

namespace shardsim::protocols::synthetics {

core::Amount positive_amount_arg(const OpArgs& args, std::string_view key, const ShardContext& ctx, AssetId asset) {
  const auto text = args.text(key);
  if (!text) reject("missing arg " + std::string(key));
  const auto amount = core::Amount::parse(*text, ctx.decimals(asset));
  if (!amount) reject("malformed arg " + std::string(key));
  if (amount->raw() <= 0) reject(std::string(key) + " must be positive");
  return *amount;
}

std::string_view text_arg(const OpArgs& args, std::string_view key) {
  const auto text = args.text(key);
  if (!text || text->empty()) reject("missing arg " + std::string(key));
  return *text;
}

AccountId account_arg(const OpArgs& args, std::string_view key, const ShardContext& ctx) {
  const std::string_view name = text_arg(args, key);
  const auto id = ctx.account(name);
  if (!id) reject("unknown account " + std::string(name));
  return *id;
}

SyntheticsProtocol::SyntheticsProtocol(Config config, std::string name, AccountId account)
    : cfg_(std::move(config)), name_(std::move(name)), account_(account) {
  if (const auto error = cfg_.validate()) throw std::invalid_argument("synthetics " + name_ + ": " + *error);
  supply_.resize(cfg_.synths.size());
  terms_ = terms_of(cfg_);
}

std::vector<std::pair<std::string, std::vector<std::string>>> SyntheticsProtocol::op_list() {
  return {{"stake", {"amount"}},
          {"unstake", {"amount"}},
          {"issue", {"amount"}},
          {"burn", {"amount"}},
          {"exchange", {"from", "to", "amount"}},
          {"flag", {"staker"}},
          {"liquidate", {"staker", "amount"}},
          {"claim_fees", {}},
          {"fund_reserve", {"amount"}}};
}

OpResult SyntheticsProtocol::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (sender == account_) return OpResult::revert("the protocol account cannot call its own operations");
  try {
    if (op == "exchange") {
      exchange(ctx, sender, args);
    } else if (op == "issue") {
      issue(ctx, sender, args);
    } else if (op == "burn") {
      burn(ctx, sender, args);
    } else if (op == "stake") {
      stake(ctx, sender, args);
    } else if (op == "unstake") {
      unstake(ctx, sender, args);
    } else if (op == "flag") {
      flag(ctx, sender, args);
    } else if (op == "liquidate") {
      liquidate(ctx, sender, args);
    } else if (op == "claim_fees") {
      return claim_fees(ctx, sender);
    } else if (op == "fund_reserve") {
      fund_reserve(ctx, sender, args);
    } else {
      return OpResult::revert("unknown op " + std::string(op));
    }
  } catch (const Reject& r) {
    return OpResult::revert(r.reason);
  }
  return OpResult::success();
}

i128 SyntheticsProtocol::oracle_price(const ShardContext& ctx, AssetId asset) const {
  const auto price = ctx.oracle_price_wad(asset);
  if (!price) reject("no oracle price for " + ctx.asset_symbol(asset));
  if (*price <= 0) reject("invalid oracle price for " + ctx.asset_symbol(asset));
  return *price;
}

i128 SyntheticsProtocol::synth_price(const ShardContext& ctx, std::size_t synth) const {
  const SynthSpec& s = cfg_.synths[synth];
  return s.tracks ? oracle_price(ctx, *s.tracks) : kWadUnit;
}

i128 SyntheticsProtocol::total_debt(const ShardContext& ctx) const {
  i128 total = 0;
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    if (supply_[i].is_zero()) continue;
    const SynthSpec& s = cfg_.synths[i];
    total = checked_add(total, value_wad(supply_[i].raw(), ctx.decimals(s.asset), synth_price(ctx, i), Round::up));
  }
  return total;
}

i128 SyntheticsProtocol::collateral_value(const ShardContext& ctx, core::Amount collateral) const {
  if (collateral.is_zero()) return 0;
  return value_wad(collateral.raw(), ctx.decimals(cfg_.collateral), oracle_price(ctx, cfg_.collateral), Round::down);
}

std::optional<std::size_t> SyntheticsProtocol::synth_index(const ShardContext& ctx, std::string_view symbol) const {
  const auto asset = ctx.asset(symbol);
  if (!asset) return std::nullopt;
  for (std::size_t i = 0; i < cfg_.synths.size(); ++i) {
    if (cfg_.synths[i].asset == *asset) return i;
  }
  return std::nullopt;
}

const Staker& SyntheticsProtocol::no_staker() {
  static const Staker empty;
  return empty;
}

const Staker& SyntheticsProtocol::staker_or_empty(AccountId who) const {
  const auto it = stakers_.find(who);
  return it == stakers_.end() ? no_staker() : it->second;
}

void SyntheticsProtocol::store_staker(AccountId who, const Staker& s) {
  if (s.collateral.is_zero() && s.shares == 0 && !s.flagged_at && s.fees_owed == 0) {
    stakers_.erase(who);
  } else {
    stakers_[who] = s;
  }
}

bool SyntheticsProtocol::target_restored(const ShardContext& ctx, const Staker& s) const {
  if (s.shares == 0) return true;
  try {
    const i128 debt = debt_of_shares(s.shares, total_debt(ctx), total_shares_);
    return !ratio_exceeds(debt, collateral_value(ctx, s.collateral), cfg_.issuance_ratio_wad);
  } catch (const Reject&) {
    return false;  // unpriced: keep the flag
  } catch (const ArithmeticError&) {
    return false;  // called after state changes: must not throw
  }
}

std::optional<i128> SyntheticsProtocol::total_debt_wad(const ShardContext& ctx) const {
  try {
    return total_debt(ctx);
  } catch (const Reject&) {
    return std::nullopt;
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

std::optional<i128> SyntheticsProtocol::debt_wad(const ShardContext& ctx, AccountId staker) const {
  const auto total = total_debt_wad(ctx);
  if (!total) return std::nullopt;
  try {
    return debt_of_shares(staker_or_empty(staker).shares, *total, total_shares_);
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

}  // namespace shardsim::protocols::synthetics
