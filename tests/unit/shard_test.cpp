// Tests shards/shard: block building by gas and fee order, fees on reverts, FIFO receipts with
// the per-block quota and finality, every fault's effect, exactly-once delivery and conservation,
// cross-shard call results riding the channel back, lost receipts resent and deduplicated.
#include "shards/shard.hpp"

#include <gtest/gtest.h>

#include <map>

#include <memory>
#include <vector>

#include "core/actor.hpp"
#include "core/sequential_engine.hpp"

namespace shardsim::shards {
namespace {

using core::Amount;
using core::Duration;
using core::SimTime;
using protocols::TxOp;
using protocols::TxRequest;
using protocols::TxStatus;

constexpr protocols::AssetId kEth = 0;
constexpr protocols::AssetId kUsdc = 1;

core::LatencySpec constant(Duration d) {
  core::LatencySpec s;
  s.kind = core::LatencyKind::constant;
  s.value = d;
  return s;
}

core::LatencySpec uniform(Duration lo, Duration hi) {
  core::LatencySpec s;
  s.kind = core::LatencyKind::uniform;
  s.low = lo;
  s.high = hi;
  return s;
}

// N shards with 12s slots on their own LPs, fed directly with transactions.
protocols::Registry two_assets() {
  protocols::Registry r;
  r.add_asset("ETH", 18);
  r.add_asset("USDC", 6);
  return r;
}

struct Rig {
  protocols::Registry registry = two_assets();
  core::LinkTable links;
  std::unique_ptr<core::SequentialEngine> engine;
  std::vector<std::unique_ptr<Shard>> shards;
  std::vector<core::LpId> lps;

  Rig(std::uint32_t n, core::LatencySpec link, std::function<void(ShardConfig&)> tweak = {})
      : links(n, link) {
    core::EngineConfig cfg;
    cfg.seed = 3;
    cfg.lookahead = links.lookahead();
    engine = std::make_unique<core::SequentialEngine>(cfg);
    std::vector<core::EndpointId> eps;
    for (std::uint32_t i = 0; i < n; ++i) {
      lps.push_back(engine->add_lp("shard"));
      ShardConfig c;
      c.id = i;
      c.name = "s";
      c.name += std::to_string(i);
      c.slot = Duration::s(12);
      c.gas_per_block = 30'000'000;
      c.validator = 99;
      if (tweak) tweak(c);
      shards.push_back(std::make_unique<Shard>(*engine, lps[i], c, links, registry, 3));
      eps.push_back(shards.back()->endpoint());
    }
    for (auto& s : shards) {
      s->connect(eps);
      s->start();
    }
  }
  // Puts a transaction into shard i's mempool at time `at` (a local, zero-latency submission).
  void submit(std::uint32_t i, TxRequest tx, SimTime at = SimTime::zero()) {
    tx.submitted_at_us = at.count_us();
    engine->send(shards[i]->endpoint(), shards[i]->endpoint(), at - engine->now(), tx);
  }
  void run(Duration d) { engine->run(SimTime::zero() + d); }
  // held + in flight == minted - burned, for every asset, over all shards.
  void expect_conserved() const {
    for (protocols::AssetId a = 0; a < 2; ++a) {
      Amount minted, burned, held, sent, received;
      for (const auto& s : shards) {
        const AssetFlows& f = s->ledger().flows(a);
        minted += f.minted;
        burned += f.burned;
        held += f.held;
        sent += f.sent_out;
        received += f.received;
        EXPECT_EQ(f.held, s->ledger().recount_held(a));
      }
      EXPECT_EQ(held + (sent - received), minted - burned) << "asset " << a;
    }
  }
};

TxRequest transfer(protocols::AccountId from, protocols::AccountId to, std::int64_t units, std::int64_t fee = 0) {
  TxRequest t;
  t.op = TxOp::transfer;
  t.from = from;
  t.to = to;
  t.asset = kUsdc;
  t.amount = Amount::units(units);
  t.priority_fee = Amount::units(fee);
  t.tx_id = static_cast<std::uint64_t>(units);
  return t;
}

TxRequest bridge(protocols::AccountId from, protocols::ShardId to_shard, std::int64_t units) {
  TxRequest t;
  t.op = TxOp::bridge;
  t.from = from;
  t.to = from;
  t.to_shard = to_shard;
  t.asset = kUsdc;
  t.amount = Amount::units(units);
  return t;
}

TEST(Shard, BlocksRespectGasAndFeeOrder) {
  Rig rig(1, constant(Duration::s(1)), [](ShardConfig& c) {
    c.gas_per_block = 50'000;  // two transfers of 21,000 gas per block
    c.fee_asset = kEth;
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(1000));
  rig.shards[0]->ledger().mint(1, kEth, Amount::units(1'000'000'000));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> included;  // (tx id, height)
  rig.shards[0]->observe_txs([&](const TxRequest& tx, TxStatus s, std::uint64_t h) {
    EXPECT_EQ(s, TxStatus::ok);
    included.emplace_back(tx.tx_id, h);
  });
  const std::int64_t fees[] = {1, 5, 3, 5, 0};
  for (int i = 0; i < 5; ++i) rig.submit(0, transfer(1, 2, 10 + i, fees[i]), SimTime::from_us(1'000'000 + i));
  rig.run(Duration::min(1));
  // Highest fee first; equal fees by arrival; two per block.
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> want{{11, 1}, {13, 1}, {12, 2}, {10, 2}, {14, 3}};
  EXPECT_EQ(included, want);
  EXPECT_EQ(rig.shards[0]->ledger().balance(2, kUsdc), Amount::units(10 + 11 + 12 + 13 + 14));
  // Priority fees went to the validator: 21,000 gas x (1+5+3+5+0).
  EXPECT_EQ(rig.shards[0]->ledger().balance(99, kEth), Amount::units(21'000 * 14));
  rig.expect_conserved();
}

TEST(Shard, RevertedTransactionStillPaysItsFee) {
  Rig rig(1, constant(Duration::s(1)), [](ShardConfig& c) {
    c.fee_asset = kEth;
    c.base_fee = Amount::units(2);
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(5));
  rig.shards[0]->ledger().mint(1, kEth, Amount::units(100'000));
  std::vector<TxStatus> statuses;
  rig.shards[0]->observe_txs([&](const TxRequest&, TxStatus s, std::uint64_t) { statuses.push_back(s); });
  rig.submit(0, transfer(1, 2, 50));  // more than the balance
  rig.submit(0, transfer(1, 2, 1'000'000));
  rig.run(Duration::min(1));
  EXPECT_EQ(statuses, (std::vector<TxStatus>{TxStatus::reverted_insufficient_balance,
                                             TxStatus::reverted_insufficient_balance}));
  EXPECT_EQ(rig.shards[0]->ledger().balance(1, kUsdc), Amount::units(5));
  EXPECT_EQ(rig.shards[0]->ledger().balance(1, kEth), Amount::units(100'000 - 2 * 2 * 21'000));
  EXPECT_EQ(rig.shards[0]->ledger().flows(kEth).burned, Amount::units(2 * 2 * 21'000));
  EXPECT_EQ(rig.shards[0]->stats().txs_reverted, 2u);
  // A ledger op has no protocol reason: it is counted by its status.
  EXPECT_EQ(rig.shards[0]->stats().revert_reasons, (std::map<std::string, std::uint64_t>{{"insufficient balance", 2}}));
  rig.expect_conserved();
}

TEST(Shard, TransactionThatCannotPayIsRefusedNotIncluded) {
  Rig rig(1, constant(Duration::s(1)), [](ShardConfig& c) {
    c.fee_asset = kEth;
    c.base_fee = Amount::units(1);
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(50));
  rig.submit(0, transfer(1, 2, 10));
  rig.run(Duration::min(1));
  EXPECT_EQ(rig.shards[0]->stats().txs_included, 0u);
  EXPECT_EQ(rig.shards[0]->stats().txs_refused, 1u);
  EXPECT_EQ(rig.shards[0]->ledger().balance(1, kUsdc), Amount::units(50));
}

TEST(Shard, ReceiptsAreFifoPerChannelWithAQuota) {
  Rig rig(2, uniform(Duration::s(1), Duration::s(40)), [](ShardConfig& c) { c.receipts_per_block = 3; });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(1000));
  std::vector<std::uint64_t> consumed_ids;
  std::vector<SimTime> consumed_at;
  rig.shards[1]->observe_receipts([&](const protocols::Receipt& r, SimTime t) {
    consumed_ids.push_back(r.receipt_id);
    consumed_at.push_back(t);
  });
  for (int i = 0; i < 10; ++i) rig.submit(0, bridge(1, 1, 1 + i));
  rig.run(Duration::min(10));
  ASSERT_EQ(consumed_ids.size(), 10u);
  EXPECT_TRUE(std::is_sorted(consumed_ids.begin(), consumed_ids.end()));  // FIFO despite random latency
  for (std::size_t i = 3; i < consumed_at.size(); ++i) EXPECT_LT(consumed_at[i - 3], consumed_at[i]);  // <= 3 per block
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount::units(55));
  rig.expect_conserved();
}

TEST(Shard, FinalizedReceiptsWaitForFinalityDepth) {
  Rig rig(2, constant(Duration::s(1)), [](ShardConfig& c) {
    c.receipts_finalized = true;
    c.finality_blocks = 5;
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.submit(0, bridge(1, 1, 10));
  std::vector<std::int64_t> latency;
  rig.shards[1]->observe_receipts(
      [&](const protocols::Receipt& r, SimTime t) { latency.push_back(t.count_us() - r.emitted_at_us); });
  rig.run(Duration::min(5));
  ASSERT_EQ(latency.size(), 1u);
  // Emitted in block 1 at 12s, released by block 6 at 72s, arrives 73s, consumed by the block at 84s.
  EXPECT_EQ(latency[0], Duration::s(72).count_us());
}

TEST(Shard, HaltStopsBlocksAndQueuesEverything) {
  Rig rig(2, constant(Duration::s(1)), [](ShardConfig& c) {
    if (c.id == 1) c.halts.push_back(TimeWindow{SimTime::zero() + Duration::s(30), SimTime::zero() + Duration::s(90)});
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.shards[1]->ledger().mint(1, kUsdc, Amount::units(10));
  std::vector<SimTime> included_at;
  rig.shards[1]->observe_txs([&](const TxRequest&, TxStatus, std::uint64_t) { included_at.push_back(rig.engine->now()); });
  std::vector<SimTime> receipt_at;
  rig.shards[1]->observe_receipts([&](const protocols::Receipt&, SimTime t) { receipt_at.push_back(t); });
  rig.submit(1, transfer(1, 2, 5), SimTime::zero() + Duration::s(40));
  rig.submit(0, bridge(1, 1, 10), SimTime::zero() + Duration::s(30));
  rig.run(Duration::min(3));
  // Blocks at 12s and 24s, none at 36..84s, then 96s: both the transaction and the receipt wait.
  EXPECT_EQ(rig.shards[1]->stats().blocks_skipped_halted, 5u);
  EXPECT_EQ(included_at, std::vector<SimTime>{SimTime::zero() + Duration::s(96)});
  EXPECT_EQ(receipt_at, std::vector<SimTime>{SimTime::zero() + Duration::s(96)});
  rig.expect_conserved();
}

TEST(Shard, LatencySpikeSlowsTheLink) {
  Rig rig(2, constant(Duration::s(1)), [](ShardConfig& c) {
    if (c.id == 0) {
      c.latency_spikes.push_back(LatencySpikeWindow{{SimTime::zero(), SimTime::zero() + Duration::min(1)}, 1, 3.0,
                                                    Duration::s(20)});
    }
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.submit(0, bridge(1, 1, 10));
  std::vector<std::int64_t> latency;
  rig.shards[1]->observe_receipts(
      [&](const protocols::Receipt& r, SimTime t) { latency.push_back(t.count_us() - r.emitted_at_us); });
  rig.run(Duration::min(5));
  // 1s * 3 + 20s = 23s after the 12s block: arrives 35s, consumed by the block at 36s.
  EXPECT_EQ(latency, std::vector<std::int64_t>{Duration::s(24).count_us()});
}

TEST(Shard, PartitionHoldsReceiptsUntilItHeals) {
  Rig rig(3, constant(Duration::s(1)), [](ShardConfig& c) {
    c.partitions.push_back(
        PartitionWindow{{SimTime::zero() + Duration::s(5), SimTime::zero() + Duration::min(2)}, {0, 0, 1}});
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.submit(0, bridge(1, 1, 4));  // same group: unaffected
  rig.submit(0, bridge(1, 2, 6));  // across the partition
  std::vector<SimTime> at1, at2;
  rig.shards[1]->observe_receipts([&](const protocols::Receipt&, SimTime t) { at1.push_back(t); });
  rig.shards[2]->observe_receipts([&](const protocols::Receipt&, SimTime t) { at2.push_back(t); });
  rig.run(Duration::min(2));
  EXPECT_EQ(at1, std::vector<SimTime>{SimTime::zero() + Duration::s(24)});
  EXPECT_TRUE(at2.empty());  // still held when the run stops at the heal
  EXPECT_EQ(rig.shards[2]->ledger().balance(1, kUsdc), Amount{});
  rig.expect_conserved();  // in flight, not lost
  rig.engine->run(SimTime::zero() + Duration::min(5));
  // Emitted 12s, 1s of flight pauses for the whole partition: arrives 121s, consumed at 132s.
  EXPECT_EQ(at2, std::vector<SimTime>{SimTime::zero() + Duration::s(132)});
  EXPECT_EQ(rig.shards[2]->ledger().balance(1, kUsdc), Amount::units(6));
  rig.expect_conserved();
}

TEST(Shard, TxDropLosesSubmissionsAndTheSenderTimesOut) {
  Rig rig(1, constant(Duration::s(1)), [](ShardConfig& c) {
    c.tx_drops.push_back(TxDropWindow{{SimTime::zero(), SimTime::zero() + Duration::min(1)}, 1.0});
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  std::vector<std::string> log;
  const core::EndpointId shard = rig.shards[0]->endpoint();
  rig.engine->add_actor(rig.lps[0], "user", [&](core::Actor& self) {
    for (int round = 0; round < 2; ++round) {
      TxRequest t = transfer(1, 2, 3);
      t.submitted_at_us = self.now().count_us();
      t.notify = self.id();
      self.send(shard, Duration::ms(100), t);
      auto reply = self.receive_for(Duration::s(30));
      log.push_back(reply ? "included" : "timeout");
      self.sleep_until(SimTime::zero() + Duration::min(2));
    }
  }, SimTime::zero());
  rig.run(Duration::min(5));
  EXPECT_EQ(log, (std::vector<std::string>{"timeout", "included"}));
  EXPECT_EQ(rig.shards[0]->stats().txs_dropped, 1u);
  EXPECT_EQ(rig.shards[0]->ledger().balance(2, kUsdc), Amount::units(3));
  rig.expect_conserved();
}

TEST(Shard, EveryReceiptIsDeliveredExactlyOnceAfterFaultsHeal) {
  // Random bridges among 4 shards under a halt, a spike and a partition; then a quiet phase.
  Rig rig(4, uniform(Duration::s(1), Duration::s(30)), [](ShardConfig& c) {
    c.receipts_per_block = 2;
    if (c.id == 2) c.halts.push_back(TimeWindow{SimTime::zero() + Duration::min(5), SimTime::zero() + Duration::min(15)});
    c.latency_spikes.push_back(
        LatencySpikeWindow{{SimTime::zero() + Duration::min(2), SimTime::zero() + Duration::min(8)}, 3, 2.0, {}});
    c.partitions.push_back(
        PartitionWindow{{SimTime::zero() + Duration::min(10), SimTime::zero() + Duration::min(20)}, {0, 0, 1, 1}});
  });
  core::Rng rng(11);
  for (std::uint32_t s = 0; s < 4; ++s) rig.shards[s]->ledger().mint(1, kUsdc, Amount::units(1'000'000));
  std::map<std::uint64_t, int> seen;
  for (auto& s : rig.shards) s->observe_receipts([&](const protocols::Receipt& r, SimTime) { ++seen[r.receipt_id]; });
  for (int i = 0; i < 400; ++i) {
    const auto from = static_cast<std::uint32_t>(rng.uniform_index(4));
    auto to = static_cast<std::uint32_t>(rng.uniform_index(3));
    if (to >= from) ++to;
    rig.submit(from, bridge(1, to, 1 + static_cast<std::int64_t>(rng.uniform_index(100))),
               SimTime::zero() + Duration::s(static_cast<std::int64_t>(rng.uniform_index(1500))));
  }
  rig.run(Duration::h(2));
  std::uint64_t emitted = 0;
  for (const auto& s : rig.shards) emitted += s->stats().receipts_emitted;
  EXPECT_GT(emitted, 300u);
  EXPECT_EQ(seen.size(), emitted);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  rig.expect_conserved();
  for (protocols::AssetId a = 0; a < 2; ++a) {
    Amount sent, received;
    for (const auto& s : rig.shards) {
      sent += s->ledger().flows(a).sent_out;
      received += s->ledger().flows(a).received;
    }
    EXPECT_EQ(sent, received);  // nothing left in flight
  }
}

TEST(Shard, MempoolFeedShowsPendingTransactionsAfterTheObservationDelay) {
  Rig rig(1, constant(Duration::s(1)), [](ShardConfig& c) { c.mempool_observe_delay = Duration::ms(250); });
  std::vector<SimTime> seen;
  struct Watcher : core::Handler {
    std::vector<SimTime>* seen;
    void on_message(const core::Envelope& env) override {
      ASSERT_TRUE(env.is<protocols::MempoolSeen>());
      seen->push_back(env.time);
    }
  } watcher;
  watcher.seen = &seen;
  rig.shards[0]->subscribe_mempool(rig.engine->add_handler(rig.lps[0], watcher, "watcher"));
  rig.submit(0, transfer(1, 2, 1), SimTime::zero() + Duration::s(2));
  rig.run(Duration::min(1));
  EXPECT_EQ(seen, std::vector<SimTime>{SimTime::zero() + Duration::ms(2250)});
}

}  // namespace
}  // namespace shardsim::shards

namespace shardsim::shards {
namespace {

// A minimal hosted protocol: `deposit {amount}` moves the sender's USDC into the protocol.
class Vault final : public protocols::Protocol {
 public:
  std::string_view kind() const override { return "vault"; }
  const std::string& name() const override { return name_; }
  protocols::AccountId account() const override { return 77; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override {
    return {{"deposit", {"amount"}}};
  }
  protocols::OpResult apply(protocols::ShardContext& ctx, protocols::AccountId sender, std::string_view op,
                            const protocols::OpArgs& args) override {
    const auto amount = args.amount("amount", ctx, kUsdc);
    if (op != "deposit" || !amount) return protocols::OpResult::revert("bad op");
    if (!ctx.transfer(sender, account(), kUsdc, *amount)) return protocols::OpResult::revert("insufficient balance");
    ++deposits;
    return protocols::OpResult::success();
  }
  nlohmann::ordered_json state(const protocols::ShardContext&) const override { return {}; }
  protocols::ProtocolSnapshot snapshot(const protocols::ShardContext&) const override { return {}; }
  std::vector<protocols::InstrumentDescriptor> instruments(const protocols::ShardContext&) const override { return {}; }
  std::unique_ptr<protocols::Protocol> clone() const override { return std::make_unique<Vault>(*this); }
  int deposits = 0;

 private:
  std::string name_ = "vault";
};

// A cross-shard call from account 1 on shard 0 to the vault on shard 1: `deposit {amount}`,
// carrying `value` raw USDC units with it.
TxRequest deposit_call(std::uint64_t id, core::EndpointId notify, std::int64_t now_us, const char* amount = "1",
                       std::int64_t value = 10'000'000, std::uint8_t flags = 0) {
  TxRequest t;
  t.op = TxOp::cross_call;
  t.from = 1;
  t.to = 1;
  t.to_shard = 1;
  t.asset = kUsdc;
  t.amount = Amount::units(value);
  t.protocol = 0;
  t.protocol_op = "deposit";
  t.args = {{"amount", amount}};
  t.notify = notify;
  t.tx_id = id;
  t.submitted_at_us = now_us;
  t.flags = flags;
  return t;
}

TEST(Shard, CrossShardCallCarriesValueAndRunsOnArrival) {
  Rig rig(2, constant(Duration::s(2)));
  auto vault = std::make_unique<Vault>();
  Vault* v = vault.get();
  rig.shards[1]->add_protocol(std::move(vault));
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(100'000'000));  // 100 USDC
  std::vector<std::string> log;
  const core::EndpointId src = rig.shards[0]->endpoint();
  rig.engine->add_actor(rig.lps[0], "caller", [&](core::Actor& self) {
    for (const char* amount : {"40", "1000"}) {
      // 40 USDC travel with the call.
      self.send(src, Duration::ms(100), deposit_call(0, self.id(), self.now().count_us(), amount, 40'000'000));
      for (int i = 0; i < 2; ++i) {
        const auto r = self.receive().as<protocols::TxResult>();
        log.push_back(std::string(r.remote ? "remote " : "included ") + protocols::tx_status_text(r.status) +
                      (r.reason.empty() ? "" : " (" + r.reason + ")") + " @" + core::SimTime::from_us(r.included_at_us).str());
      }
    }
  }, SimTime::zero());
  rig.run(Duration::min(5));
  // Included by the 12s block; the receipt lands at 14s and runs in shard 1's 24s block; the
  // result takes the 2s link back. The second call reverts remotely: its 40 USDC stay on shard 1.
  const std::vector<std::string> want{"included ok @12s", "remote ok @24s", "included ok @36s",
                                      "remote protocol revert (insufficient balance) @48s"};
  EXPECT_EQ(log, want);
  EXPECT_EQ(v->deposits, 1);
  EXPECT_EQ(rig.shards[0]->ledger().balance(1, kUsdc), Amount::units(20'000'000));
  EXPECT_EQ(rig.shards[1]->ledger().balance(77, kUsdc), Amount::units(40'000'000));
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount::units(40'000'000));
  EXPECT_EQ(rig.shards[1]->stats().calls_executed, 2u);
  rig.expect_conserved();
}

// A two-phase prepare vote (kDryRun) answers whether the op would succeed and changes nothing:
// neither the ledger nor the protocol's own state (it runs on a clone of the protocol).
TEST(Shard, DryRunCallChangesNeitherLedgerNorProtocolState) {
  Rig rig(2, constant(Duration::s(2)));
  auto vault = std::make_unique<Vault>();
  Vault* v = vault.get();
  rig.shards[1]->add_protocol(std::move(vault));
  rig.shards[1]->ledger().mint(1, kUsdc, Amount::units(100'000'000));  // 100 USDC already at the venue
  std::vector<protocols::TxStatus> remote;
  const core::EndpointId src = rig.shards[0]->endpoint();
  rig.engine->add_actor(rig.lps[0], "caller", [&](core::Actor& self) {
    for (const char* amount : {"30", "500"}) {  // a yes vote, then a no vote
      self.send(src, Duration::ms(100),
                deposit_call(0, self.id(), self.now().count_us(), amount, 0, TxRequest::kDryRun));
      for (int i = 0; i < 2; ++i) {
        const auto r = self.receive().as<protocols::TxResult>();
        if (r.remote) remote.push_back(r.status);
      }
    }
  }, SimTime::zero());
  rig.run(Duration::min(5));
  EXPECT_EQ(remote, (std::vector<protocols::TxStatus>{protocols::TxStatus::ok, protocols::TxStatus::reverted_protocol}));
  EXPECT_EQ(v->deposits, 0);  // the vote ran on a clone
  EXPECT_EQ(rig.shards[1]->ledger().balance(77, kUsdc), Amount{});
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount::units(100'000'000));
  rig.expect_conserved();
}


// The remote result of a cross call rides the channel back from the venue shard: a latency spike
// on that link delays it, and a later result on the channel never overtakes an earlier one.
TEST(Shard, CallResultsRideTheReturnChannelWithItsFaultsInFifoOrder) {
  Rig rig(2, constant(Duration::s(2)), [](ShardConfig& c) {
    if (c.id == 1) {
      c.latency_spikes.push_back(
          LatencySpikeWindow{{SimTime::zero(), SimTime::zero() + Duration::s(30)}, 0, 1.0, Duration::s(20)});
    }
  });
  rig.shards[1]->add_protocol(std::make_unique<Vault>());
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(100'000'000));
  std::vector<std::pair<std::uint64_t, SimTime>> remote;
  const core::EndpointId src = rig.shards[0]->endpoint();
  rig.engine->add_actor(rig.lps[0], "caller", [&](core::Actor& self) {
    self.send(src, Duration::ms(100), deposit_call(1, self.id(), self.now().count_us()));
    self.receive();  // included by the 12s block
    self.sleep_until(SimTime::zero() + Duration::s(13));
    self.send(src, Duration::ms(100), deposit_call(2, self.id(), self.now().count_us()));
    for (int i = 0; i < 3; ++i) {
      const auto r = self.receive().as<protocols::TxResult>();
      if (r.remote) remote.emplace_back(r.tx_id, self.now());
    }
  }, SimTime::zero());
  rig.run(Duration::min(5));
  // Call 1 runs in shard 1's 24s block, inside the spike: 2s + 20s back, at 46s. Call 2 runs at
  // 36s after the spike (2s: 38s) but queues behind call 1 on the channel: also 46s, after it.
  const std::vector<std::pair<std::uint64_t, SimTime>> want{{1, SimTime::zero() + Duration::s(46)},
                                                            {2, SimTime::zero() + Duration::s(46)}};
  EXPECT_EQ(remote, want);
  EXPECT_EQ(rig.shards[1]->stats().calls_executed, 2u);
  rig.expect_conserved();
}

// A caller on an LP of its own hears the remote result from the calling shard, one lookahead
// after the result reached that shard.
TEST(Shard, CallResultForACallerOffTheSourceLpIsHandedOnByTheSourceShard) {
  Rig rig(2, constant(Duration::s(2)));
  rig.shards[1]->add_protocol(std::make_unique<Vault>());
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(100'000'000));
  std::vector<std::pair<bool, SimTime>> heard;
  const core::EndpointId src = rig.shards[0]->endpoint();
  const core::LpId user = rig.engine->add_lp("user");
  rig.engine->add_actor(user, "caller", [&](core::Actor& self) {
    self.send(src, Duration::s(2), deposit_call(1, self.id(), self.now().count_us()));
    for (int i = 0; i < 2; ++i) {
      const auto r = self.receive().as<protocols::TxResult>();
      heard.emplace_back(r.remote, self.now());
    }
  }, SimTime::zero());
  rig.run(Duration::min(5));
  // Included at 12s (heard at 14s); run on shard 1 at 24s; back on shard 0 at 26s; heard at 28s.
  const std::vector<std::pair<bool, SimTime>> want{{false, SimTime::zero() + Duration::s(14)},
                                                   {true, SimTime::zero() + Duration::s(28)}};
  EXPECT_EQ(heard, want);
}

// Every receipt sent on the 0->1 link in the first minute is lost: shard 0 resends it after one
// round trip (4s), then 8s, 16s, 32s, until a resend falls after the window; it is credited once.
TEST(Shard, DroppedReceiptIsResentAfterTheWindowAndCreditedOnce) {
  Rig rig(2, constant(Duration::s(2)), [](ShardConfig& c) {
    if (c.id == 0) c.receipt_drops.push_back(ReceiptDropWindow{{SimTime::zero(), SimTime::zero() + Duration::min(1)}, 1, 1.0});
    if (c.id == 1) c.dedup_receipts = true;
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.submit(0, bridge(1, 1, 10));
  std::vector<SimTime> consumed;
  rig.shards[1]->observe_receipts([&](const protocols::Receipt&, SimTime t) { consumed.push_back(t); });
  rig.run(Duration::s(50));
  EXPECT_TRUE(consumed.empty());
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount{});
  rig.expect_conserved();  // in flight (held by the sender for resending), not lost
  rig.engine->run(SimTime::zero() + Duration::min(5));
  // Sent at 12s and lost, resent at 16s, 24s and 40s and lost again (4 losses); the resend at 72s
  // is outside the window: it arrives at 74s and is consumed by the 84s block.
  EXPECT_EQ(consumed, std::vector<SimTime>{SimTime::zero() + Duration::s(84)});
  EXPECT_EQ(rig.shards[0]->stats().receipts_dropped, 4u);
  EXPECT_EQ(rig.shards[0]->stats().receipts_resent, 4u);
  EXPECT_EQ(rig.shards[1]->stats().receipts_duplicate, 0u);
  EXPECT_EQ(rig.shards[1]->stats().receipts_consumed, 1u);
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount::units(10));
  EXPECT_EQ(rig.shards[0]->ledger().flows(kUsdc).sent_out, rig.shards[1]->ledger().flows(kUsdc).received);
  rig.expect_conserved();
}

// Under a receipt_drop window a receipt slowed past the timeout (here by a spike) is resent too,
// though the first copy arrives: the receiver drops every later copy by id.
TEST(Shard, LateReceiptIsResentAndTheCopiesAreDroppedById) {
  Rig rig(2, constant(Duration::s(2)), [](ShardConfig& c) {
    const TimeWindow minute{SimTime::zero(), SimTime::zero() + Duration::min(1)};
    if (c.id == 0) {
      c.receipt_drops.push_back(ReceiptDropWindow{minute, 1, 0.0});
      c.latency_spikes.push_back(LatencySpikeWindow{minute, 1, 1.0, Duration::s(10)});
    }
    if (c.id == 1) c.dedup_receipts = true;
  });
  rig.shards[0]->ledger().mint(1, kUsdc, Amount::units(10));
  rig.submit(0, bridge(1, 1, 10));
  std::vector<SimTime> consumed;
  rig.shards[1]->observe_receipts([&](const protocols::Receipt&, SimTime t) { consumed.push_back(t); });
  rig.run(Duration::min(5));
  // Sent at 12s (12s on the wire, past the 4s timeout: arrives 24s); resent at 16s (12s past
  // the 8s timeout: arrives 28s) and at 24s (12s within the 16s timeout: arrives 36s, no more
  // resends). Both copies arrive after the first and are dropped.
  ASSERT_EQ(consumed.size(), 1u);
  EXPECT_LE(consumed[0], SimTime::zero() + Duration::s(36));
  EXPECT_EQ(rig.shards[0]->stats().receipts_dropped, 0u);
  EXPECT_EQ(rig.shards[0]->stats().receipts_resent, 2u);
  EXPECT_EQ(rig.shards[1]->stats().receipts_duplicate, 2u);
  EXPECT_EQ(rig.shards[1]->ledger().balance(1, kUsdc), Amount::units(10));
  rig.expect_conserved();
}

}  // namespace
}  // namespace shardsim::shards
