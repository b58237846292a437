// The pool as others see it: --dump-state text, the published snapshot, and the LP instrument.
#include <algorithm>

#include "protocols/amm/amm_pool.hpp"
#include "protocols/amm/amm_value.hpp"

namespace shardsim::protocols::amm {
namespace {

double lp_whole(i128 units) { return core::Amount::units(units).to_double(kLpDecimals); }

}  // namespace

nlohmann::ordered_json AmmPool::state(const ShardContext& ctx) const {
  nlohmann::ordered_json j;
  const std::string& symbol_a = ctx.asset_symbol(config_.asset_a);
  const std::string& symbol_b = ctx.asset_symbol(config_.asset_b);
  j["reserves"][symbol_a] = core::Amount::units(reserve_a_units_).str(ctx.decimals(config_.asset_a));
  j["reserves"][symbol_b] = core::Amount::units(reserve_b_units_).str(ctx.decimals(config_.asset_b));
  j["lp_supply"] = core::Amount::units(lp_supply_units_).str(kLpDecimals);
  j["lp_locked"] = core::Amount::units(lp_supply_units_ == 0 ? 0 : kMinimumLiquidityUnits).str(kLpDecimals);
  std::vector<std::pair<std::string, i128>> holders;
  holders.reserve(lp_balances_.size());
  for (const auto& [account, units] : lp_balances_) holders.emplace_back(ctx.account_name(account), units);
  std::sort(holders.begin(), holders.end());
  j["lp_balances"] = nlohmann::ordered_json::object();
  for (const auto& [holder, units] : holders) j["lp_balances"][holder] = core::Amount::units(units).str(kLpDecimals);
  j["k"] = to_decimal(mul_wide(reserve_a_units_, reserve_b_units_));
  j["fee"] = core::i128_to_string(config_.fee.num) + "/" + core::i128_to_string(config_.fee.den);
  return j;
}

ProtocolSnapshot AmmPool::snapshot(const ShardContext& ctx) const {
  const double reserve_a = core::Amount::units(reserve_a_units_).to_double(ctx.decimals(config_.asset_a));
  const double reserve_b = core::Amount::units(reserve_b_units_).to_double(ctx.decimals(config_.asset_b));
  ProtocolSnapshot s;
  s.taken_at_us = ctx.now().count_us();
  s.values = {{"reserve." + ctx.asset_symbol(config_.asset_a), reserve_a},
              {"reserve." + ctx.asset_symbol(config_.asset_b), reserve_b},
              {"lp_supply", lp_whole(lp_supply_units_)},
              {"k", reserve_a * reserve_b}};
  return s;
}

std::vector<InstrumentDescriptor> AmmPool::instruments(const ShardContext& ctx) const {
  const AssetId a = config_.asset_a;
  const AssetId b = config_.asset_b;
  InstrumentDescriptor lp;
  lp.id = name_ + ".LP";
  lp.protocol = name_;
  lp.underlyings = {a, b};
  const double reserve_a = core::Amount::units(reserve_a_units_).to_double(ctx.decimals(a));
  const double reserve_b = core::Amount::units(reserve_b_units_).to_double(ctx.decimals(b));
  const double supply = lp_whole(lp_supply_units_);
  const auto price_a = ctx.oracle_price_wad(a);
  const auto price_b = ctx.oracle_price_wad(b);
  if (price_a && price_b && *price_a > 0 && *price_b > 0) {
    // At the oracle prices: the reserves of the pool re-balanced to their ratio, per LP unit.
    const auto [da, db] = lp_deltas_per_unit(reserve_a * reserve_b, supply, wad_to_double(*price_a),
                                             wad_to_double(*price_b));
    lp.deltas_per_unit = {da, db};
  } else if (supply > 0) {
    // No oracle: at the pool's own price the deltas are the current reserves per LP unit.
    lp.deltas_per_unit = {reserve_a / supply, reserve_b / supply};
  } else {
    lp.deltas_per_unit = {0.0, 0.0};
  }
  // Captures only the asset ids: k and T come from the snapshot it is given.
  lp.snapshot_keys = std::vector<std::string>{"k", "lp_supply"};
  // Non-linear: marked at 2*sqrt(k*Pa*Pb)/T per unit (impermanent loss in every mark), and
  // accepted as collateral once moved to a broker's account (transfer_lp).
  lp.mark_by_revalue = true;
  lp.collateral = true;
  lp.revalue = [a, b](double quantity, const ProtocolSnapshot& snap, const PriceVector& prices) {
    const double k = snap.get("k").value_or(0.0);
    const double supply_whole = snap.get("lp_supply").value_or(0.0);
    const double pa = a < prices.size() ? prices[a] : 0.0;
    const double pb = b < prices.size() ? prices[b] : 0.0;
    return quantity * lp_value_per_unit(k, supply_whole, pa, pb);
  };
  return {std::move(lp)};
}

}  // namespace shardsim::protocols::amm
