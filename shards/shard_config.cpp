// Small queries over a shard's configuration.
#include "shards/shard_config.hpp"

namespace shardsim::shards {

std::uint64_t GasSchedule::of(protocols::TxOp op) const {
  switch (op) {
    case protocols::TxOp::transfer: return transfer;
    case protocols::TxOp::bridge: return bridge;
    case protocols::TxOp::oracle_update: return oracle_update;
    case protocols::TxOp::protocol_call: return protocol_call;
    case protocols::TxOp::cross_call: return bridge;
  }
  return protocol_call;
}

bool ShardConfig::halted_at(core::SimTime t) const {
  for (const TimeWindow& w : halts) {
    if (w.contains(t)) return true;
  }
  return false;
}

core::SimTime ShardConfig::first_block() const {
  return core::SimTime::zero() + (slot_offset > core::Duration{} ? slot_offset : slot);
}

}  // namespace shardsim::shards
