// Tests the brokers' incremental margin in whole worlds (prime-broker, and eth2-64 over its first
// hour): run a slot at a time, and after each one every client's margin as the book keeps it
// equals a computation from scratch, exactly, as does the maintenance decision taken from it.
#include <gtest/gtest.h>

#include <string>

#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

// The number of client margins compared; fails the test on the first difference.
std::size_t check_run_slot_by_slot(app::Simulation& w, const app::Topology& t, core::Duration slot) {
  std::size_t compared = 0;
  for (core::SimTime at = core::SimTime::zero() + slot; at <= core::SimTime::zero() + t.duration; at += slot) {
    w.engine().run(at);
    for (std::size_t b = 0; b < w.broker_count(); ++b) {
      const broker::ClearingBook& book = w.broker(b).book();
      for (std::size_t c = 0; c < book.clients(); ++c) {
        const broker::MarginResult fresh = book.margin_from_scratch(c);
        const broker::MarginResult& kept = book.margin(c);
        const std::string where = "t=" + at.str() + " broker " + std::to_string(b) + " client " + std::to_string(c);
        EXPECT_EQ(kept.initial, fresh.initial) << where;
        EXPECT_EQ(kept.maintenance, fresh.maintenance) << where;
        EXPECT_EQ(kept.gross, fresh.gross) << where;
        EXPECT_EQ(kept.latency_addon, fresh.latency_addon) << where;
        EXPECT_EQ(kept.scan_risk, fresh.scan_risk) << where;
        const bool below = !book.client(c).positions.empty() && book.equity(c) < fresh.maintenance;
        EXPECT_EQ(book.below_maintenance(c), below) << where;
        if (::testing::Test::HasFailure()) return compared;
        compared += book.client(c).positions.empty() ? 0 : 1;
      }
    }
  }
  return compared;
}

TEST(BrokerMarginCache, PrimeBrokerKeptMarginsEqualScratchEverySlot) {
  const app::Topology t = app::load_topology_file("topologies/prime-broker.yaml");
  app::Simulation w(t, t.seed);
  EXPECT_GT(check_run_slot_by_slot(w, t, t.shards.front().slot), 1'000u);
}

TEST(BrokerMarginCache, Eth2FirstHourKeptMarginsEqualScratchEverySlot) {
  app::Topology t = app::load_topology_file("topologies/eth2-64.yaml");
  t.duration = core::Duration::h(1);
  app::Simulation w(t, t.seed);
  EXPECT_GT(check_run_slot_by_slot(w, t, t.shards.front().slot), 10'000u);
}

}  // namespace
}  // namespace shardsim
