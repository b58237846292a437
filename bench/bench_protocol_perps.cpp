// BM_ProtocolPerps/<op>: dYdX-style perps operations applied through the protocol test rig (real
// ledger, journalled host, revert-and-rollback rule) on a warm exchange with several traders
// holding positions in two markets. Reports ops per second (funding: positions settled per second).
#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocols/perps/perps.hpp"
#include "bench/protocol_rig.hpp"

namespace shardsim::bench {
namespace {

using protocols::TxArg;
namespace perps = protocols::perps;

struct WarmPerps {
  bench::ProtocolRig rig{{{"USDC", 6}, {"BTC", 8}, {"ETH", 18}}};
  std::unique_ptr<perps::Perps> p;

  explicit WarmPerps(int traders = 8) {
    perps::PerpsConfig c;
    c.collateral = rig.asset("USDC");
    c.markets = {perps::MarketConfig{"BTC-PERP", rig.asset("BTC")}, perps::MarketConfig{"ETH-PERP", rig.asset("ETH")}};
    c.spread_wad = protocols::kWadUnit / 2000;
    c.insurance_fund = rig.amount("USDC", "1M");
    p = std::make_unique<perps::Perps>("dydx", rig.account("dydx"), c, rig.registry);
    rig.set_price("BTC", 50'000);
    rig.set_price("ETH", 2'000);
    for (int i = 0; i < traders; ++i) {
      std::string who = "t";
      who += std::to_string(i);
      rig.fund(who, "USDC", "1T");
      must(rig.apply(*p, who, "deposit", {{"amount", "10B"}}));
      must(rig.apply(*p, who, "trade", {{"market", "BTC-PERP"}, {"size", i % 2 ? "-0.5" : "0.5"}}));
      must(rig.apply(*p, who, "trade", {{"market", "ETH-PERP"}, {"size", i % 2 ? "3" : "-3"}}));
    }
  }
  static void must(const protocols::OpResult& r) {
    if (!r.ok) throw std::runtime_error("warm-up op reverted: " + r.reason);
  }
};

// Every trade flips t0's BTC position between +0.5 and -0.5 (a flip opens a position, so the
// full cross-margin check over both markets runs each time), with a limit price.
void BM_ProtocolPerpsTrade(benchmark::State& state) {
  WarmPerps w;
  const std::vector<TxArg> sell = {{"market", "BTC-PERP"}, {"size", "-1"}, {"limit_price", "49000"}};
  const std::vector<TxArg> buy = {{"market", "BTC-PERP"}, {"size", "1"}, {"limit_price", "51000"}};
  std::uint64_t n = 0;
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "t0", "trade", (n++ & 1) ? buy : sell);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ProtocolPerpsDeposit(benchmark::State& state) {
  WarmPerps w;
  const std::vector<TxArg> args = {{"amount", "10.5"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "t1", "deposit", args);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Withdrawals check free collateral across both markets; t1 starts with 10B deposited.
void BM_ProtocolPerpsWithdraw(benchmark::State& state) {
  WarmPerps w;
  const std::vector<TxArg> args = {{"amount", "0.001"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "t1", "withdraw", args);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// One funding settlement per block over 1,000 traders with two positions each.
void BM_ProtocolPerpsFunding(benchmark::State& state) {
  constexpr int kTraders = 1000;
  WarmPerps w(kTraders);
  for (auto _ : state) {
    w.rig.advance(core::Duration::h(1), *w.p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kTraders * 2);
}

}  // namespace

BENCHMARK(BM_ProtocolPerpsTrade)->Name("BM_ProtocolPerps/trade");
BENCHMARK(BM_ProtocolPerpsDeposit)->Name("BM_ProtocolPerps/deposit");
BENCHMARK(BM_ProtocolPerpsWithdraw)->Name("BM_ProtocolPerps/withdraw");
BENCHMARK(BM_ProtocolPerpsFunding)->Name("BM_ProtocolPerps/funding");

}  // namespace shardsim::bench
