// Models what the loader must know of built protocols before any world exists: that each
// protocol entry can be built from its params, and which instruments the brokers clear. Each
// protocol is built once against a stand-in shard at genesis (no balances, no oracle yet) and
// asked for its instruments, with the rule the world's brokers use (app/world/world_brokers.cpp):
// an instrument with price deltas or an outcome claim (also those the script's operations add, such
// as a market's outcome shares: app/topology/protocol_offer.hpp), and the own instrument of each
// hedge venue it offers (`uni.ETH`).
#include <algorithm>
#include <stdexcept>

#include "app/topology/loader_sections.hpp"
#include "app/topology/protocol_offer.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "protocols/api/hedge_venue.hpp"

namespace shardsim::app::loader {
namespace {

// A shard at genesis: names come from the registry; nothing is held, nothing has a price.
class GenesisShard final : public protocols::ShardContext {
 public:
  explicit GenesisShard(const protocols::Registry& registry) : registry_(registry) {}
  core::SimTime now() const override { return core::SimTime::zero(); }
  std::uint64_t block_height() const override { return 0; }
  core::Amount balance(protocols::AccountId, protocols::AssetId) const override { return {}; }
  bool transfer(protocols::AccountId, protocols::AccountId, protocols::AssetId, core::Amount) override { return false; }
  void mint(protocols::AccountId, protocols::AssetId, core::Amount) override {}
  bool burn(protocols::AccountId, protocols::AssetId, core::Amount) override { return false; }
  std::optional<protocols::i128> oracle_price_wad(protocols::AssetId) const override { return std::nullopt; }
  std::optional<protocols::AssetId> asset(std::string_view symbol) const override { return registry_.asset(symbol); }
  const std::string& asset_symbol(protocols::AssetId a) const override { return registry_.asset_symbol(a); }
  int decimals(protocols::AssetId a) const override { return registry_.decimals(a); }
  std::optional<protocols::AccountId> account(std::string_view name) const override { return registry_.account(name); }
  const std::string& account_name(protocols::AccountId a) const override { return registry_.account_name(a); }

 private:
  const protocols::Registry& registry_;
};

protocols::Registry assets_registry(const Topology& topology) {
  protocols::Registry registry;
  for (const AssetSpec& a : topology.assets) registry.add_asset(a.symbol, a.decimals);
  return registry;
}

std::unique_ptr<protocols::Protocol> build(const ProtocolSpec& spec, protocols::Registry& registry) {
  const ProtocolKind* kind = find_protocol_kind(spec.kind);
  return kind->make(*spec.params, spec.name, registry.intern("protocol:" + spec.name), registry);
}

}  // namespace

void check_protocol_builds(const Field& entry, const ProtocolSpec& spec, const Topology& topology) {
  protocols::Registry registry = assets_registry(topology);
  try {
    (void)build(spec, registry);
  } catch (const std::invalid_argument& e) {
    entry.fail("protocol " + quote(spec.name) + " cannot be built: " + e.what(),
               "params the " + spec.kind + " protocol accepts");
  }
}

std::vector<std::string> cleared_instruments(const Topology& topology) {
  protocols::Registry registry = assets_registry(topology);
  const GenesisShard shard(registry);
  std::vector<std::string> ids;
  for (std::uint32_t s = 0; s < topology.shards.size(); ++s) {
    for (std::uint32_t p = 0; p < topology.shards[s].protocols.size(); ++p) {
      const auto protocol = build(topology.shards[s].protocols[p], registry);
      const ProtocolOffer offer = protocol_offer(*protocol, shard, topology, s, p);
      if (!offer.cleared()) continue;
      for (const auto& venue : offer.venues) {
        if (const auto own = venue->own_instrument()) ids.push_back(own->id);
      }
      for (const protocols::InstrumentDescriptor& d : offer.instruments) {
        if (d.cleared()) ids.push_back(d.id);
      }
    }
  }
  return ids;
}

void Refs::require_cleared_instrument(const Field& field, const std::string& id) const {
  if (deferred_ != nullptr) {
    deferred_->emplace_back(field, id);
    return;
  }
  if (!cleared_) cleared_ = cleared_instruments(*topology_);
  if (std::find(cleared_->begin(), cleared_->end(), id) != cleared_->end()) return;
  const std::vector<std::string_view> names(cleared_->begin(), cleared_->end());
  field.fail("unknown instrument " + quote(id) + " (or one the brokers do not clear)",
             names.empty() ? std::string("an instrument of a protocol the brokers clear (this topology has none)")
                           : "one of: " + name_list(names));
}

}  // namespace shardsim::app::loader
