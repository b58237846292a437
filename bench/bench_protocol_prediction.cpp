// BM_ProtocolPrediction/<op>: one prediction-market operation applied through the protocol test
// rig (real ledger, journalled host, revert rule) on a warm market: LMSR trades and complete-set
// purchases. Reports operations per wall second.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/prediction/prediction_protocol.hpp"
#include "bench/protocol_rig.hpp"

namespace shardsim::bench {
namespace {

namespace pm = protocols::prediction;

struct WarmMarket {
  bench::ProtocolRig rig{{{"USDC", 6}}};
  std::unique_ptr<pm::PredictionProtocol> p;

  WarmMarket() {
    p = std::make_unique<pm::PredictionProtocol>(pm::Params::defaults(0, 6), "augur", rig.account("augur"));
    for (const char* who : {"creator", "dr", "alice", "bob"}) rig.fund(who, "USDC", "1000000000");
    must("creator", "create_market",
         {{"id", "M1"}, {"outcomes", "YES,NO,MAYBE"}, {"end", "1000d"}, {"designated_reporter", "dr"}});
    for (int i = 0; i < 50; ++i) {
      must("bob", "trade", {{"market", "M1"}, {"outcome", i % 2 ? "YES" : "NO"}, {"shares", "37.5"}});
      must("bob", "buy_complete_set", {{"market", "M1"}, {"amount", "10"}});
    }
  }
  void must(const std::string& who, const std::string& op, const std::vector<protocols::TxArg>& args) {
    if (!rig.apply(*p, who, op, args).ok) std::abort();
  }
};

void BM_ProtocolPredictionTrade(benchmark::State& state) {
  WarmMarket w;
  // Buy then sell back the same shares, so the market stays where it is.
  const std::vector<protocols::TxArg> buy{{"market", "M1"}, {"outcome", "YES"}, {"shares", "12.5"}};
  const std::vector<protocols::TxArg> sell{{"market", "M1"}, {"outcome", "YES"}, {"shares", "-12.5"}};
  bool flip = false;
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "alice", "trade", flip ? sell : buy);
    benchmark::DoNotOptimize(r.ok);
    flip = !flip;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ProtocolPredictionBuyCompleteSet(benchmark::State& state) {
  WarmMarket w;
  const std::vector<protocols::TxArg> args{{"market", "M1"}, {"amount", "0.01"}};
  for (auto _ : state) {
    const protocols::OpResult r = w.rig.apply(*w.p, "alice", "buy_complete_set", args);
    benchmark::DoNotOptimize(r.ok);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ProtocolPredictionTrade)->Name("BM_ProtocolPrediction/trade");
BENCHMARK(BM_ProtocolPredictionBuyCompleteSet)->Name("BM_ProtocolPrediction/buy_complete_set");

}  // namespace
}  // namespace shardsim::bench
