// Tests broker/ledger: double-entry postings keep every asset's balances summing to exactly 0,
// the sign convention (assets +, claims -), deterministic key-order iteration, the audit, the
// journal, and that a posting across two assets is an invariant breach.
#include "broker/ledger.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/rng.hpp"

namespace shardsim::broker {
namespace {

using Book = BrokerLedger::Book;
using Key = BrokerLedger::Key;

constexpr protocols::AssetId kUsdc = 0, kBtc = 1;
core::Amount units(core::i128 v) { return core::Amount::units(v); }

TEST(BrokerLedger, UntouchedKeysAreZeroAndEmptyBooksAudit) {
  BrokerLedger l;
  EXPECT_EQ(l.balance({Book::custody, 0, kUsdc}), units(0));
  EXPECT_EQ(l.sum(kUsdc), units(0));
  EXPECT_EQ(l.postings(), 0u);
  EXPECT_FALSE(l.audit().has_value());
}

TEST(BrokerLedger, DepositMakesCustodyPositiveAndTheClientClaimNegative) {
  BrokerLedger l;
  const Key client{Book::client, 7, kUsdc}, custody{Book::custody, 0, kUsdc};
  l.move(client, custody, units(100'000'000), "deposit");
  EXPECT_EQ(l.balance(custody), units(100'000'000));
  EXPECT_EQ(l.balance(client), units(-100'000'000));
  EXPECT_EQ(l.claim(client), units(100'000'000));
  EXPECT_EQ(l.sum(kUsdc), units(0));
  EXPECT_EQ(l.postings(), 1u);

  // Post 40 to a venue, then a fee of 1 from the client into fee income.
  const Key venue{Book::venue, 2, kUsdc}, fees{Book::fees, 0, kUsdc};
  l.move(custody, venue, units(40'000'000), "post margin");
  l.move(fees, client, units(1'000'000), "fee");
  EXPECT_EQ(l.balance(custody), units(60'000'000));
  EXPECT_EQ(l.balance(venue), units(40'000'000));
  EXPECT_EQ(l.claim(client), units(99'000'000));
  EXPECT_EQ(l.claim(fees), units(1'000'000));
  EXPECT_EQ(l.sum(kUsdc), units(0));
  EXPECT_EQ(l.postings(), 3u);
  EXPECT_FALSE(l.audit().has_value());
}

TEST(BrokerLedger, NegativeAndZeroAmountsArePostings) {
  BrokerLedger l;
  const Key a{Book::trading, 0, kBtc}, b{Book::custody, 0, kBtc};
  l.move(a, b, units(-5), "reverse");
  EXPECT_EQ(l.balance(a), units(5));
  EXPECT_EQ(l.balance(b), units(-5));
  l.move(a, b, units(0), "nothing");
  EXPECT_EQ(l.postings(), 2u);
  l.move(a, a, units(9), "self");
  EXPECT_EQ(l.balance(a), units(5));
  EXPECT_EQ(l.sum(kBtc), units(0));
}

TEST(BrokerLedger, AssetsAreKeptApart) {
  BrokerLedger l;
  l.move({Book::client, 1, kUsdc}, {Book::custody, 0, kUsdc}, units(10), "usdc");
  l.move({Book::client, 1, kBtc}, {Book::custody, 0, kBtc}, units(3), "btc");
  EXPECT_EQ(l.balance({Book::custody, 0, kUsdc}), units(10));
  EXPECT_EQ(l.balance({Book::custody, 0, kBtc}), units(3));
  EXPECT_EQ(l.sum(kUsdc), units(0));
  EXPECT_EQ(l.sum(kBtc), units(0));
}

TEST(BrokerLedger, ForEachVisitsKeysInBookOwnerAssetOrder) {
  BrokerLedger l;
  l.move({Book::client, 2, kBtc}, {Book::venue, 1, kBtc}, units(1), "a");
  l.move({Book::client, 1, kUsdc}, {Book::custody, 0, kUsdc}, units(2), "b");
  l.move({Book::client, 1, kBtc}, {Book::custody, 0, kBtc}, units(3), "c");
  l.move({Book::capital, 0, kUsdc}, {Book::custody, 0, kUsdc}, units(4), "d");
  std::vector<Key> keys;
  l.for_each([&](const Key& k, core::Amount) { keys.push_back(k); });
  const std::vector<Key> want = {
      {Book::custody, 0, kUsdc}, {Book::custody, 0, kBtc}, {Book::venue, 1, kBtc},  {Book::client, 1, kUsdc},
      {Book::client, 1, kBtc},   {Book::client, 2, kBtc},  {Book::capital, 0, kUsdc},
  };
  EXPECT_EQ(keys, want);
}

TEST(BrokerLedger, ForEachKeepsKeysBackAtZero) {
  BrokerLedger l;
  const Key a{Book::custody, 0, kUsdc}, t{Book::in_transit, 0, kUsdc};
  l.move(a, t, units(5), "send");
  l.move(t, a, units(5), "receipt");
  int visited = 0;
  l.for_each([&](const Key&, core::Amount v) {
    ++visited;
    EXPECT_EQ(v, units(0));
  });
  EXPECT_EQ(visited, 2);
}

TEST(BrokerLedger, JournalKeepsPostingsWithMemosWhenOn) {
  BrokerLedger l;
  const Key a{Book::client, 0, kUsdc}, b{Book::custody, 0, kUsdc};
  l.move(a, b, units(1), "before");
  l.set_journal(true);
  l.move(a, b, units(2), "deposit 2");
  ASSERT_EQ(l.journal().size(), 1u);
  EXPECT_EQ(l.journal()[0].memo, "deposit 2");
  EXPECT_EQ(l.journal()[0].amount, units(2));
  EXPECT_EQ(l.journal()[0].from, a);
  EXPECT_EQ(l.journal()[0].to, b);
}

TEST(BrokerLedger, RandomPostingsAlwaysSumToZero) {
  core::Rng rng(20240611);
  BrokerLedger l;
  for (int i = 0; i < 5'000; ++i) {
    const auto asset = static_cast<protocols::AssetId>(rng.uniform_index(3));
    const Key from{static_cast<Book>(rng.uniform_index(11)), static_cast<std::uint32_t>(rng.uniform_index(4)), asset};
    const Key to{static_cast<Book>(rng.uniform_index(11)), static_cast<std::uint32_t>(rng.uniform_index(4)), asset};
    // Up to ~1e30 units: WAD amounts of a trillion tokens.
    const core::i128 amount =
        static_cast<core::i128>(rng.uniform_int(-1'000'000'000'000LL, 1'000'000'000'000LL)) * 1'000'000'000'000'000'000LL;
    l.move(from, to, units(amount), "random");
  }
  EXPECT_EQ(l.postings(), 5'000u);
  for (protocols::AssetId a = 0; a < 3; ++a) EXPECT_EQ(l.sum(a), units(0));
  EXPECT_FALSE(l.audit().has_value());
  core::Amount total;
  l.for_each([&](const Key&, core::Amount v) { total += v; });
  EXPECT_EQ(total, units(0));
}

TEST(BrokerLedger, BookNamesAreStable) {
  EXPECT_EQ(to_string(Book::custody), "custody");
  EXPECT_EQ(to_string(Book::client_fund), "client_fund");
  EXPECT_EQ(to_string(Book::socialised), "socialised");
}

TEST(BrokerLedgerDeath, PostingAcrossAssetsIsAnInvariantBreach) {
  EXPECT_DEATH(
      {
        BrokerLedger l;
        l.move({Book::client, 0, kUsdc}, {Book::custody, 0, kBtc}, units(1), "wrong");
      },
      "one asset");
}

}  // namespace
}  // namespace shardsim::broker
