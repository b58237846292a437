// Models what one shard needs to know to run: its slot clock, gas, fees, receipt rules, oracle
// feeds, and the timed faults that touch it. Filled by the world builder; immutable at run time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::shards {

struct GasSchedule {
  std::uint64_t transfer = 21'000;
  std::uint64_t bridge = 60'000;
  std::uint64_t oracle_update = 50'000;
  std::uint64_t protocol_call = 150'000;
  std::uint64_t of(protocols::TxOp op) const;
};

struct TimeWindow {
  core::SimTime start;
  core::SimTime end;  // exclusive
  bool contains(core::SimTime t) const { return start <= t && t < end; }
};

struct TxDropWindow {
  TimeWindow window;
  double probability = 0;
};

// A latency spike on the links from this shard to `to`: latency becomes latency * factor + add.
struct LatencySpikeWindow {
  TimeWindow window;
  protocols::ShardId to = 0;
  double factor = 1;
  core::Duration add;
};

// A receipt drop on the link from this shard to `to`: while it lasts, each receipt sent on that
// link is lost with probability `rate`; this shard resends it after a timeout.
struct ReceiptDropWindow {
  TimeWindow window;
  protocols::ShardId to = 0;
  double rate = 0;
};

// A partition: while it lasts, receipts between shards of different groups are held.
struct PartitionWindow {
  TimeWindow window;
  std::vector<std::uint32_t> group_of_shard;  // group index per shard
};

// A gas spike: while it lasts, the base fee per gas is multiplied by `factor` (>= 1; the result
// rounds down to the fee asset's unit). Overlapping spikes multiply.
struct GasSpikeWindow {
  TimeWindow window;
  double factor = 1;
};

// A fault this shard reports (logs) when it starts and ends.
struct FaultLogSpec {
  std::uint32_t fault_index = 0;
  std::string label;  // e.g. "shard_halt shard=perps"
  TimeWindow window;
};

struct ShardConfig {
  protocols::ShardId id = 0;
  std::string name;
  core::Duration slot;
  core::Duration slot_offset;
  std::uint64_t gas_per_block = 0;
  std::optional<protocols::AssetId> fee_asset;
  core::Amount base_fee;  // per gas, in fee_asset units
  GasSchedule gas;
  core::Duration mempool_observe_delay;
  std::size_t mempool_capacity = 1'000'000;
  std::uint32_t receipts_per_block = 256;
  bool receipts_finalized = false;
  std::uint32_t finality_blocks = 64;
  protocols::AccountId validator = 0;  // receives priority fees
  std::vector<TimeWindow> halts;
  std::vector<TxDropWindow> tx_drops;
  std::vector<LatencySpikeWindow> latency_spikes;
  std::vector<PartitionWindow> partitions;
  std::vector<ReceiptDropWindow> receipt_drops;
  bool dedup_receipts = false;  // a sender may resend to this shard: drop receipts whose id it has seen
  std::vector<GasSpikeWindow> gas_spikes;
  std::vector<FaultLogSpec> logged_faults;

  bool halted_at(core::SimTime t) const;
  // The base fee per gas at t: base_fee times every gas spike in force, exact to a billionth of
  // the factor, rounded down.
  core::Amount base_fee_at(core::SimTime t) const;
  // The first block time: slot_offset, or one slot in when there is no offset.
  core::SimTime first_block() const;
};

}  // namespace shardsim::shards
