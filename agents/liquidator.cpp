// The liquidator's scans of lending, perps and synthetics accounts at risk, and its liquidations.
#include "agents/liquidator.hpp"

#include <algorithm>
#include <cmath>

#include "agents/amm_view.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::agents {
namespace {

constexpr core::Duration kSynthRetry = core::Duration::min(30);  // after "liquidation delay not passed"

bool hosts_any(const ShardReader& s, std::initializer_list<std::string_view> kinds) {
  return std::any_of(kinds.begin(), kinds.end(), [&](std::string_view k) { return s.find_kind(k) != nullptr; });
}

double wad_double(i128 wad) { return protocols::wad_to_nearest_double(wad); }

// A lending borrower as read at the start of a pass.
struct Borrower {
  protocols::AccountId account = 0;
  std::vector<protocols::LendingBalance> balances;
};

}  // namespace

bool Liquidator::acts_on(const ShardReader& s) const { return hosts_any(s, {"lending", "perps", "synthetics"}); }
bool Liquidator::needs_capital(const ShardReader& s) const { return hosts_any(s, {"lending", "synthetics"}); }

void Liquidator::run(core::Actor& self, Worker& w) {
  for (;;) {
    sleep_gap(self);
    ++w.stats.decisions;
    for (const ProtocolRef& p : reader(w).protocols) {
      if (p.queries.lending != nullptr) lending(self, w, p);
      if (p.queries.perps != nullptr) perps(self, w, p);
      if (p.queries.synthetics != nullptr) synthetics(self, w, p);
    }
  }
}

void Liquidator::record(core::Actor& self, Worker& w, const ProtocolRef& p, const Holdings& before,
                        const std::optional<protocols::TxResult>& r) {
  if (!succeeded(r)) return;
  ++w.stats.liquidations[p.name];
  w.stats.profit_usd += gain_usd(reader(w), before, self.now());
}

std::vector<protocols::AccountHealth> Liquidator::liquidatable(const ShardReader& s, const ProtocolRef& p,
                                                               bool by_name) const {
  std::vector<protocols::AccountHealth> out;
  if (p.queries.risk == nullptr || s.host == nullptr) return out;
  p.queries.risk->accounts_at_risk(*s.host, 0, out);
  std::erase_if(out, [&](const protocols::AccountHealth& h) { return !h.liquidatable || h.account == ctx_.account; });
  if (by_name) {
    std::sort(out.begin(), out.end(), [&](const protocols::AccountHealth& a, const protocols::AccountHealth& b) {
      return ctx_.registry->account_name(a.account) < ctx_.registry->account_name(b.account);
    });
  }
  return out;
}

void Liquidator::lending(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  std::vector<Borrower> borrowers;
  for (const protocols::AccountHealth& h : liquidatable(s, p, true)) {
    borrowers.push_back(Borrower{h.account, {}});
    p.queries.lending->balances(*s.host, h.account, borrowers.back().balances);
  }
  if (borrowers.empty()) return;
  const protocols::LendingTerms& terms = p.queries.lending->lending_terms();
  const double close_factor = wad_double(terms.close_factor_wad);
  for (const Borrower& b : borrowers) {
    // The debt it can repay the most of, and the largest collateral (and its bonus).
    protocols::AssetId debt_asset = 0, coll_asset = 0;
    i128 repay = 0;
    double repay_value = 0, coll_value = 0, bonus = 0;
    for (std::size_t r = 0; r < b.balances.size(); ++r) {
      const protocols::LendingBalance& bal = b.balances[r];
      const i128 can =
          std::min<i128>(static_cast<i128>(std::floor(static_cast<double>(bal.borrowed) * close_factor)),
                         spendable(s, bal.asset));
      if (usd(s, bal.asset, can, now) > repay_value) {
        debt_asset = bal.asset;
        repay = can;
        repay_value = usd(s, bal.asset, can, now);
      }
      if (usd(s, bal.asset, bal.supplied, now) > coll_value) {
        coll_asset = bal.asset;
        coll_value = usd(s, bal.asset, bal.supplied, now);
        bonus = wad_double(terms.reserves[r].bonus_wad - protocols::kWadUnit);
      }
    }
    if (repay <= 0 || coll_value <= 0) continue;
    if (repay_value * (1 + bonus) > coll_value) {  // the seizure is capped at the collateral
      repay = static_cast<i128>(static_cast<double>(repay) * coll_value / ((1 + bonus) * repay_value));
      repay_value = usd(s, debt_asset, repay, now);
    }
    if (repay <= 0 || repay_value * bonus < gas_usd(s, now) + ctx_.min_profit_usd) continue;
    const Holdings before = holdings(s, {debt_asset, coll_asset});
    const i128 coll_before = s.balance(ctx_.account, coll_asset).raw();
    const auto r = execute(self, w,
                           protocol_call(p, "liquidate",
                                         {{"borrower", ctx_.registry->account_name(b.account)},
                                          {"debt_asset", ctx_.registry->asset_symbol(debt_asset)},
                                          {"collateral_asset", ctx_.registry->asset_symbol(coll_asset)},
                                          {"amount", amount_text(debt_asset, repay)}}));
    record(self, w, p, before, r);
    if (succeeded(r)) sell_seized(self, w, coll_asset, s.balance(ctx_.account, coll_asset).raw() - coll_before);
  }
}

void Liquidator::sell_seized(core::Actor& self, Worker& w, protocols::AssetId asset, i128 seized) {
  if (seized <= 0) return;
  const ShardReader& s = reader(w);
  for (const ProtocolRef& pool : s.protocols) {
    const auto view = read_amm(pool.queries.pool, *ctx_.registry, ctx_.account);
    if (!view || view->empty() || (view->a != asset && view->b != asset)) continue;
    execute(self, w,
            protocol_call(pool, "swap",
                          {{"sell", std::string(view->symbol_of(asset))},
                           {"amount", amount_text(asset, seized)},
                           {"min_out", "0"}}));
    return;
  }
}

void Liquidator::perps(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const protocols::PerpsTerms& terms = p.queries.perps->perps_terms();
  // The reward is the liquidator's share of the penalty, paid in the collateral.
  if (terms.liquidation_penalty_wad <= 0 || terms.liquidator_share_wad <= 0) return;  // nothing to earn
  std::vector<std::pair<protocols::AccountId, i128>> rewards;  // read before it sends anything
  for (const protocols::AccountHealth& h : liquidatable(s, p, false)) {
    if (const auto reward = p.queries.perps->liquidation_reward(*s.host, h.account)) {
      rewards.emplace_back(h.account, *reward);
    }
  }
  const double gas = gas_usd(s, now);
  for (const auto& [account, reward] : rewards) {
    if (!(usd(s, terms.collateral, reward, now) > gas + ctx_.min_profit_usd)) continue;
    const Holdings before = holdings(s, {terms.collateral});
    record(self, w, p, before,
           execute(self, w, protocol_call(p, "liquidate", {{"account", ctx_.registry->account_name(account)}})));
  }
}

void Liquidator::synthetics(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const protocols::SyntheticsQuery& q = *p.queries.synthetics;
  const protocols::SyntheticsTerms& terms = q.synthetics_terms();
  std::vector<std::pair<protocols::AccountId, protocols::StakerView>> stakers;  // read before it sends anything
  for (const protocols::AccountHealth& h : liquidatable(s, p, true)) {
    if (auto v = q.staker(*s.host, h.account); v && v->debt_wad) stakers.emplace_back(h.account, *v);
  }
  if (stakers.empty()) return;
  // The protocol burns only sUSD it issued: no more than its supply.
  const i128 supply = q.synth_supply(terms.susd).raw();
  const double penalty = wad_double(terms.liquidation_penalty_wad);
  std::map<protocols::AccountId, core::SimTime>& retry = retry_at_[w.shard];
  const double gas = gas_usd(s, now);
  for (const auto& [staker, e] : stakers) {
    if (const auto it = retry.find(staker); it != retry.end() && now < it->second) continue;
    const double debt = wad_double(*e.debt_wad);
    const i128 amount = std::min<i128>(
        {spendable(s, terms.susd), supply, static_cast<i128>(debt * std::pow(10.0, decimals(terms.susd)))});
    const double reward = penalty * usd(s, terms.susd, amount, now);
    if (amount <= 0 || !(debt > 0)) continue;
    const std::string& name = ctx_.registry->account_name(staker);
    if (!e.flagged_at) {  // flag now, liquidate after the delay: two transactions
      if (reward >= 2 * gas + ctx_.min_profit_usd) execute(self, w, protocol_call(p, "flag", {{"staker", name}}));
      continue;
    }
    if (reward < gas + ctx_.min_profit_usd) continue;
    if (now < *e.flagged_at + terms.liquidation_delay) continue;  // the configured delay since the flag
    std::vector<protocols::AssetId> all;
    for (protocols::AssetId a = 0; a < ctx_.registry->asset_count(); ++a) all.push_back(a);
    const Holdings before = holdings(s, all);
    const auto r =
        execute(self, w, protocol_call(p, "liquidate", {{"staker", name}, {"amount", amount_text(terms.susd, amount)}}));
    if (r && r->reason == "liquidation delay not passed") retry[staker] = self.now() + kSynthRetry;
    record(self, w, p, before, r);
  }
}

}  // namespace shardsim::agents
