// Property test of protocols/synthetics: 10^4 random operations and price moves through the
// ProtocolRig, checking after every one conservation, no negative balance, supplies equal ledger
// totals, the debt pool recomputed independently (staker debts sum to it), exchanges leaving it
// unchanged, post-conditions of issue/unstake/flag/liquidate, and untouched state on a revert.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::synthetics {
namespace {

using core::Amount;
using core::Duration;
using testing::ProtocolRig;

constexpr std::array<const char*, 4> kUsers = {"u0", "u1", "u2", "u3"};
constexpr std::array<const char*, 3> kSynths = {"sUSD", "sBTC", "sETH"};
constexpr int kOps = 10'000;

i128 pow10_test(int n) {
  i128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

// Everything the protocol keeps, to check a revert left it untouched.
std::vector<i128> fingerprint(const SyntheticsProtocol& p) {
  std::vector<i128> f;
  for (std::size_t i = 0; i < kSynths.size(); ++i) f.push_back(p.supply(i).raw());
  f.push_back(p.fee_pool().raw());
  f.push_back(p.total_shares());
  for (const auto& [id, s] : p.stakers()) {
    f.insert(f.end(), {static_cast<i128>(id), s.collateral.raw(), s.shares,
                       s.flagged_at ? static_cast<i128>(s.flagged_at->count_us()) : i128{-1}});
  }
  return f;
}

struct Harness {
  ProtocolRig rig{{{"SNX", 18}, {"sUSD", 18}, {"sBTC", 18}, {"sETH", 18}, {"BTC", 8}, {"ETH", 18}}};
  std::unique_ptr<SyntheticsProtocol> p;
  core::Rng rng{20240611};
  std::array<AssetId, 3> synth{};
  std::array<std::optional<AssetId>, 3> tracks{};
  std::map<std::string, double> price{{"SNX", 3.0}, {"BTC", 30'000.0}, {"ETH", 2'000.0}};
  std::map<std::string, int> ok_count, revert_count;

  Harness() {
    Config c;
    c.collateral = rig.asset("SNX");
    c.synths = {{rig.asset("sUSD"), std::nullopt, 0},
                {rig.asset("sBTC"), rig.asset("BTC"), kPercentWad},
                {rig.asset("sETH"), rig.asset("ETH"), kPercentWad}};
    for (std::size_t i = 0; i < 3; ++i) {
      synth[i] = c.synths[i].asset;
      tracks[i] = c.synths[i].tracks;
    }
    p = std::make_unique<SyntheticsProtocol>(c, "snx", rig.account("pool"));
    for (const auto& [sym, v] : price) rig.set_price(sym, v);
    for (const char* u : kUsers) rig.fund(u, "SNX", "10000");
  }

  // A fraction in [0, 1.2] of `ref` units, as decimal text (sometimes a tiny or zero amount).
  std::string some(Amount ref, int decimals) {
    const std::uint64_t pick = rng.uniform_index(20);
    if (pick == 0) return "0.000000000000000001";
    if (pick == 1) return "0";
    const i128 raw = mul_div(ref.raw(), static_cast<i128>(rng.uniform_int(1, 1200)), 1000);
    return Amount::units(raw).str(decimals);
  }
  const char* user() { return kUsers[rng.uniform_index(kUsers.size())]; }

  i128 synth_price_wad(std::size_t i) const {
    return tracks[i] ? rig.oracles[*tracks[i]].price_wad : kWadUnit;
  }
  // The debt pool, recomputed from the ledger's totals (rounded down, unlike the protocol).
  i128 ledger_debt() const {
    i128 t = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      t += mul_div(rig.ledger->flows(synth[i]).held.raw(), synth_price_wad(i), pow10_test(18));
    }
    return t;
  }
  i128 collateral_value(const Staker& s) const {
    return mul_div(s.collateral.raw(), rig.oracles[rig.asset("SNX")].price_wad, pow10_test(18));
  }
  i128 debt_of(AccountId who) { return *p->debt_wad(*rig.host, who); }

  void move_prices() {
    for (auto& [sym, v] : price) {
      const double lo = sym == "SNX" ? 0.7 : 0.85, hi = sym == "SNX" ? 1.35 : 1.2;
      v = std::clamp(v * rng.uniform(lo, hi), sym == "SNX" ? 0.3 : 100.0, sym == "SNX" ? 30.0 : 200'000.0);
      rig.set_price(sym, std::round(v * 1e6) / 1e6);
    }
  }

  void check_invariants() {
    rig.expect_conserved();
    for (const auto& [acct, asset, bal] : rig.ledger->sorted_balances()) {
      ASSERT_FALSE(bal.is_negative()) << rig.registry.account_name(acct) << " " << rig.registry.asset_symbol(asset);
    }
    const AccountId pool = p->account();
    for (std::size_t i = 0; i < 3; ++i) {
      const shards::AssetFlows& f = rig.ledger->flows(synth[i]);
      ASSERT_EQ(p->supply(i).str(18), f.held.str(18)) << kSynths[i];
      ASSERT_EQ(p->supply(i).str(18), (f.minted - f.burned).str(18)) << kSynths[i];
    }
    ASSERT_EQ(p->fee_pool().str(18), rig.ledger->balance(pool, synth[0]).str(18));
    Amount collateral;
    i128 shares = 0;
    for (const auto& [id, s] : p->stakers()) {
      ASSERT_FALSE(s.collateral.is_negative());
      ASSERT_GE(s.shares, 0);
      collateral += s.collateral;
      shares += s.shares;
    }
    ASSERT_EQ(collateral.str(18), rig.ledger->balance(pool, rig.asset("SNX")).str(18));
    ASSERT_EQ(shares, p->total_shares());
    // The protocol's total debt (terms rounded up) against the ledger's (rounded down).
    const i128 total = *p->total_debt_wad(*rig.host);
    const i128 recomputed = ledger_debt();
    ASSERT_GE(total, recomputed);
    ASSERT_LE(total, recomputed + 3);
    // Staker debts each round up by less than one unit: they sum to the total within n units.
    if (p->total_shares() > 0) {
      i128 sum = 0;
      for (const auto& [id, s] : p->stakers()) {
        sum += debt_of(id);
        const double expect = wad_to_double(s.shares) / wad_to_double(p->total_shares()) * wad_to_double(total);
        ASSERT_NEAR(wad_to_double(debt_of(id)), expect, 1e-9 * wad_to_double(total) + 1e-12);
      }
      ASSERT_GE(sum, total);
      ASSERT_LE(sum, total + static_cast<i128>(p->stakers().size()));
    }
  }

  void step(int n) {
    const std::uint64_t kind = rng.uniform_index(100);
    const char* u = user();
    const AccountId uid = rig.account(u);
    const auto found = p->stakers().find(uid);
    const Staker mine = found == p->stakers().end() ? Staker{} : found->second;
    std::string op;
    std::vector<TxArg> args;
    if (kind < 8) {
      move_prices();
      return;
    }
    if (kind < 12) {
      rig.advance(Duration::h(static_cast<std::int64_t>(rng.uniform_int(1, 13))), *p);
      return;
    }
    if (kind < 24) {
      op = "stake";
      args = {{"amount", some(rig.balance(u, "SNX"), 18)}};
    } else if (kind < 32) {
      op = "unstake";
      args = {{"amount", some(mine.collateral, 18)}};
    } else if (kind < 50) {
      op = "issue";
      // Around the remaining room, or a slice of the collateral value when there is none.
      const i128 room = collateral_value(mine) / 3 - debt_of(uid);
      args = {{"amount", some(Amount::units(room > 0 ? room : collateral_value(mine) / 10), 18)}};
    } else if (kind < 58) {
      op = "burn";
      args = {{"amount", some(rig.balance(u, "sUSD"), 18)}};
    } else if (kind < 82) {
      op = "exchange";
      const std::size_t from = rng.uniform_index(3);
      const std::size_t to = rng.bernoulli(0.05) ? from : (from + 1 + rng.uniform_index(2)) % 3;
      args = {{"from", kSynths[from]}, {"to", kSynths[to]}, {"amount", some(rig.balance(u, kSynths[from]), 18)}};
    } else if (kind < 90) {
      op = "flag";
      args = {{"staker", user()}};
    } else if (kind < 98) {
      op = "liquidate";
      args = {{"staker", user()}, {"amount", some(rig.balance(u, "sUSD"), 18)}};
    } else {
      op = rng.bernoulli(0.5) ? "mint" : "issue";  // unknown op, or a missing argument
    }

    // What the post-conditions need from before the operation.
    const std::vector<i128> before = fingerprint(*p);
    const i128 debt_before = *p->total_debt_wad(*rig.host);
    std::optional<Staker> target;
    i128 target_debt = 0;
    if (op == "flag" || op == "liquidate") {
      const auto it = p->stakers().find(rig.account(args[0].value));
      if (it != p->stakers().end()) {
        target = it->second;
        target_debt = debt_of(it->first);
      }
    }

    const OpResult r = rig.apply(*p, u, op, args);
    (r.ok ? ok_count : revert_count)[op]++;
    if (!r.ok) {
      ASSERT_EQ(fingerprint(*p), before) << "op " << n << " " << op << " reverted (" << r.reason
                                         << ") but changed state";
      ASSERT_NE(r.reason, "arithmetic overflow") << "op " << n << " " << op;
      check_invariants();
      return;
    }
    check_invariants();
    const i128 total = *p->total_debt_wad(*rig.host);
    const i128 per_share = p->total_shares() > 0 ? mul_div(total, kWadUnit, p->total_shares(), Round::up) : 0;
    if (op == "exchange") {
      // Unchanged within one unit of the bought synth and of sUSD (for the fee), plus the
      // per-synth rounding of the total.
      std::size_t to = 0;
      while (kSynths[to] != args[1].value) ++to;
      const i128 tolerance = synth_price_wad(to) / pow10_test(18) + 1 + 1 + 6;
      ASSERT_LE(total, debt_before + 3) << "op " << n;
      ASSERT_GE(total, debt_before - tolerance) << "op " << n;
    } else if (op == "issue" || op == "unstake") {
      const Staker& s = p->stakers().at(uid);
      const i128 limit = mul_div(collateral_value(s), kWadUnit / 3, kWadUnit);
      ASSERT_LE(debt_of(uid), limit + per_share + 2) << "op " << n << " " << op;
    } else if (op == "flag") {
      ASSERT_TRUE(target.has_value());
      ASSERT_GT(target_debt * 3 + 3, collateral_value(*target) * 2) << "flagged a healthy staker, op " << n;
    } else if (op == "liquidate") {
      ASSERT_TRUE(target.has_value() && target->flagged_at.has_value());
      ASSERT_GE(rig.now.count_us(), (*target->flagged_at + Duration::h(12)).count_us()) << "op " << n;
      ASSERT_GT(target_debt * 3 + 3, collateral_value(*target) * 2) << "liquidated a healthy staker, op " << n;
      const Staker after = p->stakers().count(rig.account(args[0].value)) != 0
                               ? p->stakers().at(rig.account(args[0].value))
                               : Staker{};
      ASSERT_LE(after.collateral.raw(), target->collateral.raw());
      ASSERT_LE(after.shares, target->shares);
    }
  }
};

TEST(SyntheticsProperty, RandomOperationsKeepTheDebtPoolConsistent) {
  Harness h;
  for (int n = 0; n < kOps; ++n) {
    h.step(n);
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasFailure()) {
      FAIL() << "stopped at op " << n << " (seed 20240611, t=" << h.rig.now.str() << ")";
    }
  }
  for (const char* op : {"stake", "unstake", "issue", "burn", "exchange", "flag", "liquidate"}) {
    EXPECT_GT(h.ok_count[op], 0) << op << " never succeeded";
    EXPECT_GT(h.revert_count[op], 0) << op << " never reverted";
  }
  std::string summary;
  for (const auto& [op, c] : h.ok_count) {
    summary += op + "=" + std::to_string(c) + "/" + std::to_string(h.revert_count[op]) + " ";
  }
  RecordProperty("ok_revert", summary);
  std::printf("synthetics property ops ok/revert: %s\n", summary.c_str());
}

}  // namespace
}  // namespace shardsim::protocols::synthetics
