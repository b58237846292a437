// Models how a topology deploys a dark pool (kind `darkpool`): its `params:` (the underlying and
// quote, the maker's Poisson flow of contra orders: rate, size, buy share, time-to-live, seed),
// its script operations, and how an instance is built.
#include <memory>
#include <string>

#include "app/topology/loader_sections.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/darkpool/darkpool.hpp"

namespace shardsim::app {
namespace {

namespace dp = protocols::darkpool;

constexpr std::string_view kAssetExpected = "an asset symbol declared under assets:, e.g. ETH";

struct DarkPoolKindParams final : ProtocolParams {
  dp::Params params;
};

std::uint32_t asset_of(const Field& f, const Topology& topology) {
  const std::string symbol = f.text(kAssetExpected);
  const auto index = topology.asset_index(symbol);
  if (!index) f.fail("unknown asset " + quote(symbol), kAssetExpected);
  return *index;
}

std::shared_ptr<const ProtocolParams> read_params(const Field* params, const Topology& topology) {
  if (params == nullptr) {
    throw TopologyError(topology.file, 0, 0, "params.underlying", "a dark pool names its underlying",
                        "params: {underlying: ETH}");
  }
  auto out = std::make_shared<DarkPoolKindParams>();
  dp::Params& p = out->params;
  MapReader m(*params, "a map such as {underlying: ETH, quote: USDC, maker: mm, contra_every: 1m, contra_size: 20}",
              keys::section("darkpool"));
  p.underlying = asset_of(m.required("underlying", kAssetExpected), topology);
  if (const auto f = m.optional("quote")) {
    p.quote = asset_of(*f, topology);
  } else {
    const auto usdc = topology.asset_index("USDC");
    if (!usdc) m.field().fail("the default quote asset \"USDC\" is not a declared asset; set quote:", kAssetExpected);
    p.quote = *usdc;
  }
  if (p.quote == p.underlying) m.fail_key("underlying", "the underlying must differ from the quote asset", kAssetExpected);
  p.maker = m.optional_string("maker", "");
  p.contra_every = m.optional_duration("contra_every", core::Duration{}, Sign::non_negative);
  if (const auto f = m.optional("contra_size")) p.contra_size = loader::read_amount(*f, topology.assets[p.underlying], Sign::positive);
  const bool flow = p.contra_every > core::Duration{};
  if (flow && (p.maker.empty() || p.contra_size.raw() <= 0)) {
    m.fail_key("contra_every", "a contra flow needs the maker that funds it and an order size",
               "maker: ACCOUNT and contra_size: AMOUNT beside contra_every");
  }
  p.contra_buy_share = m.optional_ratio("contra_buy_share", 0.5, Sign::non_negative);
  if (p.contra_buy_share > 1) m.fail_key("contra_buy_share", "a share above 100%", "a ratio in 0..100%");
  p.ttl = m.optional_duration("ttl", core::Duration::min(10));
  p.flow_seed = m.optional_count("flow_seed", 1);
  m.finish();
  return out;
}

}  // namespace

ProtocolKind darkpool_kind() {
  ProtocolKind k;
  k.kind = "darkpool";
  k.read_params = read_params;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry&) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = dynamic_cast<const DarkPoolKindParams&>(params);
    return std::make_unique<dp::DarkPool>(p.params, name, account);
  };
  for (auto& [name, keys] : dp::operation_specs()) k.ops.push_back(ProtocolOp{name, keys});
  return k;
}

}  // namespace shardsim::app
