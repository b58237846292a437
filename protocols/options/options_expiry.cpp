// Expiry (Gamma's Oracle and settlement): the expiry price reported from the shard's oracle once
// the locking period after expiry has passed, replaced by the disputer within the dispute window,
// final after it; cash settlement (holders redeem their payout, vault owners take back collateral
// plus their long's payout less their short's) or physical settlement (holders exercise in the
// money within the exercise window; each vault is assigned its pro-rata share of the exercises).
#include "protocols/options/options_protocol.hpp"

namespace shardsim::protocols::options {
namespace {

bool pay(ShardContext& ctx, AccountId from, AccountId to, AssetId asset, i128 units) {
  return units == 0 || ctx.transfer(from, to, asset, core::Amount::units(units));
}

}  // namespace

std::optional<i128> OptionsProtocol::held_or_amount(const ShardContext& ctx, AccountId sender, const OpArgs& args,
                                                    AssetId token, std::string& why) const {
  if (args.text("amount")) return positive_units(ctx, args, "amount", token, why);
  const i128 held = ctx.balance(sender, token).raw();
  if (held <= 0) why = "no options held";
  return held > 0 ? std::optional<i128>(held) : std::nullopt;
}

OpResult OptionsProtocol::report_price(ShardContext& ctx, AccountId, const OpArgs& args) {
  std::string why;
  const auto s = series_arg(args, why);
  if (!s) return OpResult::revert(why);
  const Series& series = params_.series[*s];
  if (ctx.now() < series.expiry + params_.locking_period) return OpResult::revert("price locked until expiry");
  if (expiry_price(*s) != nullptr) return OpResult::revert("price already reported");
  const auto price = ctx.oracle_price_wad(series.underlying);
  if (!price || *price <= 0) return OpResult::revert("no oracle price");
  prices_[price_key(*s)] = ExpiryPrice{*price, ctx.now(), false};
  return OpResult::success({{"price", *price, 18}});
}

OpResult OptionsProtocol::dispute_price(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto s = series_arg(args, why);
  if (!s) return OpResult::revert(why);
  const auto disputer = params_.disputer.empty() ? std::nullopt : ctx.account(params_.disputer);
  if (!disputer || *disputer != sender) return OpResult::revert("only the disputer may dispute");
  const auto price = args.wad("price");
  if (!price || *price <= 0) return OpResult::revert("malformed arg price");
  const auto it = prices_.find(price_key(*s));
  if (it == prices_.end()) return OpResult::revert("price not reported");
  if (ctx.now() >= it->second.reported_at + params_.dispute_window) return OpResult::revert("dispute window closed");
  it->second.price_wad = *price;
  it->second.disputed = true;
  return OpResult::success();
}

OpResult OptionsProtocol::settle_vault(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  Vault* v = vault_arg(sender, args, why);
  if (v == nullptr) return OpResult::revert(why);
  const std::optional<std::size_t> s = v->short_series && v->short_units > 0 ? v->short_series : v->long_series;
  if (s && !expired(ctx, *s)) return OpResult::revert("series not expired");
  const auto price = s ? final_price_wad(ctx, *s) : std::nullopt;
  if (s && !price) return OpResult::revert("expiry price not final");
  const VaultKey key{sender, std::string(*args.text("vault"))};
  if (s && params_.settlement == Settlement::physical) return settle_physical(ctx, key, *v, *s);
  const VaultSettlement out = price ? cash_settlement(ctx, *v, *price) : VaultSettlement{v->collateral_units, 0, 0};
  // The margin check makes owner_units >= 0; were it negative, the pool would pay the difference.
  if (v->collateral && !pay(ctx, account_, sender, *v->collateral, std::max<i128>(out.owner_units, 0))) {
    return OpResult::revert("protocol lacks collateral");
  }
  if (v->long_series && v->long_units > 0 &&
      !ctx.burn(account_, params_.series[*v->long_series].token, core::Amount::units(v->long_units))) {
    return OpResult::revert("protocol lacks options");
  }
  const std::uint8_t cd = v->collateral ? static_cast<std::uint8_t>(ctx.decimals(*v->collateral)) : 0;
  vaults_.erase(key);
  return OpResult::success({{"returned", std::max<i128>(out.owner_units, 0), cd}});
}

OpResult OptionsProtocol::settle_physical(ShardContext& ctx, const VaultKey& key, const Vault& v, std::size_t s) {
  const AccountId owner = key.first;
  if (ctx.now() < exercise_ends(s)) return OpResult::revert("exercise window open until " + exercise_ends(s).str());
  const Series& series = params_.series[s];
  const SeriesBook& book = books_[s];
  const i128 short_wad = units_to_wad(v.short_units, ctx.decimals(series.token));
  const i128 exercised_wad = units_to_wad(book.exercised_units, ctx.decimals(series.token));
  const i128 total_wad = units_to_wad(book.short_units, ctx.decimals(series.token));
  const int ud = ctx.decimals(series.underlying);
  const int cd = ctx.decimals(params_.cash);
  // This vault's share of the exercises: options assigned, and their strike in cash.
  const auto assigned = [&](Round r) { return total_wad == 0 ? 0 : mul_div(short_wad, exercised_wad, total_wad, r); };
  const auto strike_of = [&](Round r) {
    return total_wad == 0 ? 0 : mul_div(wad_mul(short_wad, series.strike_wad, r), exercised_wad, total_wad, r);
  };
  i128 underlying_back = 0, cash_back = 0;
  if (series.put) {  // paid the strike in cash to exercisers, received their underlying
    cash_back = v.collateral_units - wad_to_units(strike_of(Round::up), cd, Round::up);
    underlying_back = wad_to_units(assigned(Round::down), ud, Round::down);
  } else {  // delivered underlying to exercisers, received their strike in cash
    underlying_back = v.collateral_units - wad_to_units(assigned(Round::up), ud, Round::up);
    cash_back = wad_to_units(strike_of(Round::down), cd, Round::down);
  }
  if (underlying_back < 0 || cash_back < 0) return OpResult::revert("vault insolvent");
  if (!pay(ctx, account_, owner, series.underlying, underlying_back) || !pay(ctx, account_, owner, params_.cash, cash_back)) {
    return OpResult::revert("protocol lacks collateral");
  }
  vaults_.erase(key);
  return OpResult::success({{"underlying_returned", underlying_back, static_cast<std::uint8_t>(ud)},
                            {"cash_returned", cash_back, static_cast<std::uint8_t>(cd)}});
}

OpResult OptionsProtocol::redeem(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  if (params_.settlement == Settlement::physical) return OpResult::revert("physical settlement: exercise instead");
  std::string why;
  const auto s = series_arg(args, why);
  if (!s) return OpResult::revert(why);
  const Series& series = params_.series[*s];
  const auto units = held_or_amount(ctx, sender, args, series.token, why);
  if (!units) return OpResult::revert(why);
  const auto price = final_price_wad(ctx, *s);
  if (!expired(ctx, *s) || !price) return OpResult::revert("expiry price not final");
  const AssetId c = params_.collateral_of(series);
  const i128 wad = payout_wad(series, units_to_wad(*units, ctx.decimals(series.token)), *price, Round::down);
  const i128 paid = wad_to_units(wad, ctx.decimals(c), Round::down);
  if (!ctx.burn(sender, series.token, core::Amount::units(*units))) return OpResult::revert("insufficient options");
  if (!pay(ctx, account_, sender, c, paid)) return OpResult::revert("protocol lacks collateral");
  return OpResult::success({{"payout", paid, static_cast<std::uint8_t>(ctx.decimals(c))}});
}

OpResult OptionsProtocol::exercise(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  if (params_.settlement != Settlement::physical) return OpResult::revert("cash settlement: redeem instead");
  std::string why;
  const auto s = series_arg(args, why);
  if (!s) return OpResult::revert(why);
  const Series& series = params_.series[*s];
  const auto units = held_or_amount(ctx, sender, args, series.token, why);
  if (!units) return OpResult::revert(why);
  const auto price = final_price_wad(ctx, *s);
  if (!expired(ctx, *s) || !price) return OpResult::revert("expiry price not final");
  if (ctx.now() >= exercise_ends(*s)) return OpResult::revert("exercise window closed");
  if (!in_the_money(series, *price)) return OpResult::revert("out of the money");
  const i128 amount_wad = units_to_wad(*units, ctx.decimals(series.token));
  const int ud = ctx.decimals(series.underlying);
  const int cd = ctx.decimals(params_.cash);
  if (!ctx.burn(sender, series.token, core::Amount::units(*units))) return OpResult::revert("insufficient options");
  bool ok = false;
  if (series.put) {  // deliver the underlying, receive the strike
    ok = pay(ctx, sender, account_, series.underlying, wad_to_units(amount_wad, ud, Round::up)) &&
         pay(ctx, account_, sender, params_.cash, wad_to_units(wad_mul(amount_wad, series.strike_wad), cd, Round::down));
  } else {  // pay the strike, receive the underlying
    ok = pay(ctx, sender, account_, params_.cash,
             wad_to_units(wad_mul(amount_wad, series.strike_wad, Round::up), cd, Round::up)) &&
         pay(ctx, account_, sender, series.underlying, wad_to_units(amount_wad, ud, Round::down));
  }
  if (!ok) return OpResult::revert("insufficient balance to exercise");
  books_[*s].exercised_units += *units;
  return OpResult::success();
}

}  // namespace shardsim::protocols::options
