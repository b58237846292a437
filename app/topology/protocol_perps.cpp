// Models the `perps` protocol kind for the topology: reads its `params:` (collateral, markets with
// margin fractions and an optional finite depth `vamm_depth`, funding, spread, insurance fund)
// and builds a dYdX v3 style exchange with a resting order book (ops place_order and
// cancel_order besides trade).
#include <memory>
#include <set>
#include <string>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/units.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/perps/perps.hpp"

namespace shardsim::app {
namespace {

namespace perps = protocols::perps;
using protocols::i128;
using protocols::kWadUnit;

constexpr std::string_view kAssetExpected = "an asset declared under assets:, e.g. USDC";
constexpr std::string_view kMarketsExpected =
    "a map of markets, e.g. {BTC-PERP: {imf: 5%, mmf: 3%, index: BTC, vamm_depth: 20M}}";
constexpr std::string_view kRatioExpected = "a ratio, e.g. 10%, 0.1 or 1/3";

struct PerpsParams final : ProtocolParams {
  perps::PerpsConfig config;
};



// `vamm_depth`: the vAMM's virtual USD quote reserve at its peg, > 0 (e.g. 20M).
i128 read_depth(const Field& f) {
  constexpr std::string_view expected = "a USD depth > 0 with at most 18 decimals, e.g. 20M";
  const std::string text = f.scalar(expected);
  const AmountParse a = parse_amount_checked(text, 18);
  if (a.error != AmountError::none) f.fail("invalid depth " + quote(text), expected);
  if (a.value.raw() <= 0) f.fail("must be positive, got " + quote(text), expected);
  return a.value.raw();
}

std::uint32_t asset_of(const Field& f, const Topology& topology) {
  const std::string symbol = f.text("an asset symbol");
  const auto index = topology.asset_index(symbol);
  if (!index) f.fail("unknown asset " + quote(symbol), kAssetExpected);
  return *index;
}

perps::MarketConfig read_market(const MapReader::Item& item, const Topology& topology) {
  perps::MarketConfig mk;
  mk.name = item.key;
  std::optional<Field> index_field;
  if (!item.value.node().IsNull()) {
    MapReader m(item.value, "a map such as {imf: 5%, mmf: 3%, index: BTC, vamm_depth: 20M}", keys::section("perps_market"));
    mk.imf_wad = m.optional_ratio_wad("imf", perps::kDefaultImfWad, Sign::positive);
    mk.mmf_wad = m.optional_ratio_wad("mmf", perps::kDefaultMmfWad, Sign::positive);
    if (const auto f = m.optional("vamm_depth")) mk.vamm_depth_wad = read_depth(*f);
    index_field = m.optional("index");
    if (index_field) mk.index = asset_of(*index_field, topology);
    m.finish();
  }
  if (!index_field) {
    constexpr std::string_view suffix = "-PERP";
    const std::string& key = item.key;
    if (key.size() <= suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) {
      item.key_field.fail("market " + quote(key) + " does not end in -PERP and has no index",
                          "SYMBOL-PERP, or index: SYMBOL");
    }
    const std::string symbol = key.substr(0, key.size() - suffix.size());
    const auto index = topology.asset_index(symbol);
    if (!index) item.key_field.fail("unknown index asset " + quote(symbol), kAssetExpected);
    mk.index = *index;
  }
  if (mk.imf_wad > kWadUnit) item.value.fail("imf above 100%", "an initial margin fraction in (0, 100%]");
  if (mk.mmf_wad > mk.imf_wad) {
    item.value.fail("mmf above imf", "a maintenance margin fraction no larger than the initial one");
  }
  return mk;
}

std::vector<perps::MarketConfig> read_markets(const Field& field, const Topology& topology) {
  MapReader m(field, kMarketsExpected);
  std::vector<perps::MarketConfig> out;
  std::set<std::string> seen;
  for (const MapReader::Item& item : m.items()) {
    if (!seen.insert(item.key).second) item.key_field.fail("market " + quote(item.key) + " given twice", "each market once");
    out.push_back(read_market(item, topology));
  }
  if (out.empty()) field.fail("no markets", kMarketsExpected);
  return out;
}

// BTC-PERP and ETH-PERP, for those of BTC and ETH the topology declares.
std::vector<perps::MarketConfig> default_markets(const Topology& topology) {
  std::vector<perps::MarketConfig> out;
  for (const char* symbol : {"BTC", "ETH"}) {
    if (const auto index = topology.asset_index(symbol)) {
      perps::MarketConfig mk;
      mk.name = std::string(symbol) + "-PERP";
      mk.index = *index;
      out.push_back(mk);
    }
  }
  return out;
}

std::shared_ptr<const ProtocolParams> read_perps_params(const Field* params, const Topology& topology) {
  auto out = std::make_shared<PerpsParams>();
  perps::PerpsConfig& c = out->config;
  if (params == nullptr || params->node().IsNull()) {
    // No `params:` at all: every default must resolve, or the entry needs params.
    const ReadContext ctx{topology.file, ""};
    const std::string path = params ? params->path() : std::string("params");
    const YAML::Mark mark = params ? params->mark() : YAML::Mark::null_mark();
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) fail_at(ctx, mark, path, "default collateral USDC is not declared", "params: {collateral: SYMBOL}");
    c.collateral = *usdc;
    c.markets = default_markets(topology);
    if (c.markets.empty()) fail_at(ctx, mark, path, "no BTC or ETH for the default markets", kMarketsExpected);
    return out;
  }
  MapReader m(*params, "a map", keys::section("perps"));
  if (const auto f = m.optional("collateral")) {
    c.collateral = asset_of(*f, topology);
  } else {
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) params->fail("default collateral USDC is not declared", "collateral: SYMBOL");
    c.collateral = *usdc;
  }
  if (const auto f = m.optional("markets")) {
    c.markets = read_markets(*f, topology);
  } else {
    c.markets = default_markets(topology);
    if (c.markets.empty()) params->fail("no BTC or ETH for the default markets", kMarketsExpected);
  }
  c.funding_interval = m.optional_duration("funding_interval", perps::kDefaultFundingInterval);
  c.funding_interest_wad = m.optional_ratio_wad("funding_interest", perps::kDefaultFundingInterestWad, Sign::any);
  c.spread_wad = m.optional_ratio_wad("spread", 0, Sign::non_negative);
  if (c.spread_wad >= kWadUnit) m.fail_key("spread", "spread of 100% or more", "a spread below 100%, e.g. 0.05%");
  c.liquidation_penalty_wad = m.optional_ratio_wad("liquidation_penalty", 0, Sign::non_negative);
  if (c.liquidation_penalty_wad > kWadUnit) {
    m.fail_key("liquidation_penalty", "penalty above 100%", "a ratio in [0, 100%], e.g. 1%");
  }
  c.liquidator_share_wad = m.optional_ratio_wad("liquidator_share", 0, Sign::non_negative);
  if (c.liquidator_share_wad > kWadUnit) {
    m.fail_key("liquidator_share", "share above 100%", "a share of the penalty in [0, 100%], e.g. 50%");
  }
  if (const auto f = m.optional("insurance_fund")) {
    const int decimals = topology.assets[c.collateral].decimals;
    const std::string text = f->scalar("an amount of the collateral, e.g. 1M");
    const AmountParse a = parse_amount_checked(text, decimals);
    if (a.error != AmountError::none) {
      f->fail("invalid amount " + quote(text), "an amount of the collateral with at most " +
                                                   std::to_string(decimals) + " decimals, e.g. 1M");
    }
    if (a.value.is_negative()) f->fail("must not be negative, got " + quote(text), "an amount >= 0, e.g. 1M");
    c.insurance_fund = a.value;
  }
  m.finish();
  return out;
}

}  // namespace

ProtocolKind perps_kind() {
  ProtocolKind k;
  k.kind = "perps";
  k.read_params = read_perps_params;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry& registry) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = static_cast<const PerpsParams&>(params);
    return std::make_unique<perps::Perps>(name, account, p.config, registry);
  };
  // deposit, withdraw, trade, liquidate, fund_insurance, place_order {market, size, price} and
  // cancel_order {id}: the list the protocol itself accepts, so script checks stay in step.
  for (auto& [op, args] : perps::perps_operations()) k.ops.push_back(ProtocolOp{op, args});
  return k;
}

}  // namespace shardsim::app
