// The liquidity provider's deposits and withdrawals.
#include "agents/lp_agent.hpp"

#include <algorithm>
#include <cmath>

namespace shardsim::agents {

void LiquidityProvider::run(core::Actor& self, Worker& w) {
  const ProtocolRef& pool = *reader(w).find_kind("amm");
  // The first deposit, as soon as the pool or the oracle gives a price.
  while (!add(self, w, pool, 1.0)) sleep_gap(self);
  for (;;) {
    sleep_gap(self);
    ++w.stats.decisions;
    if (self.rng().bernoulli(0.5)) {
      remove(self, w, pool, self.rng().uniform(0.2, 1.0));
    } else {
      add(self, w, pool, self.rng().uniform(0.5, 1.0));
    }
  }
}

bool LiquidityProvider::add(core::Actor& self, Worker& w, const ProtocolRef& pool, double fraction) {
  const ShardReader& s = reader(w);
  const auto view = read_amm(pool.queries.pool, *ctx_.registry, ctx_.account);
  if (!view) return false;
  i128 amount_a = static_cast<i128>(static_cast<double>(spendable(s, view->a)) * fraction);
  i128 amount_b = static_cast<i128>(static_cast<double>(spendable(s, view->b)) * fraction);
  if (view->empty()) {  // the first deposit sets the price: the oracle's
    const double pa = price(s, view->a, self.now());
    const double pb = price(s, view->b, self.now());
    if (pa <= 0 || pb <= 0) return false;
    const double value = std::min(usd(s, view->a, amount_a, self.now()), usd(s, view->b, amount_b, self.now()));
    amount_a = std::min(amount_a, static_cast<i128>(value / pa * std::pow(10.0, decimals(view->a))));
    amount_b = std::min(amount_b, static_cast<i128>(value / pb * std::pow(10.0, decimals(view->b))));
  }
  if (amount_a <= 0 || amount_b <= 0) return false;
  return succeeded(execute(
      self, w,
      protocol_call(pool, "add_liquidity",
                    {{"amount_a", amount_text(view->a, amount_a)}, {"amount_b", amount_text(view->b, amount_b)}})));
}

bool LiquidityProvider::remove(core::Actor& self, Worker& w, const ProtocolRef& pool, double fraction) {
  const ShardReader& s = reader(w);
  const auto view = read_amm(pool.queries.pool, *ctx_.registry, ctx_.account);
  if (!view || view->lp_held <= 0) return false;
  const i128 lp = std::max<i128>(1, static_cast<i128>(static_cast<double>(view->lp_held) * fraction));
  return succeeded(execute(self, w,
                           protocol_call(pool, "remove_liquidity",
                                         {{"lp", core::Amount::units(std::min(lp, view->lp_held)).str(kLpDecimals)}})));
}

}  // namespace shardsim::agents
