// The arbitrageur's synth peg trade: a pool between a synth and sUSD of a synthetics protocol on
// the same shard, priced against the protocol's exchange at the oracle (see arbitrageur.hpp).
#include <algorithm>
#include <cmath>

#include "agents/arbitrageur.hpp"

namespace shardsim::agents {
namespace {

constexpr double kIssueShare = 0.9;  // of the issuance limit it issues sUSD up to

}  // namespace

// The synthetics protocol on the shard that issues both of the pool's assets, one of them sUSD.
std::optional<Arbitrageur::SynthPool> Arbitrageur::synth_pool(const ShardReader& s, const AmmView& view) const {
  for (const ProtocolRef& p : s.protocols) {
    if (p.kind != "synthetics") continue;
    const nlohmann::ordered_json st = s.state(p.index);
    if (!st.contains("synths")) continue;
    const auto& synths = st.at("synths");
    if (!synths.contains(view.symbol_a) || !synths.contains(view.symbol_b)) continue;
    const bool a_usd = synths.at(view.symbol_a).at("tracks").is_null();
    const bool b_usd = synths.at(view.symbol_b).at("tracks").is_null();
    if (a_usd == b_usd) continue;
    SynthPool out;
    out.protocol = &p;
    out.synth = a_usd ? view.b : view.a;
    out.susd = a_usd ? view.a : view.b;
    out.synth_symbol = a_usd ? view.symbol_b : view.symbol_a;
    out.susd_symbol = a_usd ? view.symbol_a : view.symbol_b;
    const auto tracked = asset(synths.at(out.synth_symbol).at("tracks").get<std::string>());
    const auto oracle = tracked && s.oracle_price ? s.oracle_price(*tracked) : std::nullopt;
    if (!oracle || !(*oracle > 0)) return std::nullopt;
    out.oracle = *oracle;
    out.exchange_fee = num(synths.at(out.synth_symbol).at("fee_rate")) + num(synths.at(out.susd_symbol).at("fee_rate"));
    if (!(out.exchange_fee >= 0 && out.exchange_fee < 1)) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

// While it holds synthetics collateral on the shard (once, unless it is sent more): it is staked and sUSD issued against it, the capital of
// its peg trades.
void Arbitrageur::issue_susd(core::Actor& self, Worker& w) {
  const ShardReader& s = reader(w);
  const ProtocolRef* p = s.find_kind("synthetics");
  if (p == nullptr) return;
  const nlohmann::ordered_json st = s.state(p->index);
  if (!st.contains("collateral") || !st.contains("issuance_ratio")) return;
  const auto collateral = asset(st.at("collateral").get<std::string>());
  if (!collateral) return;
  const i128 stake = spendable(s, *collateral);
  const double price_usd = s.oracle_price ? s.oracle_price(*collateral).value_or(0) : 0;
  if (stake <= 0 || !(price_usd > 0)) return;
  if (!succeeded(execute(self, w, protocol_call(*p, "stake", {{"amount", amount_text(*collateral, stake)}})))) return;
  const double limit = core::Amount::units(stake).to_double(decimals(*collateral)) * price_usd *
                       num(st.at("issuance_ratio")) * kIssueShare;
  std::string susd;
  for (const auto& [sym, synth] : st.at("synths").items()) {
    if (synth.at("tracks").is_null()) susd = sym;
  }
  const auto usd_asset = asset(susd);
  if (!usd_asset || !(limit > 0)) return;
  const auto raw = static_cast<i128>(std::floor(limit * std::pow(10.0, decimals(*usd_asset))));
  execute(self, w, protocol_call(*p, "issue", {{"amount", amount_text(*usd_asset, raw)}}));
}

void Arbitrageur::synth_peg(core::Actor& self, Worker& w, const ProtocolRef& pool, const AmmView& view,
                            const SynthPool& sp) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const double keep = 1 - sp.exchange_fee;
  const int dusd = decimals(sp.susd);
  const int dsyn = decimals(sp.synth);
  const double x = core::Amount::units(view.reserve_of(sp.synth)).to_double(dsyn);  // synth
  const double y = core::Amount::units(view.reserve_of(sp.susd)).to_double(dusd);   // sUSD
  const i128 capital = spendable(s, sp.susd);
  if (capital <= 0) return;
  const auto value = [&] {  // sUSD at 1, the synth at the oracle: what it holds of the two
    return core::Amount::units(s.balance(ctx_.account, sp.susd).raw()).to_double(dusd) +
           core::Amount::units(s.balance(ctx_.account, sp.synth).raw()).to_double(dsyn) * sp.oracle;
  };
  const double gas = 2 * gas_usd(s, now) + ctx_.min_profit_usd;
  const auto scale = [](double whole, int d) { return static_cast<i128>(std::floor(whole * std::pow(10.0, d))); };
  const auto exchange = [&](const std::string& from, const std::string& to, protocols::AssetId a, i128 amount) {
    return succeeded(execute(self, w, protocol_call(*sp.protocol, "exchange",
                                                    {{"from", from}, {"to", to}, {"amount", amount_text(a, amount)}})));
  };
  const double before = value();
  // Rich pool: a synth bought from the protocol (cost oracle / keep) sells for more in the pool.
  if (const double sell = arb_input(x, y, view.fee(), sp.oracle / keep); sell > 0) {
    const i128 cost = std::min<i128>(scale(sell * sp.oracle / keep, dusd), capital);
    const i128 synth_in = scale(core::Amount::units(cost).to_double(dusd) * keep / sp.oracle, dsyn);
    const i128 got = cp_out(view.selling(sp.synth), synth_in);
    if (synth_in <= 0 || core::Amount::units(got - cost).to_double(dusd) <= gas) return;
    const i128 held = s.balance(ctx_.account, sp.synth).raw();
    if (!exchange(sp.susd_symbol, sp.synth_symbol, sp.susd, cost)) return;
    const i128 bought = s.balance(ctx_.account, sp.synth).raw() - held;
    const bool sold = succeeded(execute(self, w, protocol_call(pool, "swap",
                                                               {{"sell", sp.synth_symbol},
                                                                {"amount", amount_text(sp.synth, bought)},
                                                                {"min_out", amount_text(sp.susd, cost)}})));
    if (!sold) exchange(sp.synth_symbol, sp.susd_symbol, sp.synth, bought);  // back at the oracle
  } else if (const double spend = arb_input(y, x, view.fee(), 1 / (sp.oracle * keep)); spend > 0) {
    // Cheap pool: a synth bought in the pool redeems for more sUSD at the protocol.
    const i128 in = std::min<i128>(scale(spend, dusd), capital);
    const i128 got = cp_out(view.selling(sp.susd), in);
    const double proceeds = core::Amount::units(got).to_double(dsyn) * sp.oracle * keep;
    if (in <= 0 || proceeds - core::Amount::units(in).to_double(dusd) <= gas) return;
    const i128 min_out = std::min<i128>(got, scale(core::Amount::units(in).to_double(dusd) / (sp.oracle * keep), dsyn));
    const i128 held = s.balance(ctx_.account, sp.synth).raw();
    if (!succeeded(execute(self, w, protocol_call(pool, "swap",
                                                  {{"sell", sp.susd_symbol},
                                                   {"amount", amount_text(sp.susd, in)},
                                                   {"min_out", amount_text(sp.synth, min_out)}})))) {
      return;
    }
    exchange(sp.synth_symbol, sp.susd_symbol, sp.synth, s.balance(ctx_.account, sp.synth).raw() - held);
  } else {
    return;
  }
  w.stats.profit_usd += value() - before;
}

}  // namespace shardsim::agents
