// BM_PortfolioMargin/<positions>: the broker's portfolio margin on a book of synths, perps,
// lending legs and LP shares over 5 underlyings, with credits, haircuts and latency add-ons.
// Reports margin computations per second.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "broker/margin_engine.hpp"

namespace shardsim::bench {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0;
constexpr AssetId kUnderlyings = 5;  // ids 1..5
const PriceVector kPrices = {1.0, 50'000.0, 2'500.0, 100.0, 20.0, 2.0};

double px(const PriceVector& p, AssetId a) { return a < p.size() ? p[a] : 0.0; }

InstrumentDescriptor synth(AssetId a) {
  InstrumentDescriptor d{"snx.s" + std::to_string(a), "snx", {a}, {1.0}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * px(p, a); };
  return d;
}

InstrumentDescriptor perp(AssetId a) {
  const std::string key = "mark." + std::to_string(a);
  InstrumentDescriptor d{"dydx.P" + std::to_string(a), "dydx", {a}, {1.0}, {}};
  d.revalue = [a, key, mark = px(kPrices, a)](double q, const ProtocolSnapshot& s, const PriceVector& p) {
    return q * (px(p, a) - s.get(key).value_or(mark));
  };
  return d;
}

InstrumentDescriptor debt(AssetId a) {
  InstrumentDescriptor d{"aave.D" + std::to_string(a), "aave", {a}, {-1.0}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return -q * px(p, a); };
  return d;
}

InstrumentDescriptor lp_share(AssetId a) {  // constant product against USDC, 1,000 units of a
  const double k = 1'000.0 * 1'000.0 * px(kPrices, a), supply = 1'000.0;
  InstrumentDescriptor d{"uni.LP" + std::to_string(a), "uni", {a, kUsdc}, {}, {}};
  d.deltas_per_unit = {std::sqrt(k / px(kPrices, a)) / supply, std::sqrt(k * px(kPrices, a)) / supply};
  d.revalue = [a, k, supply](double q, const ProtocolSnapshot&, const PriceVector& p) {
    return q * 2 * std::sqrt(k * px(p, a) * px(p, kUsdc)) / supply;
  };
  return d;
}

void BM_PortfolioMargin(benchmark::State& state) {
  std::vector<InstrumentDescriptor> menu;
  for (AssetId a = 1; a <= kUnderlyings; ++a) {
    menu.push_back(synth(a));
    menu.push_back(perp(a));
    menu.push_back(debt(a));
    menu.push_back(lp_share(a));
  }
  ProtocolSnapshot snap;
  for (AssetId a = 1; a <= kUnderlyings; ++a) snap.values.emplace_back("mark." + std::to_string(a), px(kPrices, a));

  broker::MarginConfig cfg;
  for (AssetId a = 1; a <= kUnderlyings; ++a) {
    cfg.scan_range[a] = 0.10 + 0.02 * a;
    cfg.vol_annual[a] = 0.5 + 0.1 * a;
  }
  cfg.credits = {{1, 2, 0.6}, {2, 3, 0.5}, {1, 3, 0.4}, {4, 5, 0.3}};
  cfg.haircuts = {{"snx", 0.03}, {"dydx", 0.02}, {"uni", 0.01}};

  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<broker::Position> book;
  for (std::size_t i = 0; i < n; ++i) {
    const InstrumentDescriptor& d = menu[(i * 7) % menu.size()];
    const double notional = 10'000.0 * (1 + i % 5) * (i % 3 == 0 ? -1 : 1);
    broker::Position p{&d, notional / px(kPrices, d.underlyings[0]), &snap};
    if (i % 4 == 0) {
      p.unhedged_quantity = p.quantity;
      p.expected_settlement = core::Duration::s(12);
    }
    book.push_back(p);
  }
  for (auto _ : state) {
    broker::MarginResult r = broker::portfolio_margin(book, kPrices, cfg);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(BM_PortfolioMargin)->Arg(10)->Arg(100);

}  // namespace shardsim::bench
