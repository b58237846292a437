// What the lending pool publishes: --dump-state as exact decimal strings, the per-slot snapshot
// for remote revaluation, and its instruments (supply positions and debts, one per listed asset).
#include <algorithm>
#include <utility>

#include "protocols/lending/lending_pool.hpp"

namespace shardsim::protocols::lending {
namespace {

using core::Amount;

std::string wad_str(i128 wad) { return Amount::units(wad).str(18); }
std::string ray_str(i128 ray) { return Amount::units(ray).str(27); }

// num / den (den > 0, num >= 0) with 18 decimals, rounded down, trailing zeros trimmed; never
// overflows, whatever the ratio.
std::string ratio_str(i128 num, i128 den) {
  const i128 whole = num / den;
  const i128 frac = mul_div(num % den, kWadUnit, den, Round::down);
  std::string out = core::i128_to_string(whole);
  const std::string digits = Amount::units(frac).str(18);  // "0" or "0.xxx"
  if (digits.size() > 1) out += digits.substr(1);
  return out;
}

double price_of(const PriceVector& prices, AssetId asset) { return asset < prices.size() ? prices[asset] : 0.0; }

}  // namespace

nlohmann::ordered_json LendingPool::state(const ShardContext& ctx) const {
  const std::vector<Indices> idx = indices_now(ctx);
  nlohmann::ordered_json out;
  out["close_factor"] = wad_str(close_factor_wad_);
  nlohmann::ordered_json reserves = nlohmann::ordered_json::object();
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    const ReserveState& res = reserves_[r];
    nlohmann::ordered_json j;
    j["utilization"] = ray_str(res.utilization_ray);
    j["borrow_rate"] = ray_str(res.borrow_rate_ray);
    j["supply_rate"] = ray_str(res.supply_rate_ray);
    j["total_supply"] = Amount::units(supply_balance(res.total_scaled_supply, idx[r].liquidity_ray)).str(res.decimals);
    j["total_debt"] = Amount::units(debt_balance(res.total_scaled_debt, idx[r].borrow_ray)).str(res.decimals);
    j["available_liquidity"] = ctx.balance(account_, res.params.asset).str(res.decimals);
    j["liquidity_index"] = ray_str(idx[r].liquidity_ray);
    j["borrow_index"] = ray_str(idx[r].borrow_ray);
    reserves[res.symbol] = std::move(j);
  }
  out["reserves"] = std::move(reserves);

  std::vector<std::pair<std::string, AccountId>> names;
  names.reserve(positions_.size());
  for (const auto& [who, pos] : positions_) names.emplace_back(ctx.account_name(who), who);
  std::sort(names.begin(), names.end());
  nlohmann::ordered_json accounts = nlohmann::ordered_json::object();
  for (const auto& [name, who] : names) {
    const Position& pos = positions_.at(who);
    nlohmann::ordered_json j;
    AccountValues v;
    bool valued = false;
    try {
      valued = value_account(ctx, pos, Override{}, v, kWeighBoth, &idx).empty();
    } catch (const ArithmeticError&) {
      valued = false;
    }
    if (valued) {
      j["collateral_value"] = wad_str(v.collateral_wad);
      j["debt_value"] = wad_str(v.debt_wad);
      j["health_factor"] = v.debt_wad == 0 ? std::string("inf") : ratio_str(v.threshold_wad, v.debt_wad);
    } else {  // a price is missing
      j["collateral_value"] = nullptr;
      j["debt_value"] = nullptr;
      j["health_factor"] = nullptr;
    }
    nlohmann::ordered_json supplied = nlohmann::ordered_json::object();
    nlohmann::ordered_json borrowed = nlohmann::ordered_json::object();
    for (std::size_t r = 0; r < reserves_.size(); ++r) {
      const ReserveState& res = reserves_[r];
      if (pos.scaled_supply[r] != 0) {
        supplied[res.symbol] =
            Amount::units(supply_balance(pos.scaled_supply[r], idx[r].liquidity_ray)).str(res.decimals);
      }
      if (pos.scaled_debt[r] != 0) {
        borrowed[res.symbol] = Amount::units(debt_balance(pos.scaled_debt[r], idx[r].borrow_ray)).str(res.decimals);
      }
    }
    j["supplied"] = std::move(supplied);
    j["borrowed"] = std::move(borrowed);
    accounts[name] = std::move(j);
  }
  out["accounts"] = std::move(accounts);
  return out;
}

ProtocolSnapshot LendingPool::snapshot(const ShardContext& ctx) const {
  const std::vector<Indices> idx = indices_now(ctx);
  ProtocolSnapshot snap;
  snap.taken_at_us = ctx.now().count_us();
  const auto ray_d = [](i128 ray) { return static_cast<double>(ray) / static_cast<double>(kRayUnit); };
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    const ReserveState& res = reserves_[r];
    const std::string& s = res.symbol;
    const Amount supply = Amount::units(supply_balance(res.total_scaled_supply, idx[r].liquidity_ray));
    const Amount debt = Amount::units(debt_balance(res.total_scaled_debt, idx[r].borrow_ray));
    snap.values.emplace_back("total_supply." + s, supply.to_double(res.decimals));
    snap.values.emplace_back("total_debt." + s, debt.to_double(res.decimals));
    snap.values.emplace_back("utilization." + s, ray_d(res.utilization_ray));
    snap.values.emplace_back("borrow_rate." + s, ray_d(res.borrow_rate_ray));
    snap.values.emplace_back("supply_rate." + s, ray_d(res.supply_rate_ray));
    snap.values.emplace_back("liquidity_index." + s, ray_d(idx[r].liquidity_ray));
    snap.values.emplace_back("borrow_index." + s, ray_d(idx[r].borrow_ray));
    if (const auto p = ctx.oracle_price_wad(res.params.asset))
      snap.values.emplace_back("price." + s, wad_to_double(*p));
  }
  return snap;
}

// A supply position `NAME.SYM` is worth qty * price; a debt `NAME.SYM-debt` is worth -qty *
// price (qty in whole tokens of the underlying, interest included).
std::vector<InstrumentDescriptor> LendingPool::instruments(const ShardContext& ctx) const {
  std::vector<InstrumentDescriptor> out;
  out.reserve(2 * reserves_.size());
  for (const ReserveState& res : reserves_) {
    const AssetId asset = res.params.asset;
    for (const double sign : {1.0, -1.0}) {
      InstrumentDescriptor d;
      d.id = name_ + "." + res.symbol + (sign < 0 ? "-debt" : "");
      d.protocol = name_;
      d.underlyings = {asset};
      d.deltas_per_unit = {sign};
      d.snapshot_keys = std::vector<std::string>{};
      d.revalue = [asset, sign](double qty, const ProtocolSnapshot&, const PriceVector& prices) {
        return sign * qty * price_of(prices, asset);
      };
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace shardsim::protocols::lending
