// The direct retail trader's decisions: which side, how much, on the perps market or the pool.
#include "agents/direct_retail.hpp"

#include <algorithm>
#include <cmath>

#include "agents/amm_view.hpp"
#include "protocols/api/decimal_double.hpp"

namespace shardsim::agents {
namespace {

constexpr double kMaxAmmShare = 0.25;   // of its holdings of the side it sells
constexpr double kSlippage = 0.01;      // bound on the swap output it accepts
constexpr double kSizeStep = 1e-6;      // perps sizes are rounded to this

std::string size_text(double size) {  // a signed size as 18-decimal text, rounded to kSizeStep
  const auto steps = static_cast<i128>(std::llround(size / kSizeStep));
  return core::Amount::units(steps * core::pow10_i128(12)).str(18);
}

}  // namespace

const ProtocolRef* DirectRetail::venue(const ShardReader& s) const {
  if (s.shard != ctx_.shards.front().shard) return nullptr;
  for (const ProtocolRef& p : s.protocols) {
    if (p.name == ctx_.protocol && (p.kind == "perps" || p.kind == "amm")) return &p;
  }
  return nullptr;
}

void DirectRetail::run(core::Actor& self, Worker& w) {
  const ProtocolRef& p = *venue(reader(w));
  for (;;) {
    sleep_gap(self);
    ++w.stats.decisions;
    if (p.kind == "perps") {
      if (deposited_ > 0 || deposit(self, w, p)) trade_perps(self, w, p);
    } else {
      trade_amm(self, w, p);
    }
  }
}

bool DirectRetail::deposit(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  if (p.queries.perps == nullptr) return false;
  const protocols::AssetId collateral = p.queries.perps->perps_terms().collateral;
  const i128 amount = spendable(s, collateral);
  if (amount <= 0) return false;
  if (!succeeded(execute(self, w, protocol_call(p, "deposit", {{"amount", amount_text(collateral, amount)}})))) {
    return false;
  }
  deposited_ = amount;
  deposit_usd_ = usd(s, collateral, amount, self.now());
  return true;
}

void DirectRetail::trade_perps(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const protocols::PerpsQuery& q = *p.queries.perps;
  const auto& markets = q.perps_terms().markets;
  if (markets.empty() || s.host == nullptr) return;
  // One market at random (in configured order), a side and a size.
  const auto m = static_cast<std::size_t>(self.rng().uniform_index(static_cast<std::uint64_t>(markets.size())));
  const auto mark_wad = q.mark_wad(*s.host, m);
  const double mark = mark_wad ? protocols::wad_to_nearest_double(*mark_wad) : 0.0;
  if (!(mark > 0)) return;
  const double side = self.rng().bernoulli(0.5) ? 1.0 : -1.0;
  const double target = side * self.rng().uniform01() * ctx_.leverage * deposit_usd_ / mark;
  const double held = protocols::wad_to_nearest_double(q.position_wad(ctx_.account, m));
  const std::string size = size_text(target - held);
  if (core::Amount::parse(size, 18).value_or(core::Amount{}).is_zero()) return;
  execute(self, w, protocol_call(p, "trade", {{"market", markets[m].name}, {"size", size}}));
}

void DirectRetail::trade_amm(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const auto view = read_amm(p.queries.pool, *ctx_.registry, ctx_.account);
  if (!view || view->empty()) return;
  const bool sell_a = self.rng().bernoulli(0.5);
  const protocols::AssetId in = sell_a ? view->a : view->b;
  const protocols::AssetId out = sell_a ? view->b : view->a;
  const double share = self.rng().uniform01() * kMaxAmmShare;
  const auto amount = static_cast<i128>(std::floor(static_cast<double>(spendable(s, in)) * share));
  if (amount <= 0) return;
  const i128 expected = cp_out(view->selling(in), amount);
  const auto min_out = static_cast<i128>(std::floor(static_cast<double>(expected) * (1 - kSlippage)));
  if (min_out <= 0) return;
  execute(self, w,
          protocol_call(p, "swap",
                        {{"sell", std::string(view->symbol_of(in))},
                         {"amount", amount_text(in, amount)},
                         {"min_out", amount_text(out, min_out)}}));
}

}  // namespace shardsim::agents
