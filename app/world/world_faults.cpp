// Turns the topology's shard spec and timed faults into each shard's run-time configuration.
#include <array>
#include <cstdio>
#include <string>

#include "app/world/world.hpp"

namespace shardsim::app {
namespace {

// A ratio or factor for a label: up to 6 significant digits, `-35`, `0.92`, `2.5`.
std::string number(double x) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.6g", x);
  return buf.data();
}

std::string fault_label(const FaultSpec& f, const Topology& t) {
  switch (f.kind) {
    case FaultKind::shard_halt: return "shard_halt shard=" + t.shards[f.shard].id;
    case FaultKind::latency_spike:
      return "latency_spike from=" + t.shards[f.from].id + " to=" + t.shards[f.to].id;
    case FaultKind::partition: return "partition groups=" + std::to_string(f.groups.size());
    case FaultKind::oracle:
      return std::string("oracle ") +
             (f.mode == OracleFaultMode::stale ? "stale" : f.mode == OracleFaultMode::manipulated ? "manipulated" : "delayed") +
             " shard=" + t.shards[f.shard].id + " asset=" + t.assets[f.asset].symbol;
    case FaultKind::tx_drop: return "tx_drop shard=" + t.shards[f.shard].id;
    case FaultKind::price_crash:
      return "price_crash asset=" + t.assets[f.asset].symbol + " move=" + number(f.move * 100) + "%";
    case FaultKind::depeg: return "depeg asset=" + t.assets[f.asset].symbol + " to=" + number(f.depeg_to);
    case FaultKind::protocol_insolvency:
      return "protocol_insolvency protocol=" + f.protocol + " loss=" + number(f.loss * 100) + "%";
    case FaultKind::broker_default: return "broker_default broker=" + t.brokers[f.broker].name;
    case FaultKind::gas_spike: return "gas_spike shard=" + t.shards[f.shard].id + " factor=" + number(f.factor);
    case FaultKind::receipt_drop:
      return "receipt_drop from=" + t.shards[f.from].id + " to=" + t.shards[f.to].id + " rate=" + number(f.probability * 100) + "%";
  }
  return "fault";
}

// The shard that logs a fault's start and end. A price fault belongs to no shard: the first one
// logs it.
std::uint32_t fault_owner(const FaultSpec& f, const Topology& t) {
  switch (f.kind) {
    case FaultKind::latency_spike:
    case FaultKind::receipt_drop: return f.from;
    case FaultKind::partition: return f.groups.front().front();
    case FaultKind::price_crash:
    case FaultKind::depeg: return 0;
    case FaultKind::broker_default: return t.brokers[f.broker].home_shard;
    case FaultKind::shard_halt:
    case FaultKind::oracle:
    case FaultKind::tx_drop:
    case FaultKind::protocol_insolvency:  // the protocol's shard
    case FaultKind::gas_spike: return f.shard;
  }
  return f.shard;
}

}  // namespace

shards::ShardConfig World::shard_config(std::uint32_t index) const {
  const ShardSpec& s = topology_.shards[index];
  shards::ShardConfig c;
  c.id = index;
  c.name = s.id;
  c.slot = s.slot;
  c.slot_offset = s.slot_offset;
  c.gas_per_block = s.gas_per_block;
  c.fee_asset = s.fee_asset;
  c.base_fee = s.base_fee;
  c.gas = shards::GasSchedule{s.gas.transfer, s.gas.bridge, s.gas.oracle_update, s.gas.protocol_call};
  c.mempool_observe_delay = s.mempool_observe_delay;
  c.receipts_per_block = topology_.links.receipts_per_block;
  c.receipts_finalized = topology_.links.receipts == ReceiptMode::finalized;
  c.finality_blocks = topology_.links.finality;
  c.validator = *registry_.account("validator:" + s.id);
  for (std::uint32_t fi = 0; fi < topology_.faults.size(); ++fi) {
    const FaultSpec& f = topology_.faults[fi];
    const shards::TimeWindow w{f.at, f.at + f.duration};
    if (fault_owner(f, topology_) == index) c.logged_faults.push_back(shards::FaultLogSpec{fi, fault_label(f, topology_), w});
    switch (f.kind) {
      case FaultKind::shard_halt:
        if (f.shard == index) c.halts.push_back(w);
        break;
      case FaultKind::tx_drop:
        if (f.shard == index) c.tx_drops.push_back(shards::TxDropWindow{w, f.probability});
        break;
      case FaultKind::latency_spike:
        if (f.from == index) c.latency_spikes.push_back(shards::LatencySpikeWindow{w, f.to, f.factor, f.add});
        break;
      case FaultKind::partition: {
        shards::PartitionWindow p{w, std::vector<std::uint32_t>(topology_.shards.size(),
                                                                static_cast<std::uint32_t>(f.groups.size()))};
        for (std::uint32_t g = 0; g < f.groups.size(); ++g) {
          for (const std::uint32_t sh : f.groups[g]) p.group_of_shard[sh] = g;
        }
        c.partitions.push_back(std::move(p));
        break;
      }
      case FaultKind::gas_spike:
        if (f.shard == index) c.gas_spikes.push_back(shards::GasSpikeWindow{w, f.factor});
        break;
      case FaultKind::receipt_drop:
        if (f.from == index) c.receipt_drops.push_back(shards::ReceiptDropWindow{w, f.to, f.probability});
        if (f.to == index) c.dedup_receipts = true;
        break;
      case FaultKind::oracle:  // acts on the oracle keeper
      case FaultKind::price_crash:  // acts on the true price (build_prices)
      case FaultKind::depeg:
      case FaultKind::protocol_insolvency:  // acts at `at` on the shard's LP (world_fault_actions.cpp)
      case FaultKind::broker_default:
        break;
    }
  }
  return c;
}

}  // namespace shardsim::app
