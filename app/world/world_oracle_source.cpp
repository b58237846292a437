// A DEX-priced oracle feed: the price of each asset of an AMM pair is the pool's reserve ratio
// times the other asset's true price, read on the pool's own LP when the keeper looks.
#include <stdexcept>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {

std::function<std::optional<double>(protocols::AssetId)> World::amm_price_reader(std::uint32_t shard,
                                                                                const std::string& protocol) const {
  const ShardSpec& spec = topology_.shards[shard];
  std::size_t index = spec.protocols.size();
  for (std::size_t p = 0; p < spec.protocols.size(); ++p) {
    if (spec.protocols[p].name == protocol && spec.protocols[p].kind == "amm") index = p;
  }
  if (index == spec.protocols.size()) {
    // The loader rejects such a source (load_shards_links.cpp): reaching this is a defect.
    throw std::logic_error("oracle source \"" + protocol + "\" on shard " + spec.id + " is not an AMM there");
  }
  const shards::Shard* s = shards_[shard].get();
  const agents::PricePath* truth = prices_.get();
  const core::Engine* engine = engine_.get();
  const std::vector<AssetSpec>* assets = &topology_.assets;
  return [s, index, truth, engine, assets](protocols::AssetId asset) -> std::optional<double> {
    const protocols::ProtocolSnapshot snap = s->protocols()[index]->snapshot(s->host());
    const std::string mine = "reserve." + (*assets)[asset].symbol;
    std::optional<double> own, other;
    protocols::AssetId other_asset = 0;
    for (const auto& [key, value] : snap.values) {
      if (key == mine) {
        own = value;
      } else if (key.rfind("reserve.", 0) == 0) {
        other = value;
        for (protocols::AssetId a = 0; a < assets->size(); ++a) {
          if ("reserve." + (*assets)[a].symbol == key) other_asset = a;
        }
      }
    }
    if (!own || !other || *own <= 0 || *other <= 0) return std::nullopt;
    return *other / *own * truth->price(other_asset, engine->now());
  };
}

}  // namespace shardsim::app
