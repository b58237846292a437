// Models the prime broker's double-entry books: signed balances per (book, owner, asset) whose
// sum per asset is always exactly 0, so every unit the broker holds is owed to somebody.
//
// Sign convention:
// - assets the broker holds are positive: custody (tokens on its home shard), venue (value
//   posted at a hedge venue), in_transit (value inside a saga's messages);
// - claims on the broker are negative: client (a client's collateral), client_fund (a client's
//   default-fund contribution), capital (broker equity), default_fund, fees (fee income) and
//   trading (realised house P&L) are equity-like, so income makes them more negative;
// - bad_debt / socialised record absorbed losses: a loss written off into them is positive;
// - clearing is the broker's net position against the clearing cycles: > 0 a receivable (its
//   clients were paid by other brokers' clients), < 0 a payable (broker/obligations.hpp);
// - issuer is what an issuing broker holds and owes at the protocol it issues (see the enum).
// `claim(key) = -balance(key)` reads a liability book as a positive claim.
//
// Example: a client deposits 100 USDC -> move({client, c, usdc}, {custody, 0, usdc}, 100):
// custody +100, client -100 (claim 100). Units are the asset's smallest units (core::Amount).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

class BrokerLedger {
 public:
  enum class Book : std::uint8_t {
    custody,       // tokens the broker holds on its home shard (asset)
    venue,         // value posted at a hedge venue, owner = venue index (asset)
    in_transit,    // value in flight in a saga (asset)
    client,        // a client's collateral claim, owner = client index (liability)
    client_fund,   // a client's default-fund contribution, owner = client index (liability)
    capital,       // broker equity (liability)
    default_fund,  // the broker's default fund (liability)
    fees,          // fee income (equity)
    trading,       // realised trading P&L of the house (equity)
    bad_debt,      // losses absorbed as bad debt
    socialised,    // losses socialised
    clearing,      // net owed by (< 0) or to (> 0) the clearing cycles, between brokers (asset)
    // An issuing broker's side at the protocol it issues (broker/issuer.cpp), held on that
    // protocol's shard: owner 0 the staked collateral and 1 the sUSD held (assets); owner 2 the
    // sUSD issued (the debt as issued) and 3 the fees claimed (claims).
    issuer,
  };

  struct Key {
    Book book;
    std::uint32_t owner = 0;
    protocols::AssetId asset = 0;
    auto operator<=>(const Key&) const = default;
  };

  // from -= amount, to += amount (amount may have any sign; 0 still counts as a posting).
  // Both keys must name the same asset. `memo` says why, for the optional journal.
  void move(Key from, Key to, core::Amount amount, std::string_view memo);

  core::Amount balance(Key key) const;  // 0 if never posted to
  core::Amount claim(Key key) const { return -balance(key); }
  core::Amount sum(protocols::AssetId asset) const;  // always 0
  std::size_t postings() const { return postings_; }
  // The first asset (ascending id) whose balances do not sum to 0, described; else nothing.
  std::optional<std::string> audit() const;

  // Visits (Key, Amount) in key order (book, owner, asset): every key ever posted to, including
  // keys whose balance is back at 0.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [key, amount] : balances_) f(key, amount);
  }

  // Journal: when enabled, every later posting is kept with its memo (for debugging and reports;
  // off by default because it allocates per posting).
  struct Posting {
    Key from;
    Key to;
    core::Amount amount;
    std::string memo;
  };
  void set_journal(bool on) { journal_on_ = on; }
  const std::vector<Posting>& journal() const { return journal_; }

 private:
  std::map<Key, core::Amount> balances_;
  std::size_t postings_ = 0;
  bool journal_on_ = false;
  std::vector<Posting> journal_;
};

using LedgerBook = BrokerLedger::Book;
using LedgerKey = BrokerLedger::Key;

std::string_view to_string(BrokerLedger::Book book);

}  // namespace shardsim::broker
