// What the options protocol reports: state as exact decimal strings, the per-series values it
// publishes for revaluation (Black-Scholes mark at the oracle price before the expiry price is
// final, the settled payout after), and one instrument per series (`NAME.SERIES`) that a broker
// revalues per price scenario with Black-Scholes.
#include <algorithm>

#include "protocols/options/black_scholes.hpp"
#include "protocols/options/options_protocol.hpp"

namespace shardsim::protocols::options {
namespace {

std::string wad_str(i128 wad) { return core::Amount::units(wad).str(18); }

double years_to(const Series& s, std::int64_t now_us) {
  return std::max(0.0, static_cast<double>(s.expiry.count_us() - now_us) / 1e6 / kSecondsPerYear);
}

BsInputs bs_inputs(const Series& s, double spot, double years, double vol) {
  return BsInputs{s.put, spot, wad_to_double(s.strike_wad), years, vol};
}

}  // namespace

nlohmann::ordered_json OptionsProtocol::state(const ShardContext& ctx) const {
  nlohmann::ordered_json out;
  out["cash"] = ctx.asset_symbol(params_.cash);
  out["settlement"] = params_.settlement == Settlement::cash ? "cash" : "physical";
  out["locking_period"] = params_.locking_period.str();
  out["dispute_window"] = params_.dispute_window.str();
  out["exercise_window"] = params_.exercise_window.str();
  out["disputer"] = params_.disputer;
  nlohmann::ordered_json series = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < params_.series.size(); ++i) {
    const Series& s = params_.series[i];
    const int td = ctx.decimals(s.token);
    nlohmann::ordered_json j;
    j["type"] = s.put ? "put" : "call";
    j["underlying"] = ctx.asset_symbol(s.underlying);
    j["strike"] = wad_str(s.strike_wad);
    j["expiry"] = s.expiry.str();
    j["collateral"] = ctx.asset_symbol(params_.collateral_of(s));
    j["short_outstanding"] = core::Amount::units(books_[i].short_units).str(td);
    j["exercised"] = core::Amount::units(books_[i].exercised_units).str(td);
    if (const ExpiryPrice* p = expiry_price(i)) {
      j["expiry_price"] = wad_str(p->price_wad);
      j["reported_at"] = p->reported_at.str();
      j["disputed"] = p->disputed;
      j["final"] = final_price_wad(ctx, i).has_value();
    }
    series[s.name] = std::move(j);
  }
  out["series"] = std::move(series);
  nlohmann::ordered_json vaults = nlohmann::ordered_json::array();
  for (const auto& [key, v] : vaults_) {
    nlohmann::ordered_json j;
    j["owner"] = ctx.account_name(key.first);
    j["vault"] = key.second;
    if (v.collateral) {
      const int cd = ctx.decimals(*v.collateral);
      j["collateral_asset"] = ctx.asset_symbol(*v.collateral);
      j["collateral"] = core::Amount::units(v.collateral_units).str(cd);
      j["required"] = core::Amount::units(required_units(ctx, v)).str(cd);
    }
    if (v.short_series) {
      const Series& s = params_.series[*v.short_series];
      j["short"] = s.name;
      j["short_amount"] = core::Amount::units(v.short_units).str(ctx.decimals(s.token));
    }
    if (v.long_series) {
      const Series& l = params_.series[*v.long_series];
      j["long"] = l.name;
      j["long_amount"] = core::Amount::units(v.long_units).str(ctx.decimals(l.token));
    }
    vaults.push_back(std::move(j));
  }
  out["vaults"] = std::move(vaults);
  return out;
}

ProtocolSnapshot OptionsProtocol::snapshot(const ShardContext& ctx) const {
  ProtocolSnapshot snap;
  snap.taken_at_us = ctx.now().count_us();
  for (std::size_t i = 0; i < params_.series.size(); ++i) {
    const Series& s = params_.series[i];
    const double years = years_to(s, snap.taken_at_us);
    const auto final = final_price_wad(ctx, i);
    // USD per option once the expiry price is final; -1 before.
    const double settled = final ? wad_to_double(s.put ? std::max<i128>(s.strike_wad - *final, 0)
                                                       : std::max<i128>(*final - s.strike_wad, 0))
                                 : -1.0;
    const auto spot = ctx.oracle_price_wad(s.underlying);
    const double mark = final ? settled
                              : (spot ? bs_value(bs_inputs(s, wad_to_double(*spot), years, params_.volatility)) : 0.0);
    snap.values.emplace_back(s.name + ".mark", mark);
    snap.values.emplace_back(s.name + ".years", years);
    snap.values.emplace_back(s.name + ".settled", settled);
  }
  return snap;
}

std::vector<InstrumentDescriptor> OptionsProtocol::instruments(const ShardContext& ctx) const {
  std::vector<InstrumentDescriptor> out;
  for (const Series& s : params_.series) {
    InstrumentDescriptor d;
    d.id = name_ + "." + s.name;
    d.protocol = name_;
    d.underlyings = {s.underlying};
    const auto spot = ctx.oracle_price_wad(s.underlying);
    const double years = years_to(s, ctx.now().count_us());
    const double vol = params_.volatility;
    d.deltas_per_unit = {spot ? bs_delta(bs_inputs(s, wad_to_double(*spot), years, vol)) : (s.put ? -0.5 : 0.5)};
    d.snapshot_keys = std::vector<std::string>{s.name + ".years", s.name + ".settled"};
    d.mark_by_revalue = true;
    d.collateral = true;  // a holder may pledge its options with a broker (moved to its account here)
    const std::string years_key = s.name + ".years", settled_key = s.name + ".settled";
    const AssetId u = s.underlying;
    const Series series = s;
    // Black-Scholes at the scenario's price of the underlying and the snapshot's time to expiry;
    // once settled, the settled payout whatever the scenario.
    d.revalue = [series, u, vol, years_key, settled_key](double quantity, const ProtocolSnapshot& snap,
                                                          const PriceVector& prices) {
      const double settled = snap.get(settled_key).value_or(-1.0);
      if (settled >= 0) return quantity * settled;
      const double spot = u < prices.size() ? prices[u] : 0.0;
      return quantity * bs_value(bs_inputs(series, spot, snap.get(years_key).value_or(0.0), vol));
    };
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<i128> OptionsProtocol::claim_held_wad(const ShardContext& ctx, AccountId holder,
                                                    std::string_view instrument) const {
  if (!instrument.starts_with(name_ + ".")) return std::nullopt;
  const auto s = find_series(instrument.substr(name_.size() + 1));
  if (!s) return std::nullopt;
  const AssetId token = params_.series[*s].token;
  return units_to_wad(ctx.balance(holder, token).raw(), ctx.decimals(token));
}

}  // namespace shardsim::protocols::options
