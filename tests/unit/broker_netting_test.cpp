// Tests broker/netting: the spec's example (A->B 100, B->C 100, C->A 50 nets to A -50, B 0,
// C +50; 250 gross, 50 net), several assets at once, negative and self flows, and a fixed-seed
// property test: nets sum to 0 per asset and settle_nets reproduces the nets.
#include "broker/netting.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "core/rng.hpp"

namespace shardsim::broker {
namespace {

constexpr std::uint32_t kA = 0, kB = 1, kC = 2, kD = 3;
constexpr protocols::AssetId kUsdc = 0, kBtc = 1;
core::Amount units(core::i128 v) { return core::Amount::units(v); }

TEST(BrokerNetting, SpecExampleNetsToFiftyOfTwoHundredFifty) {
  const std::vector<Flow> flows = {
      {kA, kB, kUsdc, units(100)}, {kB, kC, kUsdc, units(100)}, {kC, kA, kUsdc, units(50)}};
  const NettingResult r = multilateral_net(flows);
  const std::vector<NetPosition> want = {{kA, kUsdc, units(-50)}, {kC, kUsdc, units(50)}};  // B nets to 0
  EXPECT_EQ(r.nets, want);
  EXPECT_EQ(r.gross.at(kUsdc), units(250));
  EXPECT_EQ(r.net.at(kUsdc), units(50));

  const std::vector<Flow> transfers = settle_nets(r);
  const std::vector<Flow> want_transfers = {{kA, kC, kUsdc, units(50)}};
  EXPECT_EQ(transfers, want_transfers);
  EXPECT_EQ(multilateral_net(transfers).nets, r.nets);
}

TEST(BrokerNetting, AssetsNetSeparately) {
  const std::vector<Flow> flows = {
      {kA, kB, kUsdc, units(100)}, {kB, kA, kBtc, units(3)},  {kB, kC, kUsdc, units(30)},
      {kC, kA, kBtc, units(1)},    {kD, kB, kUsdc, units(70)}, {kB, kA, kBtc, units(2)},
  };
  const NettingResult r = multilateral_net(flows);
  // USDC: A -100, B +100-30+70 = +140, C +30, D -70. BTC: A +6, B -5, C -1.
  const std::vector<NetPosition> want = {
      {kA, kUsdc, units(-100)}, {kA, kBtc, units(6)}, {kB, kUsdc, units(140)}, {kB, kBtc, units(-5)},
      {kC, kUsdc, units(30)},   {kC, kBtc, units(-1)}, {kD, kUsdc, units(-70)},
  };
  EXPECT_EQ(r.nets, want);
  EXPECT_EQ(r.gross.at(kUsdc), units(200));
  EXPECT_EQ(r.gross.at(kBtc), units(6));
  EXPECT_EQ(r.net.at(kUsdc), units(170));
  EXPECT_EQ(r.net.at(kBtc), units(6));

  // Greedy in participant order: USDC payers A(100), D(70) to receivers B(140), C(30).
  const std::vector<Flow> want_transfers = {
      {kA, kB, kUsdc, units(100)}, {kD, kB, kUsdc, units(40)}, {kD, kC, kUsdc, units(30)},
      {kB, kA, kBtc, units(5)},    {kC, kA, kBtc, units(1)},
  };
  EXPECT_EQ(settle_nets(r), want_transfers);
  EXPECT_EQ(multilateral_net(settle_nets(r)).nets, r.nets);
}

TEST(BrokerNetting, NegativeFlowRunsTheOtherWayAndSelfFlowsOnlyCountInGross) {
  const NettingResult r = multilateral_net({{kA, kB, kUsdc, units(-40)}, {kC, kC, kUsdc, units(7)}});
  const std::vector<NetPosition> want = {{kA, kUsdc, units(40)}, {kB, kUsdc, units(-40)}};
  EXPECT_EQ(r.nets, want);
  EXPECT_EQ(r.gross.at(kUsdc), units(47));
  EXPECT_EQ(r.net.at(kUsdc), units(40));
}

TEST(BrokerNetting, FullyOffsetBatchReportsZeroNetAndNoTransfers) {
  const NettingResult r = multilateral_net({{kA, kB, kBtc, units(5)}, {kB, kA, kBtc, units(5)}});
  EXPECT_TRUE(r.nets.empty());
  EXPECT_EQ(r.gross.at(kBtc), units(10));
  EXPECT_EQ(r.net.at(kBtc), units(0));
  EXPECT_TRUE(settle_nets(r).empty());
  EXPECT_TRUE(multilateral_net({}).nets.empty());
}

TEST(BrokerNetting, RandomBatchesNetToZeroAndSettleToTheSameNets) {
  core::Rng rng(0x5eed'0002);
  for (int batch = 0; batch < 200; ++batch) {
    const auto participants = rng.uniform_index(12) + 1;
    const auto assets = rng.uniform_index(3) + 1;
    std::vector<Flow> flows;
    const auto n = rng.uniform_index(60);
    for (std::uint64_t i = 0; i < n; ++i) {
      // Large WAD-scale amounts: up to 1e12 tokens at 18 decimals.
      const core::i128 amount = static_cast<core::i128>(rng.uniform_int(-1'000'000'000'000LL, 1'000'000'000'000LL)) *
                                    1'000'000'000'000'000'000LL +
                                static_cast<core::i128>(rng.uniform_int(0, 999));
      flows.push_back(Flow{static_cast<std::uint32_t>(rng.uniform_index(participants)),
                           static_cast<std::uint32_t>(rng.uniform_index(participants)),
                           static_cast<protocols::AssetId>(rng.uniform_index(assets)), units(amount)});
    }
    const NettingResult r = multilateral_net(flows);

    std::map<protocols::AssetId, core::Amount> sum, positive;
    for (std::size_t i = 0; i < r.nets.size(); ++i) {
      EXPECT_FALSE(r.nets[i].net.is_zero());
      if (i > 0) {
        const auto& p = r.nets[i - 1];
        const auto& q = r.nets[i];
        EXPECT_TRUE(p.participant < q.participant || (p.participant == q.participant && p.asset < q.asset));
      }
      sum[r.nets[i].asset] += r.nets[i].net;
      if (!r.nets[i].net.is_negative()) positive[r.nets[i].asset] += r.nets[i].net;
    }
    for (const auto& [asset, s] : sum) EXPECT_EQ(s, units(0)) << "batch " << batch << " asset " << asset;
    for (const auto& [asset, g] : r.gross) {
      EXPECT_EQ(r.net.at(asset), positive[asset]);
      EXPECT_LE(r.net.at(asset), g);
    }

    const std::vector<Flow> transfers = settle_nets(r);
    std::map<protocols::AssetId, std::size_t> count, sides;
    for (const Flow& t : transfers) {
      EXPECT_GT(t.amount, units(0));
      ++count[t.asset];
    }
    for (const NetPosition& p : r.nets) ++sides[p.asset];
    for (const auto& [asset, c] : count) EXPECT_LE(c + 1, sides[asset]);  // <= payers + receivers - 1
    const NettingResult again = multilateral_net(transfers);
    EXPECT_EQ(again.nets, r.nets) << "batch " << batch;
    for (const auto& [asset, moved] : again.gross) EXPECT_EQ(moved, r.net.at(asset));
  }
}

}  // namespace
}  // namespace shardsim::broker
