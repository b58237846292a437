// The broker's final-state digest: ledger, client positions and hedges with their exact WAD entry
// prices (the double copies of those are estimates and stay out).
#include "broker/book_digest.hpp"

namespace shardsim::broker {

void digest_book(core::StateDigest& d, const ClearingBook& book) {
  std::uint64_t keys = 0;
  book.ledger().for_each([&](const BrokerLedger::Key& key, core::Amount amount) {
    d.u64(static_cast<std::uint64_t>(key.book));
    d.u64(key.owner);
    d.u64(key.asset);
    d.amount(amount);
    ++keys;
  });
  d.u64(keys);
  d.u64(book.clients());
  for (std::size_t c = 0; c < book.clients(); ++c) {
    const Client& client = book.client(c);
    d.str(client.name);
    d.u64(client.positions.size());
    for (const ClientPosition& p : client.positions) {
      d.u64(p.instrument);
      d.int128(p.qty_wad);
      d.int128(p.entry_mark_wad);
    }
  }
  d.u64(book.hedges().size());
  for (const HedgeHolding& h : book.hedges()) {
    d.int128(h.qty_wad);
    d.int128(h.inflight_wad);
    d.int128(h.entry_wad);
  }
}

}  // namespace shardsim::broker
