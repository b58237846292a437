// Parses a pool's published state into exact numbers.
#include "agents/amm_view.hpp"

#include <cstdlib>

#include "core/amount.hpp"

namespace shardsim::agents {
namespace {

std::optional<i128> exact(const nlohmann::ordered_json& j, int decimals) {
  if (!j.is_string()) return std::nullopt;
  const auto a = core::Amount::parse(j.get_ref<const std::string&>(), decimals);
  if (!a) return std::nullopt;
  return a->raw();
}

}  // namespace

std::optional<AmmView> read_amm(const nlohmann::ordered_json& state, const protocols::Registry& registry,
                                const std::string& holder) {
  if (!state.is_object() || !state.contains("reserves") || !state["reserves"].is_object() ||
      state["reserves"].size() != 2) {
    return std::nullopt;
  }
  AmmView v;
  auto it = state["reserves"].begin();
  v.symbol_a = it.key();
  const nlohmann::ordered_json& ra = it.value();
  ++it;
  v.symbol_b = it.key();
  const nlohmann::ordered_json& rb = it.value();
  const auto a = registry.asset(v.symbol_a);
  const auto b = registry.asset(v.symbol_b);
  if (!a || !b) return std::nullopt;
  v.a = *a;
  v.b = *b;
  const auto reserve_a = exact(ra, registry.decimals(v.a));
  const auto reserve_b = exact(rb, registry.decimals(v.b));
  if (!reserve_a || !reserve_b) return std::nullopt;
  v.reserve_a = *reserve_a;
  v.reserve_b = *reserve_b;
  if (state.contains("fee") && state["fee"].is_string()) {
    const std::string& fee = state["fee"].get_ref<const std::string&>();
    const std::size_t slash = fee.find('/');
    if (slash != std::string::npos) {
      v.fee_num = std::strtoll(fee.c_str(), nullptr, 10);
      v.fee_den = std::strtoll(fee.c_str() + slash + 1, nullptr, 10);
      if (v.fee_den <= 0 || v.fee_num < 0 || v.fee_num >= v.fee_den) return std::nullopt;
    }
  }
  if (state.contains("lp_supply")) v.lp_supply = exact(state["lp_supply"], kLpDecimals).value_or(0);
  if (state.contains("lp_balances") && state["lp_balances"].contains(holder)) {
    v.lp_held = exact(state["lp_balances"][holder], kLpDecimals).value_or(0);
  }
  return v;
}

}  // namespace shardsim::agents
