// Models how a topology deploys the options protocol (kind `options`): its `params:` (the cash
// asset, the series it lists, each an asset declared under assets:, settlement, the expiry-price
// timetable, the disputer and the marks' volatility), its script operations, and how an
// instance is built.
#include <memory>
#include <set>
#include <string>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/options/options_protocol.hpp"

namespace shardsim::app {
namespace {

namespace op = protocols::options;

constexpr std::string_view kAssetExpected = "an asset symbol declared under assets:, e.g. USDC";
constexpr std::string_view kSeriesExpected =
    "a map of series, each an asset declared under assets:, e.g. {oETH2000C: {underlying: ETH, strike: 2000, "
    "expiry: 7d, type: call}}";
constexpr std::string_view kStrikeExpected = "a positive strike in the cash asset per underlying, e.g. 2000 or 1850.5";

struct OptionsKindParams final : ProtocolParams {
  op::Params params;
};

std::uint32_t asset_of(const Field& f, const Topology& topology) {
  const std::string symbol = f.text(kAssetExpected);
  const auto index = topology.asset_index(symbol);
  if (!index) f.fail("unknown asset " + quote(symbol), kAssetExpected);
  return *index;
}

op::Series read_series(const MapReader::Item& item, const Topology& topology, std::uint32_t cash) {
  op::Series s;
  s.name = item.key;
  const auto token = topology.asset_index(item.key);
  if (!token) item.key_field.fail("series " + quote(item.key) + " is not a declared asset", kSeriesExpected);
  s.token = *token;
  MapReader m(item.value, kSeriesExpected, keys::section("options_series"));
  s.underlying = asset_of(m.required("underlying", kAssetExpected), topology);
  if (s.underlying == cash || s.underlying == s.token) {
    m.fail_key("underlying", "the underlying must differ from the cash asset and the series", kAssetExpected);
  }
  const Field strike = m.required("strike", kStrikeExpected);
  const std::string text = strike.scalar(kStrikeExpected);
  const auto wad = core::Amount::parse(text, 18);
  if (!wad || wad->raw() <= 0) strike.fail("invalid strike " + quote(text), kStrikeExpected);
  s.strike_wad = wad->raw();
  s.expiry = core::SimTime::zero() + m.required_duration("expiry");
  const std::string type = m.required_string("type");
  if (type != "call" && type != "put") m.fail_key("type", "unknown option type " + quote(type), "call or put");
  s.put = type == "put";
  m.finish();
  return s;
}

std::shared_ptr<const ProtocolParams> read_params(const Field* params, const Topology& topology) {
  if (params == nullptr) {
    throw TopologyError(topology.file, 0, 0, "params.series", "an options protocol lists its series",
                        std::string(kSeriesExpected));
  }
  auto out = std::make_shared<OptionsKindParams>();
  op::Params& p = out->params;
  MapReader m(*params, "a map", keys::section("options"));
  if (const auto field = m.optional("cash")) {
    p.cash = asset_of(*field, topology);
  } else {
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) m.field().fail("the default cash asset \"USDC\" is not a declared asset; set cash:", kAssetExpected);
    p.cash = *usdc;
  }
  const Field series = m.required("series", kSeriesExpected);
  MapReader sm(series, kSeriesExpected);
  std::set<std::string> seen;
  for (const MapReader::Item& item : sm.items()) {
    if (!seen.insert(item.key).second) item.key_field.fail("series " + quote(item.key) + " given twice", "each series once");
    if (item.key == topology.assets[p.cash].symbol) item.key_field.fail("a series cannot be the cash asset", kSeriesExpected);
    p.series.push_back(read_series(item, topology, p.cash));
  }
  if (p.series.empty()) series.fail("no series", kSeriesExpected);
  const std::string settlement = m.optional_string("settlement", "cash");
  if (settlement != "cash" && settlement != "physical") {
    m.fail_key("settlement", "unknown settlement " + quote(settlement), "cash or physical");
  }
  p.settlement = settlement == "cash" ? op::Settlement::cash : op::Settlement::physical;
  p.locking_period = m.optional_duration("locking_period", core::Duration{}, Sign::non_negative);
  p.dispute_window = m.optional_duration("dispute_window", core::Duration::h(2), Sign::non_negative);
  p.exercise_window = m.optional_duration("exercise_window", core::Duration::h(1));
  p.disputer = m.optional_string("disputer", "");
  p.volatility = m.optional_ratio("volatility", 0.8, Sign::positive);
  m.finish();
  return out;
}

}  // namespace

ProtocolKind options_kind() {
  ProtocolKind k;
  k.kind = "options";
  k.read_params = read_params;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry&) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = dynamic_cast<const OptionsKindParams&>(params);
    return std::make_unique<op::OptionsProtocol>(p.params, name, account);
  };
  for (auto& [name, keys] : op::operation_specs()) k.ops.push_back(ProtocolOp{name, keys});
  return k;
}

}  // namespace shardsim::app
