// The direct retail trader's decisions: which side, how much, on the perps market or the pool.
#include "agents/direct_retail.hpp"

#include <algorithm>
#include <cmath>

#include "agents/amm_view.hpp"

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
  const nlohmann::ordered_json st = s.state(p.index);
  const auto collateral = st.contains("collateral") ? asset(st.at("collateral").get<std::string>()) : std::nullopt;
  if (!collateral) return false;
  const i128 amount = spendable(s, *collateral);
  if (amount <= 0) return false;
  if (!succeeded(execute(self, w, protocol_call(p, "deposit", {{"amount", amount_text(*collateral, amount)}})))) {
    return false;
  }
  deposited_ = amount;
  deposit_usd_ = usd(s, *collateral, amount, self.now());
  return true;
}

void DirectRetail::trade_perps(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const nlohmann::ordered_json st = s.state(p.index);
  if (!st.contains("markets") || st.at("markets").empty()) return;
  // One market at random (in published order), a side and a size.
  const auto n = static_cast<std::uint64_t>(st.at("markets").size());
  auto it = st.at("markets").begin();
  std::advance(it, static_cast<std::ptrdiff_t>(self.rng().uniform_index(n)));
  const double mark = num(it.value().at("mark"));
  if (!(mark > 0)) return;
  const double side = self.rng().bernoulli(0.5) ? 1.0 : -1.0;
  const double target = side * self.rng().uniform01() * ctx_.leverage * deposit_usd_ / mark;
  double held = 0;
  if (st.contains("accounts") && st.at("accounts").contains(ctx_.name)) {
    const auto& positions = st.at("accounts").at(ctx_.name).at("positions");
    if (positions.contains(it.key())) held = num(positions.at(it.key()));
  }
  const std::string size = size_text(target - held);
  if (core::Amount::parse(size, 18).value_or(core::Amount{}).is_zero()) return;
  execute(self, w, protocol_call(p, "trade", {{"market", it.key()}, {"size", size}}));
}

void DirectRetail::trade_amm(core::Actor& self, Worker& w, const ProtocolRef& p) {
  const ShardReader& s = reader(w);
  const auto view = read_amm(s.state(p.index), *ctx_.registry, ctx_.name);
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
                        {{"sell", sell_a ? view->symbol_a : view->symbol_b},
                         {"amount", amount_text(in, amount)},
                         {"min_out", amount_text(out, min_out)}}));
}

}  // namespace shardsim::agents
