// The liquidator's scans of lending, perps and synthetics state, and its liquidations.
#include "agents/liquidator.hpp"

#include <algorithm>
#include <cmath>

#include "agents/amm_view.hpp"

namespace shardsim::agents {
namespace {

constexpr double kLendingBonus = 0.05;                           // spec default liquidation bonus (ETH, USDC, DAI)
constexpr double kSynthCRatio = 1.5;                             // spec default: liquidatable below 150% collateral
constexpr double kSynthPenalty = 0.30;                           // spec default liquidation penalty
constexpr core::Duration kSynthDelay = core::Duration::h(12);    // spec default flag -> liquidation delay
constexpr core::Duration kSynthRetry = core::Duration::min(30);  // after "liquidation delay not passed"

bool hosts_any(const ShardReader& s, std::initializer_list<std::string_view> kinds) {
  return std::any_of(kinds.begin(), kinds.end(), [&](std::string_view k) { return s.find_kind(k) != nullptr; });
}

}  // namespace

bool Liquidator::acts_on(const ShardReader& s) const { return hosts_any(s, {"lending", "perps", "synthetics"}); }
bool Liquidator::needs_capital(const ShardReader& s) const { return hosts_any(s, {"lending", "synthetics"}); }

void Liquidator::run(core::Actor& self, Worker& w) {
  for (;;) {
    sleep_gap(self);
    ++w.stats.decisions;
    for (const ProtocolRef& p : reader(w).protocols) {
      if (p.kind == "lending") lending(self, w, p);
      if (p.kind == "perps") perps(self, w, p);
      if (p.kind == "synthetics") synthetics(self, w, p);
    }
  }
}

void Liquidator::record(core::Actor& self, Worker& w, const ProtocolRef& p, const Holdings& before,
                        const std::optional<protocols::TxResult>& r) {
  if (!succeeded(r)) return;
  ++w.stats.liquidations[p.name];
  w.stats.profit_usd += gain_usd(reader(w), before, self.now());
}

void Liquidator::lending(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const nlohmann::ordered_json st = s.state(p.index);
  if (!st.contains("accounts")) return;
  const double close_factor = st.contains("close_factor") ? num(st.at("close_factor")) : 0.5;
  for (const auto& [borrower, acct] : st.at("accounts").items()) {
    if (borrower == ctx_.name || !(num(acct.at("health_factor")) < 1.0)) continue;
    // The debt it can repay the most of, and the largest collateral.
    std::string debt_sym, coll_sym;
    protocols::AssetId debt_asset = 0, coll_asset = 0;
    i128 repay = 0;
    double repay_value = 0, coll_value = 0;
    for (const auto& [sym, amount] : acct.at("borrowed").items()) {
      const auto a = asset(sym);
      const auto debt = a ? units(amount, decimals(*a)) : std::nullopt;
      if (!debt) continue;
      const i128 r =
          std::min<i128>(static_cast<i128>(std::floor(static_cast<double>(*debt) * close_factor)), spendable(s, *a));
      if (usd(s, *a, r, now) > repay_value) {
        debt_sym = sym;
        debt_asset = *a;
        repay = r;
        repay_value = usd(s, *a, r, now);
      }
    }
    for (const auto& [sym, amount] : acct.at("supplied").items()) {
      const auto a = asset(sym);
      const auto held = a ? units(amount, decimals(*a)) : std::nullopt;
      if (held && usd(s, *a, *held, now) > coll_value) {
        coll_sym = sym;
        coll_asset = *a;
        coll_value = usd(s, *a, *held, now);
      }
    }
    if (repay <= 0 || coll_value <= 0) continue;
    if (repay_value * (1 + kLendingBonus) > coll_value) {  // the seizure is capped at the collateral
      repay = static_cast<i128>(static_cast<double>(repay) * coll_value / ((1 + kLendingBonus) * repay_value));
      repay_value = usd(s, debt_asset, repay, now);
    }
    if (repay <= 0 || repay_value * kLendingBonus < gas_usd(s, now) + ctx_.min_profit_usd) continue;
    const Holdings before = holdings(s, {debt_asset, coll_asset});
    const i128 coll_before = s.balance(ctx_.account, coll_asset).raw();
    const auto r = execute(self, w,
                           protocol_call(p, "liquidate",
                                         {{"borrower", borrower},
                                          {"debt_asset", debt_sym},
                                          {"collateral_asset", coll_sym},
                                          {"amount", amount_text(debt_asset, repay)}}));
    record(self, w, p, before, r);
    if (succeeded(r)) sell_seized(self, w, coll_asset, s.balance(ctx_.account, coll_asset).raw() - coll_before);
  }
}

void Liquidator::sell_seized(core::Actor& self, Worker& w, protocols::AssetId asset, i128 seized) {
  if (seized <= 0) return;
  const ShardReader& s = reader(w);
  for (const ProtocolRef& pool : s.protocols) {
    if (pool.kind != "amm") continue;
    const auto view = read_amm(s.state(pool.index), *ctx_.registry, ctx_.name);
    if (!view || view->empty() || (view->a != asset && view->b != asset)) continue;
    const std::string& sym = view->a == asset ? view->symbol_a : view->symbol_b;
    execute(self, w, protocol_call(pool, "swap", {{"sell", sym}, {"amount", amount_text(asset, seized)}, {"min_out", "0"}}));
    return;
  }
}

void Liquidator::perps(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const nlohmann::ordered_json st = s.state(p.index);
  if (!st.contains("accounts") || !st.contains("markets")) return;
  // The reward is the liquidator's share of the penalty (a share of the closed notional, capped
  // by the account's equity), paid in the collateral; both are published with the state.
  const double penalty_rate = st.contains("liquidation_penalty") ? num(st.at("liquidation_penalty")) : 0.0;
  const double share = st.contains("liquidator_share") ? num(st.at("liquidator_share")) : 0.0;
  const auto collateral = st.contains("collateral") ? asset(st.at("collateral").get<std::string>()) : std::nullopt;
  if (!collateral || !(penalty_rate * share > 0)) return;  // nothing to earn
  const double unit_usd = usd(s, *collateral, core::pow10_i128(decimals(*collateral)), now);
  const double gas = gas_usd(s, now);
  for (const auto& [account, a] : st.at("accounts").items()) {
    if (account == ctx_.name || a.at("positions").empty() || !(num(a.at("equity")) < num(a.at("mmr")))) continue;
    double notional = 0;
    for (const auto& [market, size] : a.at("positions").items()) {
      if (!st.at("markets").contains(market)) continue;
      notional += std::abs(num(size)) * num(st.at("markets").at(market).at("mark"));
    }
    const double penalty = std::min(notional * penalty_rate, std::max(0.0, num(a.at("equity"))));
    const double reward = penalty * share * unit_usd;
    if (!(reward > gas + ctx_.min_profit_usd)) continue;
    const Holdings before = holdings(s, {*collateral});
    record(self, w, p, before, execute(self, w, protocol_call(p, "liquidate", {{"account", account}})));
  }
}

void Liquidator::synthetics(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const nlohmann::ordered_json st = s.state(p.index);
  if (!st.contains("stakers") || !st.contains("supply") || st.at("supply").empty()) return;
  const std::string susd = st.at("supply").contains("sUSD") ? "sUSD" : st.at("supply").begin().key();
  const auto usd_asset = asset(susd);
  if (!usd_asset) return;
  // The protocol burns only sUSD it issued: no more than its supply.
  const i128 supply = units(st.at("supply").at(susd), decimals(*usd_asset)).value_or(0);
  std::map<std::string, core::SimTime>& retry = retry_at_[w.shard];
  const double gas = gas_usd(s, now);
  for (const auto& [staker, e] : st.at("stakers").items()) {
    if (staker == ctx_.name || !(num(e.at("c_ratio")) < kSynthCRatio)) continue;
    if (const auto it = retry.find(staker); it != retry.end() && now < it->second) continue;
    const double debt = num(e.at("debt"));
    const i128 amount = std::min<i128>(
        {spendable(s, *usd_asset), supply, static_cast<i128>(debt * std::pow(10.0, decimals(*usd_asset)))});
    const double reward = kSynthPenalty * usd(s, *usd_asset, amount, now);
    if (amount <= 0 || !(debt > 0)) continue;
    if (e.at("flagged_at").is_null()) {  // flag now, liquidate after the delay: two transactions
      if (reward >= 2 * gas + ctx_.min_profit_usd) execute(self, w, protocol_call(p, "flag", {{"staker", staker}}));
      continue;
    }
    if (reward < gas + ctx_.min_profit_usd) continue;
    // Flagged: liquidatable once the delay (assumed the spec's) has passed since the flag.
    const auto flagged = core::Duration::parse(e.at("flagged_at").get<std::string>());
    if (flagged && now < core::SimTime::zero() + *flagged + kSynthDelay) continue;
    std::vector<protocols::AssetId> all;
    for (protocols::AssetId a = 0; a < ctx_.registry->asset_count(); ++a) all.push_back(a);
    const Holdings before = holdings(s, all);
    const auto r = execute(
        self, w, protocol_call(p, "liquidate", {{"staker", staker}, {"amount", amount_text(*usd_asset, amount)}}));
    if (r && r->reason == "liquidation delay not passed") retry[staker] = self.now() + kSynthRetry;
    record(self, w, p, before, r);
  }
}

}  // namespace shardsim::agents
