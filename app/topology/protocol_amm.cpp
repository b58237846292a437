// Models the topology side of the `amm` kind (Uniswap v2 pool): reading `params: {pair: [A, B],
// fee: 0.3%}`, the ops and argument keys a script may use, and building the pool.
#include <cmath>
#include <memory>
#include <string>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/amm/amm_pool.hpp"

namespace shardsim::app {
namespace {

namespace amm = protocols::amm;

constexpr std::string_view kPairExpected = "a list of two different asset symbols, e.g. [ETH, USDC]";
constexpr std::string_view kFeeExpected = "a ratio in [0, 1), e.g. 0.3%";
constexpr double kDefaultFee = 0.003;

struct AmmParams final : ProtocolParams {
  std::string symbol_a;
  std::string symbol_b;
  std::uint32_t index_a = 0;  // into Topology::assets
  std::uint32_t index_b = 0;
  amm::FeeFraction fee;
};

std::shared_ptr<const ProtocolParams> read_amm_params(const Field* params, const Topology& topology) {
  if (params == nullptr) {
    // No `params:` at all: the pair is required. There is no node to point at, so the error
    // names the key path without a position.
    const ReadContext where{topology.file, ""};
    Field(YAML::Node(), "params", YAML::Mark::null_mark(), where).fail("missing required key \"pair\"", kPairExpected);
  }
  MapReader m(*params, "a map", keys::section("amm"));
  auto out = std::make_shared<AmmParams>();

  const Field pair = m.required("pair", kPairExpected);
  const std::vector<Field> items = pair.items(kPairExpected);
  if (items.size() != 2) pair.fail("got " + std::to_string(items.size()) + " assets", kPairExpected);
  std::string symbols[2];
  std::uint32_t indexes[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    symbols[i] = items[i].text("an asset symbol");
    const auto index = topology.asset_index(symbols[i]);
    if (!index) items[i].fail("unknown asset " + quote(symbols[i]), "an asset declared under assets:");
    indexes[i] = *index;
  }
  if (symbols[0] == symbols[1]) items[1].fail("the pair names " + quote(symbols[1]) + " twice", kPairExpected);
  out->symbol_a = symbols[0];
  out->symbol_b = symbols[1];
  out->index_a = indexes[0];
  out->index_b = indexes[1];

  const double fee = m.optional_ratio("fee", kDefaultFee, Sign::non_negative);
  if (!(fee < 1.0)) m.fail_key("fee", "a fee of 100% or more lets nothing through", kFeeExpected);
  // Parts per billion, to nearest: 0.3% becomes exactly 3/1000 (Uniswap's 997/1000).
  const auto ppb = static_cast<std::int64_t>(std::llround(fee * static_cast<double>(amm::kPartsPerBillion)));
  if (ppb >= amm::kPartsPerBillion) m.fail_key("fee", "a fee this close to 100% lets nothing through", kFeeExpected);
  out->fee = amm::fee_from_ppb(ppb);

  m.finish();
  return out;
}

std::unique_ptr<protocols::Protocol> make_amm(const ProtocolParams& params, const std::string& name,
                                              protocols::AccountId account, const protocols::Registry& registry) {
  const auto& p = dynamic_cast<const AmmParams&>(params);
  amm::AmmConfig config;
  // Asset ids follow topology order; resolve by symbol all the same.
  config.asset_a = registry.asset(p.symbol_a).value_or(p.index_a);
  config.asset_b = registry.asset(p.symbol_b).value_or(p.index_b);
  config.fee = p.fee;
  return std::make_unique<amm::AmmPool>(name, account, config);
}

}  // namespace

ProtocolKind amm_kind() {
  ProtocolKind k;
  k.kind = "amm";
  k.read_params = read_amm_params;
  k.make = make_amm;
  for (auto& [op, keys] : amm::AmmPool::op_list()) k.ops.push_back(ProtocolOp{op, keys});
  return k;
}

}  // namespace shardsim::app
