// BM_BrokerOrders: client orders through the broker's ClearingBook (broker/clearing_book.hpp):
// the pre-trade check (portfolio margin of the client's positions with the order included,
// spec/clearing.md §1 and §5), the fill at the mark with its fee on the ledger, realised P&L on
// reductions, and internal crossing against the other clients. Instruments: two synths and two
// perps on each of BTC and ETH (one hedge venue per perp), scan ranges, a BTC/ETH credit and
// haircuts per protocol; 100 clients with USDC collateral, each trading 2..6 instruments around
// seed positions opened before the timed loop. The order stream is precomputed from a fixed seed
// and is zero-sum over one cycle (its second half mirrors the first with the sides reversed), so
// positions stay bounded however many iterations run. Reports orders per second (items/s); the
// target is >= 200k/s. Counters: filled (fraction of orders filled), crossed (fraction that
// crossed, at least partly, against other clients), positions (mean per client at the end).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "broker/clearing_book.hpp"
#include "core/rng.hpp"

namespace shardsim::bench {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0, kBtc = 1, kEth = 2;
const std::vector<int> kDecimals = {6, 8, 18};
const PriceVector kPrices = {1.0, 50'000.0, 2'500.0};
constexpr std::size_t kClients = 100;
constexpr std::size_t kCycle = std::size_t{1} << 16;  // orders per zero-sum cycle
constexpr std::size_t kPriceEvery = 256;              // orders between mark updates

InstrumentDescriptor linear(const std::string& id, const std::string& protocol, AssetId a) {
  InstrumentDescriptor d{id, protocol, {a}, {1.0}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * (a < p.size() ? p[a] : 0.0); };
  return d;
}

struct Order {
  std::uint32_t client;
  std::uint32_t instrument;
  protocols::i128 qty_wad;
};

void BM_BrokerOrders(benchmark::State& state) {
  // Menu: per underlying, synths on snx and kwenta, perps on dydx and gmx.
  std::deque<InstrumentDescriptor> menu;  // deque: the book keeps pointers into it
  std::vector<broker::Instrument> instruments;
  std::vector<broker::Venue> venues;
  for (const AssetId a : {kBtc, kEth}) {
    const std::string sym = a == kBtc ? "BTC" : "ETH";
    for (const char* p : {"snx", "kwenta"}) {
      menu.push_back(linear(std::string(p) + ".s" + sym, p, a));
      instruments.push_back({&menu.back(), std::nullopt});
    }
    for (const char* p : {"dydx", "gmx"}) {
      menu.push_back(linear(std::string(p) + "." + sym + "-PERP", p, a));
      broker::Venue v;
      v.instrument = menu.back().id;
      v.underlying = a;
      v.shard = 1 + static_cast<protocols::ShardId>(venues.size());
      v.expected_latency = core::Duration::ms(400);
      instruments.push_back({&menu.back(), venues.size()});
      venues.push_back(std::move(v));
    }
  }
  const std::size_t n_instruments = instruments.size();  // 8: 0..3 BTC, 4..7 ETH

  broker::BrokerConfig cfg;
  cfg.name = "bench";
  cfg.margin.scan_range = {{kBtc, 0.10}, {kEth, 0.12}};
  cfg.margin.vol_annual = {{kBtc, 0.6}, {kEth, 0.8}};
  cfg.margin.credits = {{kBtc, kEth, 0.6}};
  cfg.margin.haircuts = {{"snx", 0.03}, {"kwenta", 0.035}, {"dydx", 0.02}, {"gmx", 0.025}};
  cfg.limits.position_notional_max = broker::AssetAmount{kUsdc, core::Amount::units(core::pow10_i128(6) * 20'000'000)};

  broker::ClearingBook book(cfg, std::move(instruments), std::move(venues), kUsdc, kDecimals);
  for (AssetId a = 0; a < kPrices.size(); ++a) book.set_price(a, kPrices[a]);
  for (AssetId a : {kBtc, kEth}) book.set_settlement(a, core::Duration::ms(800), 0.25);
  book.open_capital({{kUsdc, core::Amount::units(core::pow10_i128(6) * 50'000'000)}},
                    {{kUsdc, core::Amount::units(core::pow10_i128(6) * 10'000'000)}});

  // Client c trades k_c = 2 + c % 5 instruments: a window of the menu starting at c % 8, each
  // opened with a seed position whose side alternates over clients and instruments (so the
  // clients' net per instrument stays near zero and orders cross often).
  core::Rng rng(20261125);
  std::vector<std::vector<std::uint32_t>> traded(kClients);
  std::vector<Order> seeds;
  for (std::size_t c = 0; c < kClients; ++c) {
    book.add_client("client" + std::to_string(c));
    book.deposit(c, kUsdc, core::Amount::units(core::pow10_i128(6) * 5'000'000));
    const std::size_t k = 2 + c % 5;
    for (std::size_t j = 0; j < k; ++j) {
      const auto i = static_cast<std::uint32_t>((c + j) % n_instruments);
      traded[c].push_back(i);
      const double units = i < 4 ? 10.0 : 100.0;  // 500k USD of BTC, 250k of ETH
      const double side = (c + j) % 2 == 0 ? 1.0 : -1.0;
      seeds.push_back({static_cast<std::uint32_t>(c), i, protocols::double_to_wad(side * units)});
    }
  }
  for (const Order& o : seeds) {
    const broker::OrderOutcome r = book.order(o.client, o.instrument, o.qty_wad, std::nullopt);
    if (!r.filled) {
      state.SkipWithError(("seed order rejected: " + r.reason).c_str());
      return;
    }
  }

  // The cycle: clients in rotation, each alternating its side from one turn to the next, a
  // random instrument of its set and a random size (0.05..0.5 BTC, 0.5..5 ETH); the second half
  // replays the first backwards with the sides reversed.
  std::vector<Order> orders(kCycle);
  for (std::size_t n = 0; n < kCycle / 2; ++n) {
    const std::size_t c = n % kClients;
    const std::uint32_t i = traded[c][rng.uniform_index(traded[c].size())];
    const double side = (n / kClients + c) % 2 == 0 ? 1.0 : -1.0;
    const double units = rng.uniform(0.05, 0.5) * (i < 4 ? 1.0 : 10.0);
    orders[n] = {static_cast<std::uint32_t>(c), i, protocols::double_to_wad(side * units)};
  }
  for (std::size_t n = 0; n < kCycle / 2; ++n) {
    const Order& o = orders[kCycle / 2 - 1 - n];
    orders[kCycle / 2 + n] = {o.client, o.instrument, -o.qty_wad};
  }
  // Marks move by up to +-1% in a triangle wave, one step every kPriceEvery orders.
  std::vector<std::array<double, 2>> marks(kCycle / kPriceEvery);
  for (std::size_t s = 0; s < marks.size(); ++s) {
    const double phase = static_cast<double>(s) / static_cast<double>(marks.size());
    const double wave = phase < 0.5 ? 4 * phase - 1 : 3 - 4 * phase;  // -1..1..-1
    marks[s] = {kPrices[kBtc] * (1 + 0.01 * wave), kPrices[kEth] * (1 - 0.01 * wave)};
  }

  std::int64_t filled = 0, crossed = 0;
  std::size_t n = 0;
  for (auto _ : state) {
    if (n % kPriceEvery == 0) {
      const auto& m = marks[n / kPriceEvery];
      book.set_price(kBtc, m[0]);
      book.set_price(kEth, m[1]);
    }
    const Order& o = orders[n];
    const broker::OrderOutcome r = book.order(o.client, o.instrument, o.qty_wad, std::nullopt);
    filled += r.filled ? 1 : 0;
    crossed += r.crossed > 0 ? 1 : 0;
    benchmark::DoNotOptimize(r);
    n = (n + 1) % kCycle;
  }
  const auto iterations = static_cast<double>(state.iterations());
  std::size_t positions = 0;
  for (std::size_t c = 0; c < kClients; ++c) positions += book.client(c).positions.size();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["filled"] = static_cast<double>(filled) / iterations;
  state.counters["crossed"] = static_cast<double>(crossed) / iterations;
  state.counters["positions"] = static_cast<double>(positions) / kClients;
  if (const auto bad = book.ledger().audit()) state.SkipWithError(bad->c_str());
}

}  // namespace

BENCHMARK(BM_BrokerOrders);

}  // namespace shardsim::bench
