// The arbitrageur's decision: which side of the pool to sell, how much, and whether it pays.
#include "agents/arbitrageur.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::agents {

void Arbitrageur::run(core::Actor& self, Worker& w) {
  for (;;) {
    sleep_gap(self);
    ++w.stats.decisions;
    issue_susd(self, w);  // until it has (the first oracle values may not be in yet)
    for (const ProtocolRef& p : reader(w).protocols) {
      if (p.kind == "amm") arbitrage(self, w, p);
    }
  }
}

void Arbitrageur::arbitrage(core::Actor& self, Worker& w, const ProtocolRef& pool) {
  const ShardReader& s = reader(w);
  const core::SimTime now = self.now();
  const auto view = read_amm(pool.queries.pool, *ctx_.registry, ctx_.account);
  if (!view || view->empty()) return;
  if (const auto sp = synth_pool(s, *view)) {
    synth_peg(self, w, pool, *view, *sp);
    return;
  }
  const double pa = price(s, view->a, now);
  const double pb = price(s, view->b, now);
  if (pa <= 0 || pb <= 0) return;
  const double x = core::Amount::units(view->reserve_a).to_double(decimals(view->a));
  const double y = core::Amount::units(view->reserve_b).to_double(decimals(view->b));
  // Sell A when the pool pays more B per A, net of fee, than the oracle says A is worth.
  double in_whole = arb_input(x, y, view->fee(), pa / pb);
  bool sell_a = in_whole > 0;
  if (!sell_a) in_whole = arb_input(y, x, view->fee(), pb / pa);
  if (in_whole <= 0) return;
  const protocols::AssetId in = sell_a ? view->a : view->b;
  const protocols::AssetId out = sell_a ? view->b : view->a;
  const double scaled = std::floor(in_whole * std::pow(10.0, decimals(in)));
  if (!(scaled >= 1) || scaled > 1e36) return;
  const i128 amount = std::min<i128>(static_cast<i128>(scaled), spendable(s, in));
  if (amount <= 0) return;
  const i128 got = cp_out(view->selling(in), amount);
  const double value_in = usd(s, in, amount, now);
  const double gain = usd(s, out, got, now) - value_in;
  if (gain <= gas_usd(s, now) + ctx_.min_profit_usd) return;
  // Break-even at the oracle: never accept less than the input is worth.
  const double p_out = sell_a ? pb : pa;
  const i128 min_out =
      std::min<i128>(got, static_cast<i128>(std::ceil(value_in / p_out * std::pow(10.0, decimals(out)))));
  const Holdings before = holdings(s, {in, out});
  const bool ok = succeeded(execute(self, w,
                                    protocol_call(pool, "swap",
                                                  {{"sell", std::string(sell_a ? view->symbol_a : view->symbol_b)},
                                                   {"amount", amount_text(in, amount)},
                                                   {"min_out", amount_text(out, min_out)}})));
  if (ok) w.stats.profit_usd += gain_usd(s, before, self.now());
}

}  // namespace shardsim::agents
