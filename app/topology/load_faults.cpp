// Reads `faults:`: timed faults, each `{at: T, KIND: {...}}` with exactly one kind. A fault
// starts at `at` (inside the run) and lasts `duration` (the shard faults and gas_spike), moves a
// price `over` a while (price_crash, depeg), loses receipts `over` a window (receipt_drop), or
// happens at once (protocol_insolvency, broker_default).
#include <algorithm>
#include <array>
#include <map>
#include <utility>
#include <vector>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"

namespace shardsim::app::loader {
namespace {

constexpr std::string_view kModesExpected = "one of: stale, manipulated, delayed";
constexpr std::string_view kGroupExpected = "a non-empty list of shards, e.g. [a, b]";
constexpr std::string_view kGroupsExpected = "a non-empty list of shard groups, e.g. [[a, b], [c]]";
constexpr std::string_view kMoveExpected =
    "a relative move above -100% and at most +1000%, e.g. -35%";
constexpr double kMoveMax = 10;
constexpr std::string_view kDepegToExpected =
    "the market price over the peg price, above 0 and at most 10, e.g. 0.92 or 92%";
constexpr double kDepegToMax = 10;
constexpr std::string_view kLossExpected = "a share of each token drained, in (0, 100%], e.g. 30%";
constexpr std::string_view kGasFactorExpected = "a factor from 1 to 1000000, e.g. 10";
constexpr double kGasFactorMax = 1'000'000;
constexpr std::string_view kRateExpected = "a share of receipts lost, from 0 to 100%, e.g. 50%";

void read_shard_halt(MapReader& m, FaultSpec& fault, const Refs& refs) {
  fault.shard = refs.shard(m.required("shard", kShardIdExpected));
}

// `from` and `to` of a fault on one directed link: two different shards.
void read_link(MapReader& m, FaultSpec& fault, const Refs& refs, std::string_view what) {
  fault.from = refs.shard(m.required("from", kShardIdExpected));
  const Field to = m.required("to", kShardIdExpected);
  fault.to = refs.shard(to);
  if (fault.to == fault.from) {
    to.fail(std::string(what) + " from " + quote(refs.topology().shards[fault.from].id) + " to itself",
            "two different shards");
  }
}

void read_latency_spike(MapReader& m, FaultSpec& fault, const Refs& refs) {
  read_link(m, fault, refs, "spike");
  const auto add = m.optional("add");
  const auto factor = m.optional("factor");
  if (!add && !factor) {
    m.field().fail("neither add nor factor given", "add: 10s and/or factor: 2");
  }
  if (add) fault.add = add->duration(Sign::non_negative);
  if (factor) {
    fault.factor = factor->decimal(Sign::positive);
    if (fault.factor < 1) {
      factor->fail("factor " + quote(factor->node().Scalar()) + " is below 1",
                   "a factor >= 1, e.g. 2: a spike only slows messages down");
    }
  }
}

void read_partition(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Topology& topology = refs.topology();
  const Field groups = m.required("groups", kGroupsExpected);
  // Shard -> the group it is in and the line of that mention (a map: partitions name few
  // shards, while a topology may have many shards and many partitions).
  std::map<std::uint32_t, std::pair<std::size_t, int>> placed;
  for (const Field& group_field : groups.items(kGroupsExpected)) {
    std::vector<std::uint32_t> group;
    for (const Field& item : group_field.items(kGroupExpected)) {
      const std::uint32_t shard = refs.shard(item);
      const auto [first, inserted] =
          placed.emplace(shard, std::pair(fault.groups.size(), item.line()));
      if (!inserted) {
        item.fail("shard " + quote(topology.shards[shard].id) + " is already in group " +
                      std::to_string(first->second.first) + " (line " +
                      std::to_string(first->second.second) + ")",
                  "each shard in at most one group");
      }
      group.push_back(shard);
    }
    if (group.empty()) group_field.fail("empty group", kGroupExpected);
    fault.groups.push_back(std::move(group));
  }
  if (fault.groups.empty()) groups.fail("no groups", kGroupsExpected);
  const bool rest = placed.size() < topology.shards.size();  // the shards left: one more group
  if (fault.groups.size() + (rest ? 1 : 0) < 2) {
    groups.fail("every shard is in one group: the partition separates nothing",
                "at least two groups, counting the shards left out as one");
  }
}

void read_oracle(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Topology& topology = refs.topology();
  fault.shard = refs.shard(m.required("shard", kShardIdExpected));
  const Field asset = m.required("asset", kSymbolExpected);
  fault.asset = refs.asset(asset);
  const ShardSpec& shard = topology.shards[fault.shard];
  const bool fed = shard.oracles && std::find(shard.oracles->assets.begin(),
                                              shard.oracles->assets.end(),
                                              fault.asset) != shard.oracles->assets.end();
  if (!fed) {
    std::vector<std::string_view> names;
    if (shard.oracles) {
      for (std::uint32_t a : shard.oracles->assets) names.push_back(topology.assets[a].symbol);
    }
    asset.fail("shard " + quote(shard.id) + " has no oracle feed for " +
                   topology.assets[fault.asset].symbol,
               names.empty() ? "a shard with oracles: {assets: [...]}"
                             : "an asset the shard has a feed for: " + name_list(names));
  }
  const Field mode = m.required("mode", kModesExpected);
  const std::string name = mode.text(kModesExpected);
  if (name == "stale") {
    fault.mode = OracleFaultMode::stale;
  } else if (name == "manipulated") {
    fault.mode = OracleFaultMode::manipulated;
  } else if (name == "delayed") {
    fault.mode = OracleFaultMode::delayed;
  } else {
    mode.fail("unknown oracle fault mode " + quote(name), kModesExpected);
  }
  if (fault.mode == OracleFaultMode::manipulated) {
    fault.value = m.required("value", "the published price, e.g. 1800").decimal(Sign::positive);
  } else if (m.has("value")) {
    m.fail_key("value", "value is only used with mode manipulated",
               "mode: manipulated with a value, or no value");
  }
}

void read_tx_drop(MapReader& m, FaultSpec& fault, const Refs& refs) {
  fault.shard = refs.shard(m.required("shard", kShardIdExpected));
  const Field probability = m.required("probability", "a probability, e.g. 50% or 0.5");
  fault.probability = probability.ratio(Sign::non_negative);
  if (fault.probability > 1) {
    probability.fail("probability " + quote(probability.node().Scalar()) + " is above 1",
                     "a probability between 0 and 1, e.g. 50%");
  }
}

void read_receipt_drop(MapReader& m, FaultSpec& fault, const Refs& refs) {
  read_link(m, fault, refs, "receipt drop");
  const Field rate = m.required("rate", kRateExpected);
  fault.probability = rate.ratio(Sign::non_negative);
  if (fault.probability > 1) {
    rate.fail("rate " + quote(rate.node().Scalar()) + " is above 100%", kRateExpected);
  }
}

void read_price_crash(MapReader& m, FaultSpec& fault, const Refs& refs) {
  fault.asset = refs.priced_asset(m.required("asset", kSymbolExpected));
  const Field move = m.required("move", kMoveExpected);
  fault.move = move.ratio(Sign::any);
  if (fault.move <= -1) {
    move.fail("move " + quote(move.node().Scalar()) + " would take the price to zero or below",
              kMoveExpected);
  }
  if (fault.move > kMoveMax) {
    move.fail("move " + quote(move.node().Scalar()) + " is above +1000%", kMoveExpected);
  }
}

// A pegged asset (`prices: {assets: {sBTC: {peg: BTC}}}`) leaves its peg.
void read_depeg(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Topology& topology = refs.topology();
  const Field asset = m.required("asset", kSymbolExpected);
  fault.asset = refs.asset(asset);
  std::vector<std::string_view> pegged;
  bool is_pegged = false;
  for (const PriceAssetSpec& p : topology.prices.assets) {
    if (!p.peg) continue;
    pegged.push_back(topology.assets[p.asset].symbol);
    is_pegged = is_pegged || p.asset == fault.asset;
  }
  if (!is_pegged) {
    asset.fail(topology.assets[fault.asset].symbol +
                   " is not pegged, so it has no peg to leave",
               pegged.empty() ? std::string("an asset priced as {peg: ASSET} under prices.assets, "
                                            "e.g. sBTC: {peg: BTC}")
                              : "a pegged asset: one of: " + name_list(pegged));
  }
  const Field to = m.required("to", kDepegToExpected);
  fault.depeg_to = to.ratio(Sign::positive);
  if (fault.depeg_to > kDepegToMax) {
    to.fail("to " + quote(to.node().Scalar()) + " is above 10 (ten times the peg)", kDepegToExpected);
  }
}

// An exploit drains `loss` of every token the protocol's account holds.
void read_protocol_insolvency(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Topology& topology = refs.topology();
  const std::string expected = protocol_names(topology, "");
  const Field protocol = m.required("protocol", expected);
  fault.protocol = protocol.text(expected);
  bool found = false;
  for (std::uint32_t s = 0; s < topology.shards.size() && !found; ++s) {
    for (const ProtocolSpec& p : topology.shards[s].protocols) {
      if (p.name != fault.protocol) continue;
      fault.shard = s;  // the exploit happens, and is logged, on the protocol's shard
      found = true;
      break;
    }
  }
  if (!found) protocol.fail("unknown protocol " + quote(fault.protocol), expected);
  const Field loss = m.required("loss", kLossExpected);
  fault.loss = loss.ratio(Sign::positive);
  if (fault.loss > 1) {
    loss.fail("loss " + quote(loss.node().Scalar()) + " is above 100%", kLossExpected);
  }
}

// Finds the broker among those read so far: `brokers:` must be read before `faults:` (the order
// of sections in topology_loader.cpp) for a broker_default to name one.
void read_broker_default(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Topology& topology = refs.topology();
  std::vector<std::string_view> names;
  for (const broker::BrokerConfig& b : topology.brokers) names.push_back(b.name);
  const std::string expected =
      names.empty() ? std::string("a broker declared under brokers: (none are)")
                    : "a broker: one of: " + name_list(names);
  const Field broker = m.required("broker", expected);
  const std::string name = broker.text(expected);
  for (std::uint32_t b = 0; b < topology.brokers.size(); ++b) {
    if (topology.brokers[b].name != name) continue;
    fault.broker = b;
    fault.shard = topology.brokers[b].home_shard;  // where it is logged: the broker's LP
    return;
  }
  broker.fail("unknown broker " + quote(name), expected);
}

void read_gas_spike(MapReader& m, FaultSpec& fault, const Refs& refs) {
  const Field shard = m.required("shard", kShardIdExpected);
  fault.shard = refs.shard(shard);
  const ShardSpec& spec = refs.topology().shards[fault.shard];
  if (spec.base_fee.is_zero()) {
    shard.fail("shard " + quote(spec.id) + " charges no base fee, so a gas spike changes nothing",
               "a shard with fee_asset and base_fee > 0");
  }
  const Field factor = m.required("factor", kGasFactorExpected);
  fault.factor = factor.decimal(Sign::positive);
  if (fault.factor < 1) {
    factor.fail("factor " + quote(factor.node().Scalar()) + " is below 1", kGasFactorExpected);
  }
  if (fault.factor > kGasFactorMax) {
    factor.fail("factor " + quote(factor.node().Scalar()) + " is above " +
                    std::to_string(static_cast<long>(kGasFactorMax)),
                kGasFactorExpected);
  }
}

// How a kind says how long it lasts: `duration:` (required), `over:` (optional, default 0: the
// move is instantaneous), `over:` as a required window, or not at all (it happens at `at`).
enum class Lasts : std::uint8_t { duration, over, window, instant };

struct FaultKindReader {
  std::string_view name;
  FaultKind kind;
  std::string_view example;
  void (*read)(MapReader&, FaultSpec&, const Refs&);
  Lasts lasts = Lasts::duration;
};

constexpr std::array<FaultKindReader, 11> kKinds{{
    {"shard_halt", FaultKind::shard_halt, "{shard: a, duration: 15m}", read_shard_halt},
    {"latency_spike", FaultKind::latency_spike, "{from: a, to: b, add: 10s, duration: 5m}",
     read_latency_spike},
    {"partition", FaultKind::partition, "{groups: [[a, b], [c]], duration: 10m}",
     read_partition},
    {"oracle", FaultKind::oracle, "{shard: a, asset: ETH, mode: stale, duration: 1h}",
     read_oracle},
    {"tx_drop", FaultKind::tx_drop, "{shard: a, probability: 50%, duration: 10m}", read_tx_drop},
    {"price_crash", FaultKind::price_crash, "{asset: ETH, move: -35%, over: 30m}",
     read_price_crash, Lasts::over},
    {"depeg", FaultKind::depeg, "{asset: sBTC, to: 0.92, over: 2h}", read_depeg, Lasts::over},
    {"protocol_insolvency", FaultKind::protocol_insolvency, "{protocol: aave, loss: 30%}",
     read_protocol_insolvency, Lasts::instant},
    {"broker_default", FaultKind::broker_default, "{broker: prime}", read_broker_default,
     Lasts::instant},
    {"gas_spike", FaultKind::gas_spike, "{shard: a, factor: 10, duration: 10m}", read_gas_spike},
    {"receipt_drop", FaultKind::receipt_drop, "{from: a, to: b, rate: 50%, over: 10m}", read_receipt_drop,
     Lasts::window},
}};
constexpr std::string_view kKindsExpected =
    "exactly one of: shard_halt, latency_spike, partition, oracle, tx_drop, price_crash, depeg, "
    "protocol_insolvency, broker_default, gas_spike, receipt_drop";

FaultSpec read_fault(const Field& item, const Refs& refs) {
  MapReader m(item, "a fault such as {at: 1h, shard_halt: {shard: a, duration: 15m}}", keys::section("fault"));
  FaultSpec fault;
  fault.line = static_cast<std::size_t>(item.line());
  const Field at = m.required("at", kTimeExpected);
  fault.at = read_time(at);
  // At or after the end of the run it never happens: a warning (topology_loader.cpp), so a
  // shorter `--param duration=...` still loads.
  const auto kind_name =
      m.exclusive({"shard_halt", "latency_spike", "partition", "oracle", "tx_drop", "price_crash",
                   "depeg", "protocol_insolvency", "broker_default", "gas_spike", "receipt_drop"});
  if (!kind_name) {
    m.finish();  // an unknown key (a later fault kind, a typo) says more than "missing"
    item.fail("no fault kind given", kKindsExpected);
  }
  for (const FaultKindReader& kind : kKinds) {
    if (kind.name != *kind_name) continue;
    fault.kind = kind.kind;
    MapReader k(*m.optional(kind.name), "a map such as " + std::string(kind.example),
                keys::section("fault_" + std::string(kind.name)));
    kind.read(k, fault, refs);
    if (kind.lasts == Lasts::duration) fault.duration = k.required_duration("duration");
    if (kind.lasts == Lasts::over) {
      fault.duration = k.optional_duration("over", core::Duration{}, Sign::non_negative);
    }
    if (kind.lasts == Lasts::window) fault.duration = k.required_duration("over");
    k.finish();
  }
  m.finish();
  return fault;
}

}  // namespace

std::vector<FaultSpec> read_faults(const Field& field, const Topology& topology) {
  const Refs refs(topology);
  std::vector<FaultSpec> faults;
  for (const Field& item : field.items("a list of faults such as [{at: 1h, shard_halt: {...}}]")) {
    faults.push_back(read_fault(item, refs));
  }
  return faults;
}

}  // namespace shardsim::app::loader
