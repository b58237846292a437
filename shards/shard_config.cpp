// Small queries over a shard's configuration.
#include "shards/shard_config.hpp"

#include <cmath>

#include "core/assert.hpp"
#include "protocols/api/fixed_point.hpp"

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

core::Amount ShardConfig::base_fee_at(core::SimTime t) const {
  constexpr std::int64_t kFactorScale = 1'000'000'000;  // factors are exact to 1e-9
  core::i128 fee = base_fee.raw();
  for (const GasSpikeWindow& g : gas_spikes) {
    if (!g.window.contains(t)) continue;
    SHARDSIM_ASSERT(g.factor >= 1);
    SHARDSIM_ASSERT(g.factor <= 1e9);
    const auto scaled = static_cast<core::i128>(std::llround(g.factor * static_cast<double>(kFactorScale)));
    fee = protocols::mul_div(fee, scaled, kFactorScale);
  }
  return core::Amount::units(fee);
}

core::SimTime ShardConfig::first_block() const {
  return core::SimTime::zero() + (slot_offset > core::Duration{} ? slot_offset : slot);
}

}  // namespace shardsim::shards
