// Checks the mempool's peak since the last read: a report samples it so that a burst between two
// samples still shows.
#include "shards/mempool.hpp"

#include <gtest/gtest.h>

namespace shardsim::shards {
namespace {

protocols::TxRequest tx_with_fee(std::int64_t fee) {
  protocols::TxRequest tx;
  tx.priority_fee = core::Amount::units(fee);
  return tx;
}

TEST(MempoolPeak, ABurstDrainedBeforeTheSampleStillShowsAsThePeak) {
  Mempool pool(100);
  EXPECT_EQ(pool.take_peak(), 0u);
  for (int i = 0; i < 5; ++i) pool.push(tx_with_fee(i), 0);
  for (int i = 0; i < 4; ++i) pool.pop_best();
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.take_peak(), 5u);  // the burst, though only 1 is pending now
  EXPECT_EQ(pool.take_peak(), 1u);  // after a read, the peak restarts from what is pending
  // Taking the best and putting it back (block building) is not a new peak.
  PendingTx best = pool.pop_best();
  pool.reinsert(std::move(best));
  EXPECT_EQ(pool.take_peak(), 1u);
  pool.push(tx_with_fee(9), 0);
  pool.push(tx_with_fee(9), 0);
  EXPECT_EQ(pool.take_peak(), 3u);
}

}  // namespace
}  // namespace shardsim::shards
