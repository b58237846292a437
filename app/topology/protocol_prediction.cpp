// Models how a topology deploys the prediction-market protocol (kind `prediction`): its
// `params:` with the spec's defaults, its script operations, and how an instance is built.
#include <memory>
#include <string>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::app {
namespace {

namespace pm = protocols::prediction;

constexpr std::string_view kAssetExpected = "an asset symbol declared under assets:, e.g. USDC";
constexpr std::string_view kAmountExpected = "a positive amount in whole units of the collateral, e.g. 1000 or 1.5k";

struct PredictionKindParams final : ProtocolParams {
  pm::Params params;
};

// A positive collateral amount under `key`, or `fallback` (whole units) when absent.
core::Amount read_amount(MapReader& m, std::string_view key, std::string_view fallback, int decimals) {
  const auto field = m.optional(key);
  if (!field) return *core::Amount::parse(fallback, decimals);
  const std::string text = field->scalar(kAmountExpected);
  const auto amount = core::Amount::parse(text, decimals);
  if (!amount) field->fail("invalid amount " + quote(text), kAmountExpected);
  if (amount->raw() <= 0) field->fail("amount " + quote(text) + " must be positive", kAmountExpected);
  return *amount;
}

std::shared_ptr<const ProtocolParams> read_params(const Field* params, const Topology& topology) {
  auto out = std::make_shared<PredictionKindParams>();
  if (params == nullptr) {
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) {
      throw TopologyError(topology.file, 0, 0, "params.collateral",
                          "the default collateral \"USDC\" is not a declared asset", std::string(kAssetExpected));
    }
    out->params = pm::Params::defaults(*usdc, topology.assets[*usdc].decimals);
    return out;
  }
  MapReader m(*params, "a map", keys::section("prediction"));
  std::uint32_t collateral = 0;
  if (const auto field = m.optional("collateral")) {
    const std::string symbol = field->text(kAssetExpected);
    const auto index = topology.asset_index(symbol);
    if (!index) field->fail("unknown asset " + quote(symbol), kAssetExpected);
    collateral = *index;
  } else {
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) {
      m.field().fail("the default collateral \"USDC\" is not a declared asset; set collateral:", kAssetExpected);
    }
    collateral = *usdc;
  }
  const int decimals = topology.assets[collateral].decimals;
  pm::Params& p = out->params;
  p = pm::Params::defaults(collateral, decimals);
  p.b = read_amount(m, "b", "1000", decimals);
  const double creator_fee = m.optional_ratio("creator_fee", 0.01, Sign::non_negative);
  const double reporting_fee = m.optional_ratio("reporting_fee", 0.005, Sign::non_negative);
  if (creator_fee + reporting_fee >= 1.0) {
    m.fail_key(m.has("reporting_fee") ? "reporting_fee" : "creator_fee",
               "creator_fee + reporting_fee must be below 100%", "fees that leave winners a positive payout");
  }
  p.creator_fee_wad = protocols::double_to_wad(creator_fee);
  p.reporting_fee_wad = protocols::double_to_wad(reporting_fee);
  p.fork_threshold = read_amount(m, "fork_threshold", "100000", decimals);
  p.dispute_window = m.optional_duration("dispute_window", core::Duration::h(24));
  p.designated_report_window = m.optional_duration("designated_report_window", core::Duration::h(24));
  p.fork_freeze = m.optional_duration("fork_freeze", core::Duration::d(60));
  p.report_bond = read_amount(m, "report_bond", "10", decimals);
  m.finish();
  return out;
}

}  // namespace

ProtocolKind prediction_kind() {
  ProtocolKind k;
  k.kind = "prediction";
  k.read_params = read_params;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry&) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = dynamic_cast<const PredictionKindParams&>(params);
    return std::make_unique<pm::PredictionProtocol>(p.params, name, account);
  };
  for (auto& [op, keys] : pm::operation_specs()) k.ops.push_back(ProtocolOp{op, keys});
  return k;
}

}  // namespace shardsim::app
