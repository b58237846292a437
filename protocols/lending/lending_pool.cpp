// The lending pool's plumbing: construction, op dispatch, accrual, argument reading, valuation.
#include "protocols/lending/lending_pool.hpp"

#include <stdexcept>
#include <utility>

namespace shardsim::protocols::lending {

LendingPool::LendingPool(const LendingParams& params, std::string name, AccountId account, const Registry& registry)
    : name_(std::move(name)),
      account_(account),
      close_factor_wad_(params.close_factor_wad),
      reserve_of_asset_(registry.asset_count(), kNoReserve) {
  if (close_factor_wad_ <= 0 || close_factor_wad_ > kWadUnit) {
    throw std::invalid_argument("lending: close factor must lie in (0, 1]");
  }
  reserves_.reserve(params.reserves.size());
  for (const ReserveParams& p : params.reserves) {
    if (p.asset >= registry.asset_count()) throw std::invalid_argument("lending: listed asset id out of range");
    if (const auto error = reserve_params_error(p)) throw std::invalid_argument("lending: " + std::string(*error));
    if (reserve_of_asset_[p.asset] != kNoReserve) throw std::invalid_argument("lending: asset listed twice");
    ReserveState r;
    r.params = p;
    r.symbol = registry.asset_symbol(p.asset);
    r.decimals = registry.decimals(p.asset);
    r.unit = pow10(r.decimals);
    reserve_of_asset_[p.asset] = reserves_.size();
    reserves_.push_back(std::move(r));
    terms_.reserves.push_back({p.asset, p.ltv_wad, p.liq_threshold_wad, p.bonus_wad});
  }
  terms_.close_factor_wad = close_factor_wad_;
}

std::vector<std::pair<std::string, std::vector<std::string>>> LendingPool::op_list() {
  return {
      {"supply", {"asset", "amount"}},
      {"withdraw", {"asset", "amount"}},
      {"borrow", {"asset", "amount"}},
      {"repay", {"asset", "amount"}},
      {"liquidate", {"borrower", "debt_asset", "collateral_asset", "amount"}},
  };
}

OpResult LendingPool::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (sender == account_) return OpResult::revert("the pool's own account cannot use the pool");
  using Handler = OpResult (LendingPool::*)(ShardContext&, AccountId, const OpArgs&);
  static constexpr std::pair<std::string_view, Handler> kHandlers[] = {
      {"supply", &LendingPool::supply}, {"withdraw", &LendingPool::withdraw},   {"borrow", &LendingPool::borrow},
      {"repay", &LendingPool::repay},   {"liquidate", &LendingPool::liquidate},
  };
  Handler handler = nullptr;
  for (const auto& [op_name, h] : kHandlers) {
    if (op_name == op) handler = h;
  }
  if (!handler) return OpResult::revert("unknown op " + std::string(op));
  accrue(ctx);  // a state transition of its own: valid whether or not the op goes through
  return (this->*handler)(ctx, sender, args);
}

void LendingPool::on_block(ShardContext& ctx) {
  try {
    accrue(ctx);
  } catch (const ArithmeticError&) {
    // Indices beyond 128 bits: the reserve stays where it was (ops will revert on overflow).
  }
}

void LendingPool::accrue(ShardContext& ctx) {
  const std::int64_t now = ctx.now().count_us();
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    ReserveState& res = reserves_[r];
    if (now <= res.last_update_us) continue;
    const Indices next = indices_at(res, now);  // may throw: nothing assigned yet
    res.index = next;
    res.last_update_us = now;
    set_rates(r, rates_for(ctx, r, res.total_scaled_debt));
  }
}

LendingPool::Rates LendingPool::rates_for(const ShardContext& ctx, std::size_t r, i128 total_scaled_debt) const {
  const ReserveState& res = reserves_[r];
  const i128 cash = ctx.balance(account_, res.params.asset).raw();
  const i128 debt = ray_mul(total_scaled_debt, res.index.borrow_ray, Round::down);
  Rates out;
  out.utilization_ray = utilization_ray(debt, cash < 0 ? 0 : cash);
  out.borrow_ray = borrow_rate_ray(res.params, out.utilization_ray);
  out.supply_ray = supply_rate_ray(out.borrow_ray, out.utilization_ray, res.params.reserve_factor_wad);
  return out;
}

void LendingPool::set_rates(std::size_t r, const Rates& rates) {
  reserves_[r].utilization_ray = rates.utilization_ray;
  reserves_[r].borrow_rate_ray = rates.borrow_ray;
  reserves_[r].supply_rate_ray = rates.supply_ray;
}

std::string LendingPool::reserve_arg(const ShardContext& ctx, const OpArgs& args, std::string_view key,
                                     std::size_t& out) const {
  const auto text = args.text(key);
  if (!text) return "missing arg " + std::string(key);
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    if (reserves_[r].symbol == *text) {
      out = r;
      return {};
    }
  }
  if (!ctx.asset(*text)) return "unknown asset " + std::string(*text);
  return "asset " + std::string(*text) + " is not listed";
}

std::string LendingPool::amount_arg(const OpArgs& args, std::size_t r, bool max_ok, i128& out) const {
  const auto text = args.text("amount");
  if (!text) return "missing arg amount";
  if (max_ok && *text == "max") {
    out = -1;
    return {};
  }
  const auto parsed = core::Amount::parse(*text, reserves_[r].decimals);
  if (!parsed) return "malformed arg amount";
  if (parsed->raw() <= 0) return "amount must be positive";
  out = parsed->raw();
  return {};
}

std::string LendingPool::value_account(const ShardContext& ctx, const Position& pos, const Override& ov,
                                       AccountValues& out, unsigned weigh, const std::vector<Indices>* idx) const {
  out = AccountValues{};
  for (std::size_t r = 0; r < reserves_.size(); ++r) {
    const i128 s = r == ov.reserve ? ov.scaled_supply : pos.scaled_supply[r];
    const i128 d = r == ov.reserve ? ov.scaled_debt : pos.scaled_debt[r];
    if (s == 0 && d == 0) continue;
    const ReserveState& res = reserves_[r];
    const auto price = ctx.oracle_price_wad(res.params.asset);
    if (!price) return "no oracle price for " + res.symbol;
    const Indices& ix = idx ? (*idx)[r] : res.index;
    if (s != 0) {
      const i128 value = mul_div(supply_balance(s, ix.liquidity_ray), *price, res.unit, Round::down);
      out.collateral_wad += value;
      if (weigh & kWeighLtv) out.borrow_power_wad += wad_mul(value, res.params.ltv_wad, Round::down);
      if (weigh & kWeighThreshold) out.threshold_wad += wad_mul(value, res.params.liq_threshold_wad, Round::down);
    }
    if (d != 0) out.debt_wad += mul_div(debt_balance(d, ix.borrow_ray), *price, res.unit, Round::up);
  }
  return {};
}

std::vector<Indices> LendingPool::indices_now(const ShardContext& ctx) const {
  std::vector<Indices> out;
  out.reserve(reserves_.size());
  for (const ReserveState& r : reserves_) {
    try {
      out.push_back(indices_at(r, ctx.now().count_us()));
    } catch (const ArithmeticError&) {
      out.push_back(r.index);
    }
  }
  return out;
}

Position& LendingPool::position(AccountId who) {
  auto it = positions_.find(who);
  if (it == positions_.end()) it = positions_.emplace(who, Position(reserves_.size())).first;
  return it->second;
}

void LendingPool::forget_if_empty(AccountId who) {
  const auto it = positions_.find(who);
  if (it != positions_.end() && it->second.empty()) positions_.erase(it);
}

const Position* LendingPool::find_position(AccountId who) const {
  const auto it = positions_.find(who);
  return it == positions_.end() ? nullptr : &it->second;
}

}  // namespace shardsim::protocols::lending
