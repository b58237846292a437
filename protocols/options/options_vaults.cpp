// Vault operations before expiry (Gamma's Controller actions): deposit and withdraw collateral,
// mint and burn the short, deposit and withdraw a long. Every change that can lower a vault's
// collateral or raise its requirement checks the margin afterwards and reverts if short.
#include <algorithm>

#include "protocols/options/options_protocol.hpp"

namespace shardsim::protocols::options {
namespace {

bool is_vault_id(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

OpResult OptionsProtocol::deposit_collateral(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const auto id = args.text("vault");
  if (!id) return OpResult::revert("missing arg vault");
  if (!is_vault_id(*id)) return OpResult::revert("malformed vault id (letters, digits, _)");
  const auto symbol = args.text("asset");
  if (!symbol) return OpResult::revert("missing arg asset");
  const auto asset = ctx.asset(*symbol);
  if (!asset) return OpResult::revert("unknown asset " + std::string(*symbol));
  std::string why;
  const auto units = positive_units(ctx, args, "amount", *asset, why);
  if (!units) return OpResult::revert(why);
  const auto it = vaults_.find(VaultKey{sender, std::string(*id)});
  if (it != vaults_.end() && it->second.collateral && *it->second.collateral != *asset) {
    return OpResult::revert("vault collateral is " + ctx.asset_symbol(*it->second.collateral));
  }
  if (!ctx.transfer(sender, account_, *asset, core::Amount::units(*units))) {
    return OpResult::revert("insufficient balance");
  }
  Vault& v = vaults_[VaultKey{sender, std::string(*id)}];
  v.collateral = *asset;
  v.collateral_units += *units;
  return OpResult::success();
}

OpResult OptionsProtocol::withdraw_collateral(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Vault* v = vault_arg(sender, args, why);
  if (v == nullptr) return OpResult::revert(why);
  if (!v->collateral) return OpResult::revert("no collateral");
  const auto units = positive_units(ctx, args, "amount", *v->collateral, why);
  if (!units) return OpResult::revert(why);
  if (v->short_series && v->short_units > 0 && expired(ctx, *v->short_series)) {
    return OpResult::revert("series expired: settle the vault");
  }
  if (*units > v->collateral_units) return OpResult::revert("amount above the vault's collateral");
  Vault after = *v;
  after.collateral_units -= *units;
  if (after.collateral_units < required_units(ctx, after)) return OpResult::revert("vault undercollateralised");
  if (!ctx.transfer(account_, sender, *v->collateral, core::Amount::units(*units))) {
    return OpResult::revert("protocol lacks collateral");
  }
  *v = after;
  return OpResult::success();
}

std::optional<OptionsProtocol::VaultSeriesOp> OptionsProtocol::vault_series_op(const ShardContext& ctx, AccountId sender,
                                                                               const OpArgs& args, std::string& why) {
  Vault* v = vault_arg(sender, args, why);
  if (v == nullptr) return std::nullopt;
  const auto s = series_arg(args, why);
  if (!s) return std::nullopt;
  const Series& series = params_.series[*s];
  const auto units = positive_units(ctx, args, "amount", series.token, why);
  if (!units) return std::nullopt;
  if (expired(ctx, *s)) {
    why = "series expired";
    return std::nullopt;
  }
  return VaultSeriesOp{v, *s, *units};
}

std::optional<std::string> OptionsProtocol::wrong_collateral(const ShardContext& ctx, const Vault& v, const Series& series) const {
  if (v.collateral == params_.collateral_of(series)) return std::nullopt;
  return "series " + series.name + " needs " + ctx.asset_symbol(params_.collateral_of(series)) + " collateral";
}

OpResult OptionsProtocol::mint(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto op = vault_series_op(ctx, sender, args, why);
  if (!op) return OpResult::revert(why);
  Vault* v = op->vault;
  const std::size_t s = op->series;
  const Series& series = params_.series[s];
  const i128 units = op->units;
  if (v->short_series && v->short_units > 0 && *v->short_series != s) {
    return OpResult::revert("vault already shorts " + params_.series[*v->short_series].name);
  }
  if (const auto wrong = wrong_collateral(ctx, *v, series)) return OpResult::revert(*wrong);
  if (v->long_series && v->long_units > 0 && !spread_compatible(series, params_.series[*v->long_series])) {
    return OpResult::revert("long " + params_.series[*v->long_series].name + " does not spread with " + series.name);
  }
  Vault after = *v;
  after.short_series = s;
  after.short_units += units;
  if (after.collateral_units < required_units(ctx, after)) return OpResult::revert("vault undercollateralised");
  ctx.mint(sender, series.token, core::Amount::units(units));
  books_[s].short_units += units;
  *v = after;
  return OpResult::success();
}

OpResult OptionsProtocol::burn(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Vault* v = vault_arg(sender, args, why);
  if (v == nullptr) return OpResult::revert(why);
  if (!v->short_series || v->short_units == 0) return OpResult::revert("vault has no short");
  const std::size_t s = *v->short_series;
  const auto units = positive_units(ctx, args, "amount", params_.series[s].token, why);
  if (!units) return OpResult::revert(why);
  if (expired(ctx, s)) return OpResult::revert("series expired: settle the vault");
  if (*units > v->short_units) return OpResult::revert("amount above the vault's short");
  if (!ctx.burn(sender, params_.series[s].token, core::Amount::units(*units))) {
    return OpResult::revert("insufficient options to burn");
  }
  v->short_units -= *units;
  books_[s].short_units -= *units;
  return OpResult::success();
}

OpResult OptionsProtocol::deposit_long(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  if (params_.settlement == Settlement::physical) {
    return OpResult::revert("physical settlement: a long cannot margin a spread");
  }
  std::string why;
  const auto op = vault_series_op(ctx, sender, args, why);
  if (!op) return OpResult::revert(why);
  Vault* v = op->vault;
  const std::size_t s = op->series;
  const Series& series = params_.series[s];
  const i128 units = op->units;
  if (v->long_series && v->long_units > 0 && *v->long_series != s) {
    return OpResult::revert("vault already holds long " + params_.series[*v->long_series].name);
  }
  if (const auto wrong = wrong_collateral(ctx, *v, series)) return OpResult::revert(*wrong);
  if (v->short_series && v->short_units > 0 && !spread_compatible(params_.series[*v->short_series], series)) {
    return OpResult::revert("long " + series.name + " does not spread with " + params_.series[*v->short_series].name);
  }
  if (!ctx.transfer(sender, account_, series.token, core::Amount::units(units))) {
    return OpResult::revert("insufficient options");
  }
  v->long_series = s;
  v->long_units += units;
  return OpResult::success();
}

OpResult OptionsProtocol::withdraw_long(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Vault* v = vault_arg(sender, args, why);
  if (v == nullptr) return OpResult::revert(why);
  if (!v->long_series || v->long_units == 0) return OpResult::revert("vault has no long");
  const std::size_t s = *v->long_series;
  const auto units = positive_units(ctx, args, "amount", params_.series[s].token, why);
  if (!units) return OpResult::revert(why);
  if (expired(ctx, s)) return OpResult::revert("series expired: settle the vault");
  if (*units > v->long_units) return OpResult::revert("amount above the vault's long");
  Vault after = *v;
  after.long_units -= *units;
  if (after.collateral_units < required_units(ctx, after)) return OpResult::revert("vault undercollateralised");
  if (!ctx.transfer(account_, sender, params_.series[s].token, core::Amount::units(*units))) {
    return OpResult::revert("protocol lacks options");
  }
  *v = after;
  return OpResult::success();
}

}  // namespace shardsim::protocols::options
