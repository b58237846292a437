// The pool's operations: add_liquidity, remove_liquidity and swap, validated before any change.
#include "protocols/amm/amm_pool.hpp"

#include <optional>

#include "core/assert.hpp"

namespace shardsim::protocols::amm {
namespace {

// An argument read as an amount with `decimals`: the value, or the revert reason.
struct ArgAmount {
  core::Amount value;
  std::string error;  // empty when parsed
};

ArgAmount read_positive(const OpArgs& args, std::string_view key, int decimals) {
  const auto text = args.text(key);
  if (!text) return {{}, "missing arg " + std::string(key)};
  const auto parsed = core::Amount::parse(*text, decimals);
  if (!parsed) return {{}, "malformed arg " + std::string(key)};
  if (parsed->raw() <= 0) return {{}, std::string(key) + " must be positive"};
  return {*parsed, {}};
}

// An optional non-negative amount (min_out): zero when absent.
ArgAmount read_optional_non_negative(const OpArgs& args, std::string_view key, int decimals) {
  const auto text = args.text(key);
  if (!text) return {{}, {}};
  const auto parsed = core::Amount::parse(*text, decimals);
  if (!parsed) return {{}, "malformed arg " + std::string(key)};
  if (parsed->is_negative()) return {{}, std::string(key) + " must not be negative"};
  return {*parsed, {}};
}

}  // namespace

AmmPool::AmmPool(std::string name, AccountId account, AmmConfig config)
    : name_(std::move(name)), account_(account), config_(config) {
  SHARDSIM_ASSERT(config_.asset_a != config_.asset_b);
  SHARDSIM_ASSERT(config_.fee.num >= 0 && config_.fee.num < config_.fee.den);
}

std::vector<std::pair<std::string, std::vector<std::string>>> AmmPool::op_list() {
  return {{"add_liquidity", {"amount_a", "amount_b"}},
          {"remove_liquidity", {"lp"}},
          {"swap", {"sell", "amount", "min_out"}},
          {"transfer_lp", {"to", "lp"}}};
}

i128 AmmPool::lp_balance_units(AccountId holder) const {
  const auto it = lp_balances_.find(holder);
  return it == lp_balances_.end() ? 0 : it->second;
}

void AmmPool::sync(const ShardContext& ctx) {
  const i128 held_a = ctx.balance(account_, config_.asset_a).raw();
  const i128 held_b = ctx.balance(account_, config_.asset_b).raw();
  // The reserves follow the holdings: donations raise them, an exploit (protocol_insolvency)
  // drains them, like Uniswap v2's sync().
  reserve_a_units_ = held_a;
  reserve_b_units_ = held_b;
}

OpResult AmmPool::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (sender == account_) return OpResult::revert("the pool account cannot trade with its own pool");
  sync(ctx);
  if (op == "swap") return swap(ctx, sender, args);
  if (op == "add_liquidity") return add_liquidity(ctx, sender, args);
  if (op == "remove_liquidity") return remove_liquidity(ctx, sender, args);
  if (op == "transfer_lp") return transfer_lp(ctx, sender, args);
  return OpResult::revert("unknown op " + std::string(op));
}

// Moves LP units to another account on this shard (a client posting them with its broker).
OpResult AmmPool::transfer_lp(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const ArgAmount lp = read_positive(args, "lp", kLpDecimals);
  if (!lp.error.empty()) return OpResult::revert(lp.error);
  const auto to_name = args.text("to");
  if (!to_name) return OpResult::revert("missing arg to");
  const auto to = ctx.account(*to_name);
  if (!to) return OpResult::revert("unknown account " + std::string(*to_name));
  const auto holder = lp_balances_.find(sender);
  if (holder == lp_balances_.end() || holder->second < lp.value.raw()) return OpResult::revert("insufficient lp balance");
  if (*to == sender) return OpResult::success();
  holder->second -= lp.value.raw();
  if (holder->second == 0) lp_balances_.erase(holder);
  lp_balances_[*to] += lp.value.raw();
  return OpResult::success();
}

OpResult AmmPool::add_liquidity(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const ArgAmount a = read_positive(args, "amount_a", ctx.decimals(config_.asset_a));
  if (!a.error.empty()) return OpResult::revert(a.error);
  const ArgAmount b = read_positive(args, "amount_b", ctx.decimals(config_.asset_b));
  if (!b.error.empty()) return OpResult::revert(b.error);

  i128 used_a = a.value.raw();
  i128 used_b = b.value.raw();
  i128 minted = 0;
  i128 locked = 0;
  if (lp_supply_units_ == 0) {
    minted = first_mint_units(used_a, used_b);
    locked = kMinimumLiquidityUnits;
  } else {
    if (reserve_a_units_ <= 0 || reserve_b_units_ <= 0) return OpResult::revert("insufficient liquidity");
    // Take only what matches the pool ratio (the router's optimal amounts).
    const i128 b_optimal = quote(used_a, reserve_a_units_, reserve_b_units_);
    if (b_optimal <= used_b) {
      used_b = b_optimal;
    } else {
      used_a = quote(used_b, reserve_b_units_, reserve_a_units_);
    }
    minted = proportional_mint_units(used_a, used_b, reserve_a_units_, reserve_b_units_, lp_supply_units_);
  }
  if (minted <= 0) return OpResult::revert("insufficient liquidity minted");

  if (!ctx.transfer(sender, account_, config_.asset_a, core::Amount::units(used_a)) ||
      !ctx.transfer(sender, account_, config_.asset_b, core::Amount::units(used_b))) {
    return OpResult::revert("insufficient balance");
  }
  reserve_a_units_ += used_a;
  reserve_b_units_ += used_b;
  lp_supply_units_ += minted + locked;
  lp_balances_[sender] += minted;
  return OpResult::success();
}

OpResult AmmPool::remove_liquidity(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const ArgAmount lp = read_positive(args, "lp", kLpDecimals);
  if (!lp.error.empty()) return OpResult::revert(lp.error);
  const auto holder = lp_balances_.find(sender);
  if (holder == lp_balances_.end() || holder->second < lp.value.raw()) {
    return OpResult::revert("insufficient lp balance");
  }
  const i128 out_a = pro_rata(lp.value.raw(), reserve_a_units_, lp_supply_units_);
  const i128 out_b = pro_rata(lp.value.raw(), reserve_b_units_, lp_supply_units_);
  if (out_a <= 0 || out_b <= 0) return OpResult::revert("insufficient liquidity burned");

  const bool paid = ctx.transfer(account_, sender, config_.asset_a, core::Amount::units(out_a)) &&
                    ctx.transfer(account_, sender, config_.asset_b, core::Amount::units(out_b));
  SHARDSIM_ASSERT_MSG(paid, "amm: pool account cannot pay a pro-rata burn");
  reserve_a_units_ -= out_a;
  reserve_b_units_ -= out_b;
  lp_supply_units_ -= lp.value.raw();
  holder->second -= lp.value.raw();
  if (holder->second == 0) lp_balances_.erase(holder);
  return OpResult::success();
}

OpResult AmmPool::swap(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const auto sell = args.text("sell");
  if (!sell) return OpResult::revert("missing arg sell");
  const std::string& symbol_a = ctx.asset_symbol(config_.asset_a);
  const std::string& symbol_b = ctx.asset_symbol(config_.asset_b);
  bool sell_a = false;
  if (*sell == symbol_a) {
    sell_a = true;
  } else if (*sell != symbol_b) {
    return OpResult::revert("sell must be " + symbol_a + " or " + symbol_b);
  }
  const AssetId asset_in = sell_a ? config_.asset_a : config_.asset_b;
  const AssetId asset_out = sell_a ? config_.asset_b : config_.asset_a;
  i128& reserve_in = sell_a ? reserve_a_units_ : reserve_b_units_;
  i128& reserve_out = sell_a ? reserve_b_units_ : reserve_a_units_;

  const ArgAmount in = read_positive(args, "amount", ctx.decimals(asset_in));
  if (!in.error.empty()) return OpResult::revert(in.error);
  const ArgAmount min_out = read_optional_non_negative(args, "min_out", ctx.decimals(asset_out));
  if (!min_out.error.empty()) return OpResult::revert(min_out.error);
  if (reserve_in <= 0 || reserve_out <= 0) return OpResult::revert("insufficient liquidity");

  const i128 out = amount_out(in.value.raw(), reserve_in, reserve_out, config_.fee);
  if (out <= 0 || out < min_out.value.raw()) return OpResult::revert("insufficient output amount");
  if (!ctx.transfer(sender, account_, asset_in, in.value)) return OpResult::revert("insufficient balance");
  const bool paid = ctx.transfer(account_, sender, asset_out, core::Amount::units(out));
  SHARDSIM_ASSERT_MSG(paid, "amm: pool account cannot pay a swap");
  reserve_in += in.value.raw();
  reserve_out -= out;
  return OpResult::success({TxOutput{"amount_in", in.value.raw(), static_cast<std::uint8_t>(ctx.decimals(asset_in))},
                            TxOutput{"amount_out", out, static_cast<std::uint8_t>(ctx.decimals(asset_out))}});
}

}  // namespace shardsim::protocols::amm
