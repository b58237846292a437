// BM_ProtocolLending/<op>: one lending-pool operation on a warm market (six listed assets, a
// borrower with five collateral assets and open debts), applied through the shard's journalled
// ProtocolHost as a block would. `borrow` includes the full health check over the collateral.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/lending/lending_pool.hpp"
#include "bench/protocol_rig.hpp"

namespace shardsim::bench {
namespace {

using protocols::TxArg;
using protocols::lending::LendingParams;
using protocols::lending::LendingPool;
using protocols::lending::ReserveParams;

struct WarmLending {
  bench::ProtocolRig rig{{{"ETH", 18}, {"BTC", 8}, {"DAI", 18}, {"LINK", 18}, {"UNI", 18}, {"USDC", 6}}};
  std::unique_ptr<LendingPool> pool;

  WarmLending() {
    LendingParams p;
    for (const char* sym : {"ETH", "BTC", "DAI", "USDC"}) {
      ReserveParams r = *protocols::lending::spec_default_reserve(sym);
      r.asset = rig.asset(sym);
      p.reserves.push_back(r);
    }
    for (const char* sym : {"LINK", "UNI"}) {  // no spec defaults: ETH's curve, lower LTV
      ReserveParams r = *protocols::lending::spec_default_reserve("ETH");
      r.asset = rig.asset(sym);
      r.ltv_wad = protocols::kWadUnit / 2;
      r.liq_threshold_wad = protocols::kWadUnit / 100 * 65;
      p.reserves.push_back(r);
    }
    pool = std::make_unique<LendingPool>(p, "aave", rig.account("aave"), rig.registry);
    for (const auto& [sym, px] : std::vector<std::pair<std::string, double>>{
             {"ETH", 2000}, {"BTC", 50000}, {"DAI", 1}, {"LINK", 15}, {"UNI", 6}, {"USDC", 1}}) {
      rig.set_price(sym, px);
    }
    rig.fund("whale", "USDC", "1000000000");
    rig.fund("whale", "DAI", "1000000000");
    must(rig.apply(*pool, "whale", "supply", {{"asset", "USDC"}, {"amount", "1000000000"}}));
    must(rig.apply(*pool, "whale", "supply", {{"asset", "DAI"}, {"amount", "1000000000"}}));
    for (const auto& [sym, amount] : std::vector<std::pair<std::string, std::string>>{
             {"ETH", "1000"}, {"BTC", "50"}, {"DAI", "1000000"}, {"LINK", "100000"}, {"UNI", "100000"}}) {
      rig.fund("bob", sym, amount);
      must(rig.apply(*pool, "bob", "supply", {{"asset", sym}, {"amount", amount}}));
    }
    must(rig.apply(*pool, "bob", "borrow", {{"asset", "USDC"}, {"amount", "100000"}}));
    must(rig.apply(*pool, "bob", "borrow", {{"asset", "DAI"}, {"amount", "50000"}}));
    rig.advance(core::Duration::d(30), *pool);  // indices away from 1
    rig.fund("carol", "ETH", "1000000000");
  }
  static void must(const protocols::OpResult& r) {
    if (!r.ok) throw std::runtime_error("bench setup: " + r.reason);
  }
};

// Applies `op` by `who` once per iteration, as the shard does (begin, apply, roll back on revert).
void run(benchmark::State& state, const std::string& who, const std::string& op, const std::vector<TxArg>& args) {
  WarmLending m;
  const protocols::AccountId sender = m.rig.account(who);
  const protocols::OpArgs op_args(args);
  for (auto _ : state) {
    m.rig.host->begin(m.rig.now, m.rig.height);
    const protocols::OpResult r = m.pool->apply(*m.rig.host, sender, op, op_args);
    if (!r.ok) {
      state.SkipWithError(("reverted: " + r.reason).c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ProtocolLendingBorrow(benchmark::State& state) {
  run(state, "bob", "borrow", {{"asset", "USDC"}, {"amount", "0.01"}});
}
void BM_ProtocolLendingSupply(benchmark::State& state) {
  run(state, "carol", "supply", {{"asset", "ETH"}, {"amount", "0.01"}});
}

BENCHMARK(BM_ProtocolLendingBorrow)->Name("BM_ProtocolLending/borrow");
BENCHMARK(BM_ProtocolLendingSupply)->Name("BM_ProtocolLending/supply");

}  // namespace
}  // namespace shardsim::bench
