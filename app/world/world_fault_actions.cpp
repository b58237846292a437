// Runs the faults that happen at one instant, each on the LP that owns what it touches:
// - protocol_insolvency: an exploit drains floor(balance x loss) of every token the protocol's
//   account holds to `exploiter:<protocol>`, through the protocol shard's ledger (a transfer, so
//   money is conserved; the protocol finds its account short from then on);
// - broker_default: the broker's capital is wiped and it is declared insolvent, on its home
//   shard's LP, where the broker lives.
// Both are logged by their shard's fault log (world_faults.cpp).
#include <cmath>
#include <string>

#include "app/world/world.hpp"
#include "core/actor.hpp"
#include "core/assert.hpp"
#include "protocols/api/fixed_point.hpp"

namespace shardsim::app {
namespace {

// A share in (0, 1] as WAD, from the loader's double: exact for shares written with up to nine
// decimals (30%, 12.5%, 0.333333333).
core::i128 share_wad(double share) {
  SHARDSIM_ASSERT(share > 0);
  SHARDSIM_ASSERT(share <= 1);
  constexpr std::int64_t kNano = 1'000'000'000;
  return static_cast<core::i128>(std::llround(share * static_cast<double>(kNano))) * kNano;
}

// Moves floor(balance x loss) of every asset `from` holds on the shard to `to`.
void drain(shards::Shard& shard, protocols::AccountId from, protocols::AccountId to, core::i128 loss_wad) {
  shards::Ledger& ledger = shard.ledger();
  for (protocols::AssetId asset = 0; asset < ledger.asset_count(); ++asset) {
    const core::i128 held = ledger.balance(from, asset).raw();
    if (held <= 0) continue;
    const core::i128 taken = protocols::mul_div(held, loss_wad, protocols::kWadUnit);
    if (taken == 0) continue;
    SHARDSIM_ASSERT(ledger.transfer(from, to, asset, core::Amount::units(taken)));
  }
}

}  // namespace

void World::build_fault_actions() {
  for (std::size_t index = 0; index < topology_.faults.size(); ++index) {
    const FaultSpec& f = topology_.faults[index];
    const std::string name = "fault:" + std::to_string(index);
    if (f.kind == FaultKind::protocol_insolvency) {
      shards::Shard* shard = shards_[f.shard].get();
      const protocols::AccountId pool = *registry_.account("protocol:" + f.protocol);
      const protocols::AccountId exploiter = *registry_.account("exploiter:" + f.protocol);
      const core::i128 loss_wad = share_wad(f.loss);
      engine_->add_actor(
          shard_lps_[f.shard], name + ":protocol_insolvency:" + f.protocol,
          [shard, pool, exploiter, loss_wad](core::Actor&) { drain(*shard, pool, exploiter, loss_wad); }, f.at);
    }
    if (f.kind == FaultKind::broker_default) {
      broker::Broker* b = brokers_[f.broker].get();
      engine_->add_actor(shard_lps_[b->config().home_shard], name + ":broker_default:" + b->config().name,
                         [b](core::Actor&) { b->force_default(); }, f.at);
    }
  }
}

}  // namespace shardsim::app
