// BM_PortfolioMargin/<instruments>: one broker portfolio-margin evaluation (spec/clearing.md §1) on
// a book holding that many distinct instruments (one position each), spread over 4 underlyings:
// synths, perps (marked from their venue's snapshot), lending deposits and debts, and LP shares
// against USDC (valued from their pool's snapshot), at up to 5 venues per kind, with credits
// between two pairs (BTC/ETH, SOL/LINK, both applying: the book is long BTC and SOL, short ETH and
// LINK), haircuts per venue and latency add-ons on a quarter of the book. Reports evaluations per
// second (items/s); the target is >= 100k/s at 50 instruments.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <deque>
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
constexpr AssetId kUnderlyings = 4;  // ids 1..4: BTC, ETH, SOL, LINK
const PriceVector kPrices = {1.0, 50'000.0, 2'500.0, 100.0, 15.0};
constexpr std::size_t kKinds = 5;   // synth, perp, deposit, debt, LP share
constexpr std::size_t kVenues = 5;  // per kind: 20 instruments per venue round
const std::array<std::array<const char*, kVenues>, kKinds> kVenueNames = {{
    {"snx", "kwenta", "lyra", "synfutures", "mirror"},
    {"dydx", "gmx", "hyperliquid", "vertex", "drift"},
    {"aave", "compound", "spark", "morpho", "euler"},
    {"aave", "compound", "spark", "morpho", "euler"},
    {"uni", "sushi", "curve", "balancer", "pancake"},
}};

double px(const PriceVector& p, AssetId a) { return a < p.size() ? p[a] : 0.0; }
double dir(AssetId a) { return a % 2 == 1 ? 1.0 : -1.0; }  // the book's direction: long BTC, SOL
std::string suffix(AssetId a, std::size_t venue) { return std::to_string(a) + "." + std::to_string(venue); }

InstrumentDescriptor synth(AssetId a, const std::string& venue, std::size_t v) {
  InstrumentDescriptor d{venue + ".s" + suffix(a, v), venue, {a}, {1.0}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * px(p, a); };
  return d;
}

// As protocols/perps: qty * (scenario price - the snapshot's mark).
InstrumentDescriptor perp(AssetId a, const std::string& venue, std::size_t v) {
  InstrumentDescriptor d{venue + ".P" + suffix(a, v), venue, {a}, {1.0}, {}};
  d.revalue = [a, key = "mark." + std::to_string(a), mark = px(kPrices, a)](double q, const ProtocolSnapshot& s,
                                                                           const PriceVector& p) {
    return q * (px(p, a) - s.get(key).value_or(mark));
  };
  return d;
}

// As protocols/lending: sign * qty * price (sign -1 for a debt).
InstrumentDescriptor lending(AssetId a, const std::string& venue, std::size_t v, double sign) {
  InstrumentDescriptor d{venue + (sign < 0 ? ".D" : ".A") + suffix(a, v), venue, {a}, {sign}, {}};
  d.revalue = [a, sign](double q, const ProtocolSnapshot&, const PriceVector& p) { return sign * q * px(p, a); };
  return d;
}

// As protocols/amm: a constant-product share against USDC, k and supply read from the pool's snapshot.
InstrumentDescriptor lp_share(AssetId a, const std::string& venue, std::size_t v, double k, double supply) {
  InstrumentDescriptor d{venue + ".LP" + suffix(a, v), venue, {a, kUsdc}, {}, {}};
  d.deltas_per_unit = {std::sqrt(k / px(kPrices, a)) / supply, std::sqrt(k * px(kPrices, a)) / supply};
  d.revalue = [a](double q, const ProtocolSnapshot& s, const PriceVector& p) {
    const double k_now = s.get("k").value_or(0.0), supply_now = s.get("lp_supply").value_or(0.0);
    return supply_now > 0 ? q * 2 * std::sqrt(k_now * px(p, a) * px(p, kUsdc)) / supply_now : 0.0;
  };
  return d;
}

void BM_PortfolioMargin(benchmark::State& state) {
  const auto instruments = static_cast<std::size_t>(state.range(0));
  std::deque<InstrumentDescriptor> menu;  // deque: positions keep pointers into it
  std::deque<ProtocolSnapshot> snapshots;
  ProtocolSnapshot marks;  // every perp venue publishes the same marks here
  for (AssetId a = 1; a <= kUnderlyings; ++a) marks.values.emplace_back("mark." + std::to_string(a), px(kPrices, a));

  std::vector<broker::Position> book;
  for (std::size_t i = 0; i < instruments; ++i) {
    // Instrument i: kind i % 5, underlying cycling every 5, a new venue every 20 instruments.
    const std::size_t kind = i % kKinds;
    const auto a = static_cast<AssetId>(1 + (i / kKinds) % kUnderlyings);
    const std::size_t v = (i / (kKinds * kUnderlyings)) % kVenues;
    const std::string venue = kVenueNames[kind][v];
    const ProtocolSnapshot* snap = nullptr;
    switch (kind) {
      case 0: menu.push_back(synth(a, venue, v)); break;
      case 1:
        menu.push_back(perp(a, venue, v));
        snap = &marks;
        break;
      case 2: menu.push_back(lending(a, venue, v, 1.0)); break;   // a deposit
      case 3: menu.push_back(lending(a, venue, v, -1.0)); break;  // a debt
      default: {
        const double reserve_a = 1'000.0 * (1 + v), k = reserve_a * reserve_a * px(kPrices, a), supply = 1'000.0;
        snapshots.push_back(ProtocolSnapshot{0, {{"reserve.a", reserve_a}, {"k", k}, {"lp_supply", supply}}});
        menu.push_back(lp_share(a, venue, v, k, supply));
        snap = &snapshots.back();
      }
    }
    // Pair trades, so both credit pairs apply: long BTC and SOL, short ETH and LINK. Synths and
    // perps take the book's side, every third one the other way (an intra-group hedge); lending
    // legs hold positive quantities, large on the book's side; LP shares are long their asset
    // (on ETH and LINK, LPs hedged by short perps and synths).
    double side = 1.0;  // LP shares
    if (kind <= 1) side = dir(a) * (i % 3 == 0 ? -1.0 : 1.0);
    if (kind == 2 && dir(a) < 0) side = 0.2;  // short underlyings: a small deposit, a large debt
    if (kind == 3 && dir(a) > 0) side = 0.2;  // long underlyings: a small debt, a large deposit
    const double notional_usd = 10'000.0 * static_cast<double>(1 + (i / 3) % 5) * side;
    // Quantity: that notional in units of the instrument (a perp unit is one unit of the asset).
    const double unit_value_usd =
        kind == 1 ? px(kPrices, a) : std::abs(menu.back().revalue(1.0, snap ? *snap : marks, kPrices));
    broker::Position p{&menu.back(), notional_usd / unit_value_usd, snap};
    if (i % 4 == 0) {
      p.unhedged_quantity = p.quantity;
      p.expected_settlement = core::Duration::s(12);
    }
    book.push_back(p);
  }

  broker::MarginConfig cfg;
  for (AssetId a = 1; a <= kUnderlyings; ++a) {
    cfg.scan_range[a] = 0.10 + 0.02 * a;
    cfg.vol_annual[a] = 0.5 + 0.1 * a;
  }
  cfg.credits = {{1, 2, 0.6}, {3, 4, 0.4}};
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    for (std::size_t v = 0; v < kVenues; ++v) cfg.haircuts[kVenueNames[kind][v]] = 0.01 + 0.005 * v;
  }

  for (auto _ : state) {
    broker::MarginResult r = broker::portfolio_margin(book, kPrices, cfg);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(BM_PortfolioMargin)->Arg(10)->Arg(50)->Arg(100);

}  // namespace shardsim::bench
