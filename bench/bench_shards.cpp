// BM_ShardTransfers/<shards>: random transfers, half of them cross-shard bridges, at a fixed 200
// transactions per shard per 1s slot (in 20 bursts of 10), through the real mempool, block building, ledger and
// receipts. Reports included transactions per wall second and the simulated-to-wall ratio.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <vector>

#include "core/sequential_engine.hpp"
#include "shards/shard.hpp"

namespace shardsim::bench {
namespace {

constexpr std::uint32_t kTxPerShardPerSlot = 200;
constexpr std::uint32_t kTicksPerSlot = 20;  // users arrive in 20 small bursts over each 1s slot
constexpr std::uint32_t kTxPerTick = kTxPerShardPerSlot / kTicksPerSlot;
constexpr std::uint64_t kTargetTxs = 2'000'000;

struct Tick {
  static constexpr core::MsgKind kKind = 950;
};

// Submits transactions in small bursts spread over each slot, as users' arrivals would be.
struct LoadGen : core::Handler {
  core::Engine* engine = nullptr;
  core::EndpointId self = 0;
  core::EndpointId shard = 0;
  protocols::ShardId shard_id = 0;
  std::uint32_t shards = 0;
  std::uint32_t accounts = 0;
  core::Rng rng;
  std::uint64_t next_id = 0;
  void on_message(const core::Envelope&) override {
    for (std::uint32_t k = 0; k < kTxPerTick; ++k) {
      protocols::TxRequest tx;
      tx.tx_id = ++next_id;
      tx.from = static_cast<protocols::AccountId>(rng.uniform_index(accounts));
      tx.asset = 0;
      tx.amount = core::Amount::units(1);
      tx.submitted_at_us = engine->now().count_us();
      if (shards > 1 && rng.bernoulli(0.5)) {
        auto to = static_cast<protocols::ShardId>(rng.uniform_index(shards - 1));
        tx.to_shard = to >= shard_id ? to + 1 : to;
        tx.op = protocols::TxOp::bridge;
        tx.to = tx.from;
      } else {
        tx.op = protocols::TxOp::transfer;
        tx.to = static_cast<protocols::AccountId>(rng.uniform_index(accounts));
      }
      engine->send(self, shard, core::Duration{}, tx);
    }
    engine->send(self, self, core::Duration::us(1'000'000 / kTicksPerSlot), Tick{});
  }
};

void BM_ShardTransfers(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto accounts = static_cast<std::uint32_t>(state.range(1));
  const std::uint64_t slots = std::max<std::uint64_t>(30, kTargetTxs / (std::uint64_t{n} * kTxPerShardPerSlot));
  std::uint64_t included = 0;
  double sim_seconds = 0, wall_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    core::LatencySpec link;
    link.kind = core::LatencyKind::constant;
    link.value = core::Duration::s(2);
    core::LinkTable links(n, link);
    protocols::Registry registry;
    registry.add_asset("USDC", 6);
    core::EngineConfig cfg;
    cfg.lookahead = links.lookahead();
    auto engine = std::make_unique<core::SequentialEngine>(cfg);
    std::vector<std::unique_ptr<shards::Shard>> shards;
    std::vector<LoadGen> gens(n);
    std::vector<core::EndpointId> eps;
    for (std::uint32_t i = 0; i < n; ++i) {
      const core::LpId lp = engine->add_lp("shard");
      shards::ShardConfig c;
      c.id = i;
      c.name = "s" + std::to_string(i);
      c.slot = core::Duration::s(1);
      c.gas_per_block = 1'000'000'000'000;
      c.receipts_per_block = 1'000'000;
      c.validator = accounts;
      shards.push_back(std::make_unique<shards::Shard>(*engine, lp, c, links, registry, 1));
      eps.push_back(shards.back()->endpoint());
      for (protocols::AccountId a = 0; a < accounts; ++a) {
        shards.back()->ledger().mint(a, 0, core::Amount::units(1'000'000'000));
      }
      gens[i].engine = engine.get();
      gens[i].self = engine->add_handler(lp, gens[i], "load");
      gens[i].shard = eps.back();
      gens[i].shard_id = i;
      gens[i].shards = n;
      gens[i].accounts = accounts;
      gens[i].rng = core::Rng::for_entity(1, i);
      engine->send(gens[i].self, gens[i].self, core::Duration::us(1), Tick{});
    }
    for (auto& s : shards) {
      s->connect(eps);
      s->start();
    }
    state.ResumeTiming();
    const auto t0 = std::chrono::steady_clock::now();
    engine->run(core::SimTime::zero() + core::Duration::s(static_cast<std::int64_t>(slots)) + core::Duration::ms(1));
    wall_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.PauseTiming();
    for (const auto& s : shards) included += s->stats().txs_included;
    sim_seconds += static_cast<double>(slots);
    shards.clear();
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(included));
  state.counters["sim_to_wall"] = sim_seconds / wall_seconds;
  state.counters["ns_per_tx"] = wall_seconds * 1e9 / static_cast<double>(included);
}

// Args: shards, accounts per shard. With 1,000 accounts a shard's balances take ~64 KiB, so 1,024
// shards (64 MiB) no longer fit the 32 MiB L3; 100 accounts isolates the simulator's own scaling.
BENCHMARK(BM_ShardTransfers)->ArgsProduct({{4, 16, 64, 256, 1024}, {100, 1000}})->Unit(benchmark::kMillisecond)
    ->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace shardsim::bench
