// Builds and audits an issuing broker's stake at the synthetics protocol it issues: at genesis the
// world mints the configured collateral to the broker's account on that protocol's shard (one
// account id on every shard) and applies the protocol's `stake` for it, so the broker is a staker
// behind the debt pool from the first block. The audit compares the broker's issuer books with
// that shard: the collateral the protocol holds for it and the sUSD its account there holds.
#include <stdexcept>

#include "app/world/world.hpp"
#include "broker/ledger.hpp"

namespace shardsim::app {

void World::stake_issuer_genesis(const broker::BrokerConfig& cfg, protocols::AccountId account) {
  const broker::IssuerConfig& c = *cfg.issuer;
  shards::Shard& shard = *shards_[c.shard];
  shard.ledger().mint(account, c.collateral, c.stake);  // genesis
  const std::vector<protocols::TxArg> args{{"amount", c.stake.str(topology_.assets[c.collateral].decimals)}};
  const protocols::OpResult r = shard.protocols()[c.protocol]->apply(shard.host(), account, "stake", protocols::OpArgs(args));
  if (!r.ok) throw std::logic_error("broker " + cfg.name + ": genesis stake at " + cfg.issuer_of + " reverted: " + r.reason);
}

std::optional<std::string> World::issuer_audit(const broker::Broker& br) const {
  const broker::BrokerConfig& cfg = br.config();
  if (!broker::issues_synths(cfg)) return std::nullopt;
  const broker::IssuerConfig& c = *cfg.issuer;
  const shards::Shard& shard = *shards_[c.shard];
  const protocols::AccountId account = br.home_accounts().front();
  const broker::BrokerLedger& ledger = br.book().ledger();
  const core::Amount staked_books = ledger.balance(broker::LedgerKey{broker::LedgerBook::issuer, 0, c.collateral});
  const protocols::SyntheticsQuery* q = shard.protocols()[c.protocol]->queries().synthetics;
  const std::optional<protocols::StakerView> v = q ? q->staker(shard.host(), account) : std::nullopt;
  const core::Amount staked_chain = core::Amount::units(v ? v->collateral : 0);
  const int dc = topology_.assets[c.collateral].decimals;
  if (staked_books != staked_chain) {
    return "issuer stake at " + cfg.issuer_of + " is " + staked_books.str(dc) + " on the books but " + staked_chain.str(dc) +
           " on chain";
  }
  // sUSD at home mixes with custody; a claim on its way is on chain before it is on the books.
  if (c.shard == cfg.home_shard || !br.issuer_settled()) return std::nullopt;
  const core::Amount susd_books = ledger.balance(broker::LedgerKey{broker::LedgerBook::issuer, 1, c.susd});
  const core::Amount susd_chain = shard.ledger().balance(account, c.susd);
  if (susd_books != susd_chain) {
    const int ds = topology_.assets[c.susd].decimals;
    return "issuer sUSD on " + topology_.shards[c.shard].id + " is " + susd_books.str(ds) + " on the books but " +
           susd_chain.str(ds) + " on chain";
  }
  return std::nullopt;
}

}  // namespace shardsim::app
