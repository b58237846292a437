// Reads `shards:` (slots, gas, fees, user access latency and oracle feeds) and `links:` (the
// latency between shards, how receipts travel, and the default user access latency).
#include <algorithm>
#include <map>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::loader {
namespace {

constexpr std::string_view kFeeExpected = "an amount of the fee asset per gas, e.g. 0.00000002";
constexpr int kFeeDecimalsMax = 30;  // enough to read any zero written out
constexpr std::string_view kReceiptsExpected = "one of: optimistic, finalized";

// Shard id -> the line it was first defined on.
using ShardLines = std::map<std::string, std::size_t, std::less<>>;

GasCosts read_gas(const Field& field, std::uint64_t gas_per_block) {
  MapReader m(field, "a map such as {transfer: 21000, bridge: 60000}", keys::section("gas"));
  GasCosts gas;
  const auto read = [&](std::string_view key, std::uint64_t& cost) {
    const auto value = m.optional(key);
    if (!value) return;
    cost = value->count(1);
    if (cost > gas_per_block) {
      value->fail(std::string(key) + " gas " + std::to_string(cost) +
                      " does not fit in a block of gas_per_block " + std::to_string(gas_per_block),
                  "at most gas_per_block, " + std::to_string(gas_per_block));
    }
  };
  read("transfer", gas.transfer);
  read("bridge", gas.bridge);
  read("oracle_update", gas.oracle_update);
  read("protocol_call", gas.protocol_call);
  m.finish();
  return gas;
}

// `protocols` are the shard's own: a `source:` must name an AMM among them.
OracleSpec read_oracles(const Field& field, const Refs& refs, const std::vector<ProtocolSpec>& protocols) {
  constexpr std::string_view assets_expected = "a non-empty list of priced assets, e.g. [ETH, BTC]";
  MapReader m(field, "an oracles map such as {assets: [ETH, BTC], deviation: 0.5%}", keys::section("oracles"));
  OracleSpec oracles;
  const Field assets = m.required("assets", assets_expected);
  std::map<std::uint32_t, std::size_t> first_item;
  for (const Field& item : assets.items(assets_expected)) {
    const std::uint32_t asset = refs.priced_asset(item);
    const auto [first, inserted] = first_item.emplace(asset, oracles.assets.size());
    if (!inserted) {
      item.fail(refs.topology().assets[asset].symbol + " listed twice, first as item " +
                    std::to_string(first->second),
                "each asset once");
    }
    oracles.assets.push_back(asset);
  }
  if (oracles.assets.empty()) assets.fail("no assets", assets_expected);
  oracles.deviation = m.optional_ratio("deviation", oracles.deviation, Sign::positive);
  oracles.heartbeat = m.optional_duration("heartbeat", oracles.heartbeat);
  oracles.check_every = m.optional_duration("check_every", oracles.check_every);
  if (const auto f = m.optional("source")) {
    constexpr std::string_view expected = "an AMM protocol on this shard, e.g. uni";
    oracles.source = read_name(*f, "protocol name", "_-", expected);
    const auto amm = std::find_if(protocols.begin(), protocols.end(),
                                  [&](const ProtocolSpec& p) { return p.kind == "amm" && p.name == oracles.source; });
    if (amm == protocols.end()) {
      std::vector<std::string_view> names;
      for (const ProtocolSpec& p : protocols) {
        if (p.kind == "amm") names.push_back(p.name);
      }
      f->fail("no AMM named " + quote(oracles.source) + " on this shard",
              names.empty() ? std::string(expected) + " (this shard has none)" : "one of: " + name_list(names));
    }
  }
  m.finish();
  return oracles;
}

// `fee_asset` and `base_fee`: with no fee asset, the only fee is 0.
void read_fees(MapReader& m, ShardSpec& shard, const Refs& refs) {
  if (const auto fee_asset = m.optional("fee_asset")) shard.fee_asset = refs.asset(*fee_asset);
  const auto base_fee = m.optional("base_fee");
  if (!base_fee) return;
  if (shard.fee_asset) {
    shard.base_fee = read_amount(*base_fee, refs.topology().assets[*shard.fee_asset],
                                 Sign::non_negative);
    return;
  }
  const std::string text = base_fee->scalar(kFeeExpected);
  const AmountParse parsed = parse_amount_checked(text, kFeeDecimalsMax);
  if (parsed.error == AmountError::malformed) {
    base_fee->fail("invalid amount " + quote(text), kFeeExpected);
  }
  if (parsed.error == AmountError::none && parsed.value.is_zero()) return;
  base_fee->fail("base_fee " + quote(text) + " needs a fee_asset to be charged in",
                 "fee_asset: SYMBOL beside a base_fee other than 0");
}

ShardSpec read_shard(const Field& item, const Refs& refs, ShardLines& seen, ProtocolNames& protocol_names) {
  MapReader m(item, "a shard map such as {id: a, slot: 12s, gas_per_block: 30M}", keys::section("shard"));
  ShardSpec shard;
  shard.line = static_cast<std::size_t>(item.line());
  const Field id = m.required("id", kShardIdExpected);
  shard.id = read_name(id, "shard id", "_-", kShardIdExpected);
  const auto [first, inserted] = seen.emplace(shard.id, shard.line);
  if (!inserted) {
    id.fail("duplicate shard id " + quote(shard.id) + ", first defined on line " +
                std::to_string(first->second),
            "a unique shard id");
  }
  shard.slot = m.required_duration("slot");
  if (const auto offset = m.optional("slot_offset")) {
    shard.slot_offset = offset->duration(Sign::non_negative);
    if (shard.slot_offset >= shard.slot) {
      offset->fail("slot_offset " + shard.slot_offset.str() + " is not below the slot " +
                       shard.slot.str(),
                   "0 <= slot_offset < slot");
    }
  }
  shard.gas_per_block = m.required_count("gas_per_block", 1);
  read_fees(m, shard, refs);
  if (const auto latency = m.optional("access_latency")) {
    shard.access_latency = read_latency(*latency);
  }
  shard.mempool_observe_delay =
      m.optional_duration("mempool_observe_delay", shard.mempool_observe_delay, Sign::non_negative);
  if (const auto gas = m.optional("gas")) shard.gas = read_gas(*gas, shard.gas_per_block);
  if (const auto protocols = m.optional("protocols")) shard.protocols = read_protocols(*protocols, refs, protocol_names);
  if (const auto oracles = m.optional("oracles")) shard.oracles = read_oracles(*oracles, refs, shard.protocols);
  m.finish();
  return shard;
}

// (from, to) -> the line the pair was first given on.
using PairLines = std::map<std::pair<std::uint32_t, std::uint32_t>, int>;

LinkPair read_pair(const Field& item, const Refs& refs, PairLines& seen) {
  MapReader m(item, "a link map such as {from: a, to: b, latency: {...}}", keys::section("link_pair"));
  const Topology& topology = refs.topology();
  LinkPair pair;
  pair.from = refs.shard(m.required("from", kShardIdExpected));
  const Field to = m.required("to", kShardIdExpected);
  pair.to = refs.shard(to);
  if (pair.to == pair.from) {
    to.fail("link from " + quote(topology.shards[pair.from].id) + " to itself",
            "two different shards");
  }
  const auto [first, inserted] = seen.emplace(std::pair(pair.from, pair.to), item.line());
  if (!inserted) {
    item.fail("duplicate link from " + quote(topology.shards[pair.from].id) + " to " +
                  quote(topology.shards[pair.to].id) + ", first given on line " +
                  std::to_string(first->second),
              "each from/to pair once");
  }
  pair.latency = read_latency(m.required("latency", kLatencyExpected));
  m.finish();
  return pair;
}

ReceiptMode read_receipts(const Field& field) {
  const std::string mode = field.text(kReceiptsExpected);
  if (mode == "optimistic") return ReceiptMode::optimistic;
  if (mode == "finalized") return ReceiptMode::finalized;
  field.fail("unknown receipt mode " + quote(mode), kReceiptsExpected);
}

}  // namespace

std::vector<ShardSpec> read_shards(const Field& field, const Topology& topology) {
  constexpr std::string_view expected = "a non-empty list of shards";
  const std::vector<Field> items = field.items(expected);
  if (items.empty()) field.fail("no shards", expected);
  if (items.size() > kShardsMax) {
    field.fail(std::to_string(items.size()) + " shards", "at most " + std::to_string(kShardsMax));
  }
  const Refs refs(topology);
  std::vector<ShardSpec> shards;
  ShardLines seen;
  ProtocolNames protocol_names;
  for (const Field& item : items) shards.push_back(read_shard(item, refs, seen, protocol_names));
  return shards;
}

LinksSpec read_links(const Field& field, const Topology& topology) {
  MapReader m(field, "a links map such as {default: {latency: {...}}, pairs: [...]}", keys::section("links"));
  LinksSpec links;
  constexpr std::string_view default_expected =
      "a map such as {latency: {model: constant, value: 24s}}";
  MapReader defaults(m.required("default", default_expected), default_expected, keys::section("link_default"));
  links.default_latency = read_latency(defaults.required("latency", kLatencyExpected));
  defaults.finish();
  if (const auto pairs = m.optional("pairs")) {
    const Refs refs(topology);
    PairLines seen;
    for (const Field& item : pairs->items("a list of {from, to, latency} maps")) {
      links.pairs.push_back(read_pair(item, refs, seen));
    }
  }
  if (const auto receipts = m.optional("receipts")) links.receipts = read_receipts(*receipts);
  links.finality =
      static_cast<std::uint32_t>(m.optional_count("finality", links.finality, 1, kCount32Max));
  links.receipts_per_block = static_cast<std::uint32_t>(
      m.optional_count("receipts_per_block", links.receipts_per_block, 1, kCount32Max));
  if (const auto latency = m.optional("access_latency")) {
    links.access_latency = read_latency(*latency);
  }
  m.finish();
  return links;
}

}  // namespace shardsim::app::loader
