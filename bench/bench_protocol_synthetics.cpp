// BM_ProtocolSynthetics/<op>: Synthetix-style debt pool operations applied through the protocol
// test rig (real ledger, journalled host, revert-and-rollback rule) on a warm pool of 10 synths
// (sUSD and 9 tracked ones, every supply non-zero). Reports ops per second.
#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocols/synthetics/synthetics_protocol.hpp"
#include "bench/protocol_rig.hpp"

namespace shardsim::bench {
namespace {

namespace syn = protocols::synthetics;
using protocols::TxArg;

constexpr int kTracked = 9;

// `prefix` followed by `i` (appended, which keeps GCC 12's -Wrestrict quiet).
std::string indexed(const char* prefix, int i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

std::vector<std::pair<std::string, int>> assets() {
  std::vector<std::pair<std::string, int>> a = {{"SNX", 18}, {"sUSD", 18}};
  for (int i = 0; i < kTracked; ++i) {
    a.emplace_back(indexed("sX", i), 18);
    a.emplace_back(indexed("X", i), 8);
  }
  return a;
}

struct WarmPool {
  bench::ProtocolRig rig{assets()};
  std::unique_ptr<syn::SyntheticsProtocol> p;
  std::vector<std::vector<TxArg>> buy;   // sUSD -> sX_i
  std::vector<std::vector<TxArg>> sell;  // sX_i -> sUSD

  WarmPool() {
    syn::Config c;
    c.collateral = rig.asset("SNX");
    c.synths.push_back({rig.asset("sUSD"), std::nullopt, 0});
    for (int i = 0; i < kTracked; ++i) {
      const std::string x = indexed("X", i);
      c.synths.push_back({rig.asset(indexed("sX", i)), rig.asset(x), syn::kPercentWad});
      rig.set_price(x, 100.0 * (i + 1) + 0.37);
    }
    p = std::make_unique<syn::SyntheticsProtocol>(c, "snx", rig.account("snx-pool"));
    rig.set_price("SNX", 2.5);
    rig.fund("whale", "SNX", "1000000000000");
    rig.apply(*p, "whale", "stake", {{"amount", "1000000000000"}});
    rig.apply(*p, "whale", "issue", {{"amount", "100000000000"}});
    for (int i = 0; i < kTracked; ++i) {
      const std::string sx = indexed("sX", i);
      buy.push_back({{"from", "sUSD"}, {"to", sx}, {"amount", "50"}});
      sell.push_back({{"from", sx}, {"to", "sUSD"}, {"amount", "0.01"}});
      const protocols::OpResult r =
          rig.apply(*p, "whale", "exchange", {{"from", "sUSD"}, {"to", sx}, {"amount", "1000000"}});
      if (!r.ok) throw std::runtime_error(r.reason);
    }
  }
};

// Buys and sells across the 9 tracked synths in turn.
void BM_ProtocolSyntheticsExchange(benchmark::State& state) {
  WarmPool w;
  std::uint64_t n = 0;
  for (auto _ : state) {
    const std::size_t i = (n >> 1) % kTracked;
    const protocols::OpResult r = w.rig.apply(*w.p, "whale", "exchange", (n & 1) ? w.sell[i] : w.buy[i]);
    ++n;
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// The same exchanges, each followed by a full recomputation of the total debt (10 synths).
void BM_ProtocolSyntheticsExchangeAndDebt(benchmark::State& state) {
  WarmPool w;
  std::uint64_t n = 0;
  for (auto _ : state) {
    const std::size_t i = (n >> 1) % kTracked;
    const protocols::OpResult r = w.rig.apply(*w.p, "whale", "exchange", (n & 1) ? w.sell[i] : w.buy[i]);
    ++n;
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(w.p->total_debt_wad(*w.rig.host));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Issue recomputes the total debt over the 10 synths to price the new shares.
void BM_ProtocolSyntheticsIssue(benchmark::State& state) {
  WarmPool w;
  const std::vector<TxArg> args = {{"amount", "1"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "whale", "issue", args);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ProtocolSyntheticsTotalDebt(benchmark::State& state) {
  WarmPool w;
  for (auto _ : state) benchmark::DoNotOptimize(w.p->total_debt_wad(*w.rig.host));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_ProtocolSyntheticsExchange)->Name("BM_ProtocolSynthetics/exchange");
BENCHMARK(BM_ProtocolSyntheticsExchangeAndDebt)->Name("BM_ProtocolSynthetics/exchange_with_debt");
BENCHMARK(BM_ProtocolSyntheticsIssue)->Name("BM_ProtocolSynthetics/issue");
BENCHMARK(BM_ProtocolSyntheticsTotalDebt)->Name("BM_ProtocolSynthetics/total_debt");

}  // namespace
}  // namespace shardsim::bench
