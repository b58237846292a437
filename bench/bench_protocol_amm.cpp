// BM_ProtocolAmm/<op>: Uniswap v2 pool operations applied through the protocol test rig (real
// ledger, journalled host, revert-and-rollback rule) on a warm pool. Reports ops per second.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "protocols/amm/amm_pool.hpp"
#include "bench/protocol_rig.hpp"

namespace shardsim::bench {
namespace {

using protocols::TxArg;

struct WarmPool {
  bench::ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}}};
  protocols::amm::AmmPool pool{"uni", rig.account("uni"), protocols::amm::AmmConfig{0, 1, {}}};
  WarmPool() {
    rig.fund("lp", "ETH", "10000");
    rig.fund("lp", "USDC", "20000000");
    rig.apply(pool, "lp", "add_liquidity", {{"amount_a", "10000"}, {"amount_b", "20000000"}});
    rig.fund("trader", "ETH", "1000000000");
    rig.fund("trader", "USDC", "1000000000000");
  }
};

// Alternating directions of about the same value keep the pool near its starting price.
void BM_ProtocolAmmSwap(benchmark::State& state) {
  WarmPool w;
  const std::vector<TxArg> sell_eth = {{"sell", "ETH"}, {"amount", "1.5"}, {"min_out", "2900"}};
  const std::vector<TxArg> sell_usdc = {{"sell", "USDC"}, {"amount", "3000"}, {"min_out", "1.4"}};
  std::uint64_t n = 0;
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(w.pool, "trader", "swap", (n++ & 1) ? sell_usdc : sell_eth);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ProtocolAmmAddLiquidity(benchmark::State& state) {
  WarmPool w;
  const std::vector<TxArg> args = {{"amount_a", "1"}, {"amount_b", "2500"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(w.pool, "trader", "add_liquidity", args);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Each iteration removes a slice of the LP's share (the warm pool has 10,000 ETH of liquidity).
void BM_ProtocolAmmRemoveLiquidity(benchmark::State& state) {
  WarmPool w;
  const std::vector<TxArg> args = {{"lp", "0.000000001"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(w.pool, "lp", "remove_liquidity", args);
    if (!r.ok) state.SkipWithError(r.reason.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_ProtocolAmmSwap)->Name("BM_ProtocolAmm/swap");
BENCHMARK(BM_ProtocolAmmAddLiquidity)->Name("BM_ProtocolAmm/add_liquidity");
BENCHMARK(BM_ProtocolAmmRemoveLiquidity)->Name("BM_ProtocolAmm/remove_liquidity");

}  // namespace
}  // namespace shardsim::bench
