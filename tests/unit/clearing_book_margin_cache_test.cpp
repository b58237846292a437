// Tests the clearing book's incremental margin (broker/clearing_book.hpp): over a long random
// sequence of orders, price moves, snapshot updates (changed and unchanged), newly linked
// snapshots, latency add-on inputs and liquidations, every client's kept margin equals a
// computation from scratch field by field (exact equality of the doubles) and the book's
// maintenance decision equals the one taken from the scratch margin.
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "broker/clearing_book.hpp"
#include "core/rng.hpp"

namespace shardsim::broker {
namespace {

using protocols::AssetId;
using protocols::InstrumentDescriptor;
using protocols::PriceVector;
using protocols::ProtocolSnapshot;

constexpr AssetId kUsdc = 0, kBtc = 1, kEth = 2;
constexpr std::size_t kClients = 12;

InstrumentDescriptor linear(std::string id, std::string protocol, AssetId a) {
  InstrumentDescriptor d{std::move(id), std::move(protocol), {a}, {1.0}, {}};
  d.revalue = [a](double q, const ProtocolSnapshot&, const PriceVector& p) { return q * p[a]; };
  return d;
}

// A perpetual marked from its protocol's snapshot (value = qty * (price - snapshot mark)).
InstrumentDescriptor perp(std::string id, std::string protocol, AssetId a, std::string key) {
  InstrumentDescriptor d{std::move(id), std::move(protocol), {a}, {1.0}, {}};
  d.revalue = [a, key](double q, const ProtocolSnapshot& s, const PriceVector& p) {
    return q * (p[a] - s.get(key).value_or(p[a]));
  };
  return d;
}

// A two-underlying pool share whose value per unit scales with the snapshot's `k`.
InstrumentDescriptor pool_share() {
  InstrumentDescriptor d{"uni.LP", "uni", {kEth, kUsdc}, {0.5, 1000.0}, {}};
  d.revalue = [](double q, const ProtocolSnapshot& s, const PriceVector& p) {
    return q * s.get("k").value_or(1.0) * (0.5 * p[kEth] + 1000.0 * p[kUsdc]);
  };
  return d;
}

void expect_identical(const MarginResult& kept, const MarginResult& fresh, const std::string& where) {
  ASSERT_EQ(kept.groups.size(), fresh.groups.size()) << where;
  for (std::size_t g = 0; g < kept.groups.size(); ++g) {
    const GroupMargin& a = kept.groups[g];
    const GroupMargin& b = fresh.groups[g];
    EXPECT_EQ(a.underlying, b.underlying) << where;
    EXPECT_EQ(a.legs, b.legs) << where;
    EXPECT_EQ(a.scan_risk, b.scan_risk) << where;
    EXPECT_EQ(a.delta_units, b.delta_units) << where;
    EXPECT_EQ(a.basis_charge, b.basis_charge) << where;
    EXPECT_EQ(a.latency_addon, b.latency_addon) << where;
    EXPECT_EQ(a.credit, b.credit) << where;
  }
  ASSERT_EQ(kept.credits_applied.size(), fresh.credits_applied.size()) << where;
  for (std::size_t c = 0; c < kept.credits_applied.size(); ++c) {
    EXPECT_EQ(kept.credits_applied[c].credit, fresh.credits_applied[c].credit) << where;
  }
  EXPECT_EQ(kept.scan_risk, fresh.scan_risk) << where;
  EXPECT_EQ(kept.basis_charge, fresh.basis_charge) << where;
  EXPECT_EQ(kept.latency_addon, fresh.latency_addon) << where;
  EXPECT_EQ(kept.haircut_addon, fresh.haircut_addon) << where;
  EXPECT_EQ(kept.credits, fresh.credits) << where;
  EXPECT_EQ(kept.gross, fresh.gross) << where;
  EXPECT_EQ(kept.initial, fresh.initial) << where;
  EXPECT_EQ(kept.maintenance, fresh.maintenance) << where;
}

class MarginCacheTest : public ::testing::Test {
 protected:
  MarginCacheTest() {
    menu.push_back(linear("snx.sBTC", "snx", kBtc));
    menu.push_back(perp("dydx.BTC-PERP", "dydx", kBtc, "mark.BTC-PERP"));
    menu.push_back(linear("snx.sETH", "snx", kEth));
    menu.push_back(perp("dydx.ETH-PERP", "dydx", kEth, "mark.ETH-PERP"));
    menu.push_back(pool_share());
    cfg.name = "pb";
    cfg.margin.scan_range = {{kBtc, 0.10}, {kEth, 0.12}};
    cfg.margin.credits = {CreditPair{kBtc, kEth, 0.6}};
    cfg.margin.haircuts = {{"snx", 0.03}};
    cfg.margin.vol_annual = {{kBtc, 0.6}, {kEth, 0.8}};
    std::vector<Instrument> instruments;
    for (const InstrumentDescriptor& d : menu) instruments.push_back({&d, std::nullopt});
    std::vector<Venue> venues(2);
    venues[0].instrument = "dydx.BTC-PERP";
    venues[0].underlying = kBtc;
    venues[1].instrument = "dydx.ETH-PERP";
    venues[1].underlying = kEth;
    book = std::make_unique<ClearingBook>(cfg, std::move(instruments), std::move(venues), kUsdc,
                                          std::vector<int>{6, 8, 18});
    book->set_price(kUsdc, 1.0);
    book->set_price(kBtc, 50'000.0);
    book->set_price(kEth, 2'500.0);
    for (std::size_t c = 0; c < kClients; ++c) {
      book->add_client("c" + std::to_string(c));
      book->deposit(c, kUsdc, core::Amount::units(core::i128{200'000} * 1'000'000));
    }
  }

  // Every client's kept margin against a fresh one, and the maintenance decision.
  void check_all(const std::string& where) {
    for (std::size_t c = 0; c < book->clients(); ++c) {
      const MarginResult fresh = book->margin_from_scratch(c);
      expect_identical(book->margin(c), fresh, where + " client " + std::to_string(c));
      const bool scratch_below = !book->client(c).positions.empty() && book->equity(c) < fresh.maintenance;
      EXPECT_EQ(book->below_maintenance(c), scratch_below) << where;
    }
  }

  std::deque<InstrumentDescriptor> menu;
  BrokerConfig cfg;
  std::unique_ptr<ClearingBook> book;
};

TEST_F(MarginCacheTest, KeptMarginEqualsScratchMarginThroughARandomRun) {
  core::Rng rng(42);
  double btc = 50'000, eth = 2'500, k = 1.0, unhedged = 0.5;
  std::size_t margin_changes = 0, liquidations = 0;
  std::vector<double> last(kClients, 0.0);
  for (int step = 0; step < 3'000; ++step) {
    const std::string where = "step " + std::to_string(step);
    switch (rng.uniform_index(8)) {
      case 0:
      case 1: {  // an order of up to +-3 units
        const auto c = static_cast<std::size_t>(rng.uniform_index(kClients));
        const auto i = static_cast<std::size_t>(rng.uniform_index(menu.size()));
        const auto qty = static_cast<protocols::i128>(rng.uniform_int(-3'000, 3'000)) * 1'000'000'000'000'000;
        book->order(c, i, qty, std::nullopt);
        break;
      }
      case 2:  // a price move, sometimes to the same price
        btc = rng.bernoulli(0.2) ? btc : btc * rng.uniform(0.97, 1.03);
        book->set_price(kBtc, btc);
        break;
      case 3:
        eth = eth * rng.uniform(0.97, 1.03);
        book->set_price(kEth, eth);
        break;
      case 4: {  // snapshots: changed or the same values again
        if (rng.bernoulli(0.5)) k *= rng.uniform(0.99, 1.01);
        book->update_snapshot("uni", step, {{"k", k}});
        book->update_snapshot("dydx", step, {{"mark.BTC-PERP", btc * rng.uniform(0.999, 1.001)}, {"mark.ETH-PERP", eth}});
        if (rng.bernoulli(0.3)) book->link_snapshots();
        break;
      }
      case 5:  // the latency add-on's inputs
        unhedged = rng.bernoulli(0.3) ? unhedged : rng.uniform(0.0, 1.0);
        book->set_settlement(kBtc, core::Duration::s(static_cast<std::int64_t>(rng.uniform_int(6, 30))), unhedged);
        book->set_settlement(kEth, core::Duration::s(12), rng.uniform(0.0, 1.0));
        break;
      case 6:
        for (std::size_t c = 0; c < kClients; ++c) {
          if (book->below_maintenance(c)) {
            book->liquidate(c);
            ++liquidations;
          }
        }
        break;
      default:
        break;  // nothing changed: the kept margins must stay as they are
    }
    check_all(where);
    if (HasFailure()) return;
    for (std::size_t c = 0; c < kClients; ++c) {
      const double m = book->margin(c).initial;
      margin_changes += m != last[c];
      last[c] = m;
    }
  }
  // The run exercised the cache: margins moved many times, and some clients were liquidated.
  EXPECT_GT(margin_changes, 1'000u);
  EXPECT_GT(liquidations, 0u);
}

TEST_F(MarginCacheTest, LatencyInputsChangeOnlyTheLatencyAddOn) {
  ASSERT_TRUE(book->order(0, 0, core::i128{2} * protocols::kWadUnit, std::nullopt).filled);
  book->set_settlement(kBtc, core::Duration::s(24), 0.0);
  const MarginResult before = book->margin(0);
  EXPECT_EQ(before.latency_addon, 0.0);
  book->set_settlement(kBtc, core::Duration::s(24), 1.0);
  const MarginResult& after = book->margin(0);
  // 2 BTC unhedged for a 24 s settlement: 2 * 50,000 * 0.6 * sqrt(24 s / 365 d) * 2.33.
  EXPECT_NEAR(after.latency_addon, 100'000.0 * 0.6 * std::sqrt(24.0 / (365.0 * 86'400.0)) * 2.33, 1e-6);
  EXPECT_EQ(after.scan_risk, before.scan_risk);
  EXPECT_EQ(after.initial, before.initial + after.latency_addon);
  expect_identical(after, book->margin_from_scratch(0), "after");
}

TEST_F(MarginCacheTest, SnapshotCountsOnlyOnceLinked) {
  constexpr std::size_t kPool = 4;
  ASSERT_TRUE(book->order(0, kPool, core::i128{10} * protocols::kWadUnit, std::nullopt).filled);
  const double unlinked = book->margin(0).scan_risk;  // k = 1 without a snapshot
  EXPECT_GT(unlinked, 0.0);
  book->update_snapshot("uni", 1, {{"k", 2.0}});
  EXPECT_EQ(book->margin(0).scan_risk, unlinked);  // received, not linked yet
  EXPECT_EQ(book->snapshot("uni")->values.size(), 1u);
  book->link_snapshots();
  EXPECT_NEAR(book->margin(0).scan_risk, 2 * unlinked, 1e-6);  // the pool share is worth twice as much
  expect_identical(book->margin(0), book->margin_from_scratch(0), "linked");
  book->update_snapshot("uni", 2, {{"k", 2.0}});  // the same values again
  book->update_snapshot("uni", 3, {{"k", 3.0}});
  EXPECT_NEAR(book->margin(0).scan_risk, 3 * unlinked, 1e-6);
}

}  // namespace
}  // namespace shardsim::broker
