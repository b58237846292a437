// Operation dispatch, argument lookup, and the vault arithmetic shared by the options
// protocol's operations and queries (requirement now, cash settlement at an expiry price).
#include "protocols/options/options_protocol.hpp"

namespace shardsim::protocols::options {

std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs() {
  return {
      {"deposit_collateral", {"vault", "asset", "amount"}},
      {"withdraw_collateral", {"vault", "amount"}},
      {"mint", {"vault", "series", "amount"}},
      {"burn", {"vault", "amount"}},
      {"deposit_long", {"vault", "series", "amount"}},
      {"withdraw_long", {"vault", "amount"}},
      {"report_price", {"series"}},
      {"dispute_price", {"series", "price"}},
      {"settle_vault", {"vault"}},
      {"redeem", {"series", "amount"}},
      {"exercise", {"series", "amount"}},
  };
}

OpResult OptionsProtocol::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (op == "deposit_collateral") return deposit_collateral(ctx, sender, args);
  if (op == "withdraw_collateral") return withdraw_collateral(ctx, sender, args);
  if (op == "mint") return mint(ctx, sender, args);
  if (op == "burn") return burn(ctx, sender, args);
  if (op == "deposit_long") return deposit_long(ctx, sender, args);
  if (op == "withdraw_long") return withdraw_long(ctx, sender, args);
  if (op == "report_price") return report_price(ctx, sender, args);
  if (op == "dispute_price") return dispute_price(ctx, sender, args);
  if (op == "settle_vault") return settle_vault(ctx, sender, args);
  if (op == "redeem") return redeem(ctx, sender, args);
  if (op == "exercise") return exercise(ctx, sender, args);
  return OpResult::revert("unknown op " + std::string(op));
}

const Vault* OptionsProtocol::vault(AccountId owner, std::string_view id) const {
  const auto it = vaults_.find(VaultKey{owner, std::string(id)});
  return it == vaults_.end() ? nullptr : &it->second;
}

std::optional<std::size_t> OptionsProtocol::find_series(std::string_view name) const {
  for (std::size_t i = 0; i < params_.series.size(); ++i) {
    if (params_.series[i].name == name) return i;
  }
  return std::nullopt;
}

std::pair<AssetId, std::int64_t> OptionsProtocol::price_key(std::size_t series) const {
  const Series& s = params_.series[series];
  return {s.underlying, s.expiry.count_us()};
}

const ExpiryPrice* OptionsProtocol::expiry_price(std::size_t series) const {
  const auto it = prices_.find(price_key(series));
  return it == prices_.end() ? nullptr : &it->second;
}

std::optional<i128> OptionsProtocol::final_price_wad(const ShardContext& ctx, std::size_t series) const {
  const ExpiryPrice* p = expiry_price(series);
  if (p == nullptr || ctx.now() < p->reported_at + params_.dispute_window) return std::nullopt;
  return p->price_wad;
}

core::SimTime OptionsProtocol::exercise_ends(std::size_t series) const {
  return expiry_price(series)->reported_at + params_.dispute_window + params_.exercise_window;
}

bool OptionsProtocol::expired(const ShardContext& ctx, std::size_t series) const {
  return ctx.now() >= params_.series[series].expiry;
}

i128 OptionsProtocol::required_units(const ShardContext& ctx, const Vault& v) const {
  if (!v.short_series || v.short_units == 0 || !v.collateral) return 0;
  const Series& s = params_.series[*v.short_series];
  const Leg short_leg{&s, units_to_wad(v.short_units, ctx.decimals(s.token))};
  Leg long_leg;
  if (v.long_series) {
    const Series& l = params_.series[*v.long_series];
    long_leg = Leg{&l, units_to_wad(v.long_units, ctx.decimals(l.token))};
  }
  return margin_required_units(short_leg, long_leg, ctx.decimals(*v.collateral));
}

OptionsProtocol::VaultSettlement OptionsProtocol::cash_settlement(const ShardContext& ctx, const Vault& v,
                                                                   i128 price_wad) const {
  VaultSettlement out;
  if (!v.collateral) return out;
  const int cd = ctx.decimals(*v.collateral);
  if (v.short_series && v.short_units > 0) {
    const Series& s = params_.series[*v.short_series];
    const i128 wad = payout_wad(s, units_to_wad(v.short_units, ctx.decimals(s.token)), price_wad, Round::up);
    out.short_payout_units = wad_to_units(wad, cd, Round::up);
  }
  if (v.long_series && v.long_units > 0) {
    const Series& l = params_.series[*v.long_series];
    const i128 wad = payout_wad(l, units_to_wad(v.long_units, ctx.decimals(l.token)), price_wad, Round::down);
    out.long_payout_units = wad_to_units(wad, cd, Round::down);
  }
  out.owner_units = v.collateral_units + out.long_payout_units - out.short_payout_units;
  return out;
}

std::optional<std::size_t> OptionsProtocol::series_arg(const OpArgs& args, std::string& why) const {
  const auto name = args.text("series");
  if (!name) {
    why = "missing arg series";
    return std::nullopt;
  }
  const auto s = find_series(*name);
  if (!s) why = "unknown series " + std::string(*name);
  return s;
}

std::optional<i128> OptionsProtocol::positive_units(const ShardContext& ctx, const OpArgs& args, std::string_view key,
                                                    AssetId asset, std::string& why) const {
  if (!args.text(key)) {
    why = "missing arg " + std::string(key);
    return std::nullopt;
  }
  const auto a = args.amount(key, ctx, asset);
  if (!a) {
    why = "malformed arg " + std::string(key);
    return std::nullopt;
  }
  if (a->raw() <= 0) {
    why = std::string(key) + " must be positive";
    return std::nullopt;
  }
  return a->raw();
}

Vault* OptionsProtocol::vault_arg(AccountId owner, const OpArgs& args, std::string& why) {
  const auto id = args.text("vault");
  if (!id) {
    why = "missing arg vault";
    return nullptr;
  }
  const auto it = vaults_.find(VaultKey{owner, std::string(*id)});
  if (it == vaults_.end()) {
    why = "unknown vault " + std::string(*id);
    return nullptr;
  }
  return &it->second;
}

}  // namespace shardsim::protocols::options
