// The arbitrageur's synth peg trade: a pool between a synth and sUSD of a synthetics protocol on
// the same shard, priced against the protocol's exchange at the oracle (see arbitrageur.hpp).
#include <algorithm>
#include <cmath>

#include "agents/arbitrageur.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::agents {
namespace {

constexpr double kIssueShare = 0.9;  // of the issuance limit it issues sUSD up to

const protocols::SynthTerms* find_synth(const protocols::SyntheticsTerms& terms, protocols::AssetId asset) {
  for (const protocols::SynthTerms& t : terms.synths) {
    if (t.asset == asset) return &t;
  }
  return nullptr;
}

}  // namespace

// The synthetics protocol on the shard that issues both of the pool's assets, one of them sUSD.
std::optional<Arbitrageur::SynthPool> Arbitrageur::synth_pool(const ShardReader& s, const AmmView& view) const {
  for (const ProtocolRef& p : s.protocols) {
    if (p.queries.synthetics == nullptr) continue;
    const protocols::SyntheticsTerms& terms = p.queries.synthetics->synthetics_terms();
    const protocols::SynthTerms* a = find_synth(terms, view.a);
    const protocols::SynthTerms* b = find_synth(terms, view.b);
    if (a == nullptr || b == nullptr) continue;
    const bool a_usd = !a->tracks;
    const bool b_usd = !b->tracks;
    if (a_usd == b_usd) continue;
    const protocols::SynthTerms& synth = a_usd ? *b : *a;
    const protocols::SynthTerms& usd = a_usd ? *a : *b;
    SynthPool out;
    out.protocol = &p;
    out.synth = synth.asset;
    out.susd = usd.asset;
    out.synth_symbol = view.symbol_of(synth.asset);
    out.susd_symbol = view.symbol_of(usd.asset);
    const auto oracle = s.oracle_price ? s.oracle_price(*synth.tracks) : std::nullopt;
    if (!oracle || !(*oracle > 0)) return std::nullopt;
    out.oracle = *oracle;
    out.exchange_fee = protocols::wad_to_nearest_double(synth.fee_rate_wad) +
                       protocols::wad_to_nearest_double(usd.fee_rate_wad);
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
  if (p == nullptr || p->queries.synthetics == nullptr) return;
  const protocols::SyntheticsTerms& terms = p->queries.synthetics->synthetics_terms();
  const protocols::AssetId collateral = terms.collateral;
  const i128 stake = spendable(s, collateral);
  const double price_usd = s.oracle_price ? s.oracle_price(collateral).value_or(0) : 0;
  if (stake <= 0 || !(price_usd > 0)) return;
  if (!succeeded(execute(self, w, protocol_call(*p, "stake", {{"amount", amount_text(collateral, stake)}})))) return;
  const double limit = core::Amount::units(stake).to_double(decimals(collateral)) * price_usd *
                       protocols::wad_to_nearest_double(terms.issuance_ratio_wad) * kIssueShare;
  if (!(limit > 0)) return;
  const auto raw = static_cast<i128>(std::floor(limit * std::pow(10.0, decimals(terms.susd))));
  execute(self, w, protocol_call(*p, "issue", {{"amount", amount_text(terms.susd, raw)}}));
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
  const auto exchange = [&](std::string_view from, std::string_view to, protocols::AssetId a, i128 amount) {
    return succeeded(execute(self, w, protocol_call(*sp.protocol, "exchange",
                                                    {{"from", std::string(from)}, {"to", std::string(to)}, {"amount", amount_text(a, amount)}})));
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
                                                               {{"sell", std::string(sp.synth_symbol)},
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
                                                  {{"sell", std::string(sp.susd_symbol)},
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
