// The `lending` protocol kind: reads `params:` (close_factor and the listed assets' reserve
// parameters, defaulting to the spec's table) and builds an Aave v2 style LendingPool.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/lending/lending_pool.hpp"
#include "protocols/lending/params.hpp"

namespace shardsim::app {
namespace {

using protocols::i128;
using protocols::kWadUnit;
namespace lending = protocols::lending;

struct LendingKindParams final : ProtocolParams {
  lending::LendingParams params;
};

constexpr std::string_view kRatioExpected = "a ratio, e.g. 80%, 0.8 or 1/3";
constexpr std::string_view kAssetExpected = "an asset declared under assets:, e.g. ETH";
constexpr std::string_view kReserveRules =
    "0 < u_opt < 1, ltv <= liq_threshold <= 1, bonus >= 1, liq_threshold * bonus <= 1, reserve_factor < 1";


// One `assets.SYMBOL` entry: every field optional when the spec has defaults for the symbol.
lending::ReserveParams read_reserve(const MapReader::Item& item, std::uint32_t asset) {
  const std::optional<lending::ReserveParams> defaults = lending::spec_default_reserve(item.key);
  lending::ReserveParams p = defaults.value_or(lending::ReserveParams{});
  p.asset = asset;
  if (item.value.node().IsNull() && defaults) return p;
  MapReader m(item.value, "a map of reserve parameters, e.g. {ltv: 80%, liq_threshold: 85%}", keys::section("lending_reserve"));
  const std::pair<const char*, i128 lending::ReserveParams::*> fields[] = {
      {"u_opt", &lending::ReserveParams::u_opt_wad},   {"base", &lending::ReserveParams::base_wad},
      {"slope1", &lending::ReserveParams::slope1_wad}, {"slope2", &lending::ReserveParams::slope2_wad},
      {"ltv", &lending::ReserveParams::ltv_wad},       {"liq_threshold", &lending::ReserveParams::liq_threshold_wad},
      {"bonus", &lending::ReserveParams::bonus_wad},   {"reserve_factor", &lending::ReserveParams::reserve_factor_wad},
  };
  for (const auto& [key, member] : fields) {
    if (const auto f = m.optional(key)) {
      p.*member = f->ratio_wad(Sign::non_negative);
    } else if (!defaults) {
      m.required(key, kRatioExpected);  // fails: no default for this asset
    }
  }
  m.finish();
  if (const auto error = lending::reserve_params_error(p)) item.value.fail(*error, kReserveRules);
  return p;
}

std::shared_ptr<const ProtocolParams> read_lending_params(const Field* params, const Topology& topology) {
  auto out = std::make_shared<LendingKindParams>();
  lending::LendingParams& lp = out->params;
  std::optional<Field> assets;
  if (params) {
    MapReader m(*params, "a map", keys::section("lending"));
    if (const auto f = m.optional("close_factor")) {
      lp.close_factor_wad = f->ratio_wad(Sign::positive);
      if (lp.close_factor_wad > kWadUnit)
        f->fail("close_factor must be at most 100%", "a ratio in (0, 100%], e.g. 50%");
    }
    assets = m.optional("assets");
    m.finish();
  }
  if (assets) {
    MapReader am(*assets, "a map of listed assets, e.g. {ETH: {}, USDC: {ltv: 80%}}");
    const auto items = am.items();
    if (items.empty()) assets->fail("no asset listed", "a map of listed assets, e.g. {ETH: {}, USDC: {ltv: 80%}}");
    for (const MapReader::Item& item : items) {
      const auto index = topology.asset_index(item.key);
      if (!index) item.key_field.fail("unknown asset " + quote(item.key), kAssetExpected);
      for (const lending::ReserveParams& seen : lp.reserves) {
        if (seen.asset == *index) item.key_field.fail("asset " + quote(item.key) + " listed twice", kAssetExpected);
      }
      lp.reserves.push_back(read_reserve(item, *index));
    }
  } else {
    // Every topology asset the spec has defaults for, in topology order.
    for (std::size_t i = 0; i < topology.assets.size(); ++i) {
      if (auto d = lending::spec_default_reserve(topology.assets[i].symbol)) {
        d->asset = static_cast<protocols::AssetId>(i);
        lp.reserves.push_back(*d);
      }
    }
    if (lp.reserves.empty() && params) {
      params->fail("no asset to list: none of the topology's assets has default lending parameters",
                   "an assets: map, e.g. assets: {ETH: {}, LINK: {u_opt: 45%, ...}}");
    }
  }
  return out;
}

}  // namespace

ProtocolKind lending_kind() {
  ProtocolKind k;
  k.kind = "lending";
  k.read_params = read_lending_params;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry& registry) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = dynamic_cast<const LendingKindParams&>(params);
    return std::make_unique<lending::LendingPool>(p.params, name, account, registry);
  };
  for (auto& [op, args] : lending::LendingPool::op_list()) k.ops.push_back(ProtocolOp{op, args});
  return k;
}

}  // namespace shardsim::app
