// The run fingerprint: the engine's event and outcome hash combined with a canonical digest of
// the final state, so two runs that end in different states never print the same fingerprint.
#include "app/world/world.hpp"
#include "broker/book_digest.hpp"
#include "core/fingerprint.hpp"
#include "core/state_digest.hpp"

namespace shardsim::app {
namespace {

void digest_shard(core::StateDigest& d, const shards::Shard& s) {
  d.str(s.config().name);
  d.u64(s.height());
  const auto balances = s.ledger().sorted_balances();  // by (account, asset)
  d.u64(balances.size());
  for (const auto& [account, asset, amount] : balances) {
    d.u64(account);
    d.u64(asset);
    d.amount(amount);
  }
  for (protocols::AssetId a = 0; a < s.ledger().asset_count(); ++a) {
    const shards::AssetFlows& f = s.ledger().flows(a);
    for (const core::Amount x : {f.minted, f.burned, f.held, f.sent_out, f.received}) d.amount(x);
  }
  for (const shards::OracleValue& o : s.oracles()) {
    d.int128(o.price_wad);
    d.i64(o.updated_at_us);
    d.u64(o.round);
  }
  d.u64(s.protocols().size());
  for (const auto& p : s.protocols()) {
    d.str(p->kind());
    d.str(p->name());
    p->digest(d, s.host());
  }
}

}  // namespace

std::uint64_t World::final_state_digest() const {
  core::StateDigest d;
  d.u64(shards_.size());
  for (const auto& s : shards_) digest_shard(d, *s);
  d.u64(brokers_.size());
  for (const auto& b : brokers_) {
    d.str(b->config().name);
    broker::digest_book(d, b->book());
  }
  digest_clearing(d);  // world_clearing.cpp: nothing without clearing cycles
  return d.value();
}

std::uint64_t World::fingerprint() const {
  return core::fingerprint_combine(engine_->fingerprint(), final_state_digest());
}

}  // namespace shardsim::app
