// Property test of the Uniswap v2 pool: 10^4 random operations (valid, slippage-bound,
// oversized and malformed) through the test rig, each checked against an independent model of
// the integer formulas, with ledger conservation, no negative balances, reserves equal to the
// pool account's holdings, LP supply = sum of balances + 1000, and k never decreasing on swaps.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/amm/amm_pool.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::amm {
namespace {

using testing::ProtocolRig;

// Assets small enough that every product in the model fits in unsigned 128 bits.
constexpr int kDecA = 8;
constexpr int kDecB = 6;
const std::vector<std::string> kUsers = {"u0", "u1", "u2"};

// The pool as the test computes it, independently of the protocol code.
struct Model {
  u128 keep = 997, den = 1000;
  u128 ra = 0, rb = 0, supply = 0;
  std::map<std::string, u128> lp;

  static u128 isqrt_floor(u128 x) {
    if (x < 2) return x;
    u128 r = static_cast<u128>(__builtin_sqrtl(static_cast<long double>(x)));
    while (r * r > x) --r;
    while ((r + 1) * (r + 1) <= x) ++r;
    return r;
  }
  u128 out_for(u128 in, u128 r_in, u128 r_out) const { return in * keep * r_out / (r_in * den + in * keep); }
};

std::string text(u128 raw, int decimals) { return core::Amount::units(static_cast<i128>(raw)).str(decimals); }

// A raw amount in [1, hi], skewed toward small values so every scale is exercised.
u128 random_raw(core::Rng& rng, u128 hi) {
  if (hi < 1) hi = 1;
  const u128 cap = 1 + rng.uniform_index(static_cast<std::uint64_t>(hi));
  return 1 + rng.uniform_index(static_cast<std::uint64_t>(cap));
}

void run(std::uint64_t seed, FeeFraction fee, int ops) {
  ProtocolRig rig({{"TKA", kDecA}, {"TKB", kDecB}});
  AmmPool pool("pool", rig.account("pool"), AmmConfig{0, 1, fee});
  Model m;
  m.keep = static_cast<u128>(fee.keep());
  m.den = static_cast<u128>(fee.den);
  for (const auto& u : kUsers) {
    rig.fund(u, "TKA", "1000000");
    rig.fund(u, "TKB", "1000000");
  }
  core::Rng rng(seed);
  int ok_swaps = 0, ok_adds = 0, ok_removes = 0, reverts = 0;

  for (int step = 0; step < ops; ++step) {
    const std::string& who = kUsers[rng.uniform_index(kUsers.size())];
    const u128 bal_a = static_cast<u128>(rig.balance(who, "TKA").raw());
    const u128 bal_b = static_cast<u128>(rig.balance(who, "TKB").raw());
    if (rng.bernoulli(0.03)) {  // a donation straight to the pool account, absorbed at the next op
      const u128 gift = random_raw(rng, 1'000'000);
      rig.fund("pool", "TKA", text(gift, kDecA));
      m.ra += gift;
    }
    const u128 k_before = m.ra * m.rb;
    const u128 ra0 = m.ra, rb0 = m.rb, t0 = m.supply;
    const double pick = rng.uniform01();
    bool expect_ok = false;
    OpResult r;
    enum { swap, add, remove, bad } kind = bad;

    if (pick < 0.45) {
      kind = swap;
      const bool sell_a = rng.bernoulli(0.5);
      const u128 in = random_raw(rng, (sell_a ? bal_a : bal_b) * 11 / 10 + 10);
      const u128 r_in = sell_a ? m.ra : m.rb, r_out = sell_a ? m.rb : m.ra;
      const u128 out = (r_in > 0 && r_out > 0) ? m.out_for(in, r_in, r_out) : 0;
      std::vector<TxArg> args = {{"sell", sell_a ? "TKA" : "TKB"}, {"amount", text(in, sell_a ? kDecA : kDecB)}};
      u128 min_out = 0;
      if (rng.bernoulli(0.3)) {
        const std::int64_t d = rng.uniform_int(-2, 2);
        min_out = (d < 0 && out < static_cast<u128>(-d)) ? 0 : static_cast<u128>(static_cast<i128>(out) + d);
        args.push_back({"min_out", text(min_out, sell_a ? kDecB : kDecA)});
      }
      expect_ok = r_in > 0 && out > 0 && out >= min_out && in <= (sell_a ? bal_a : bal_b);
      r = rig.apply(pool, who, "swap", args);
      if (expect_ok && r.ok) {
        (sell_a ? m.ra : m.rb) += in;
        (sell_a ? m.rb : m.ra) -= out;
        EXPECT_EQ(static_cast<u128>(rig.balance(who, sell_a ? "TKB" : "TKA").raw()), (sell_a ? bal_b : bal_a) + out);
      }
    } else if (pick < 0.75) {
      kind = add;
      const u128 a = random_raw(rng, bal_a * 11 / 10 + 10);
      const u128 b = random_raw(rng, bal_b * 11 / 10 + 10);
      u128 used_a = a, used_b = b, minted = 0, locked = 0;
      if (m.supply == 0) {
        const u128 root = Model::isqrt_floor(a * b);
        minted = root > 1000 ? root - 1000 : 0;
        locked = 1000;
      } else {
        const u128 b_opt = a * m.rb / m.ra;
        if (b_opt <= b) used_b = b_opt; else used_a = b * m.ra / m.rb;
        minted = std::min(used_a * m.supply / m.ra, used_b * m.supply / m.rb);
      }
      expect_ok = minted > 0 && used_a <= bal_a && used_b <= bal_b;
      r = rig.apply(pool, who, "add_liquidity", {{"amount_a", text(a, kDecA)}, {"amount_b", text(b, kDecB)}});
      if (expect_ok && r.ok) {
        m.ra += used_a;
        m.rb += used_b;
        m.supply += minted + locked;
        m.lp[who] += minted;
        EXPECT_EQ(static_cast<u128>(rig.balance(who, "TKA").raw()), bal_a - used_a);
        EXPECT_EQ(static_cast<u128>(rig.balance(who, "TKB").raw()), bal_b - used_b);
      }
    } else if (pick < 0.95) {
      kind = remove;
      const u128 held = m.lp.count(who) ? m.lp[who] : 0;
      const u128 lp = rng.bernoulli(0.2) ? held : random_raw(rng, held * 11 / 10 + 10);
      const u128 out_a = m.supply ? lp * m.ra / m.supply : 0, out_b = m.supply ? lp * m.rb / m.supply : 0;
      expect_ok = lp > 0 && lp <= held && out_a > 0 && out_b > 0;
      r = rig.apply(pool, who, "remove_liquidity", {{"lp", text(lp, kLpDecimals)}});
      if (expect_ok && r.ok) {
        m.ra -= out_a;
        m.rb -= out_b;
        m.supply -= lp;
        if ((m.lp[who] -= lp) == 0) m.lp.erase(who);
        EXPECT_EQ(static_cast<u128>(rig.balance(who, "TKA").raw()), bal_a + out_a);
      }
    } else {
      static const std::vector<std::pair<std::string, std::vector<TxArg>>> kBad = {
          {"mint", {}},
          {"swap", {{"sell", "TKC"}, {"amount", "1"}}},
          {"swap", {{"sell", "TKA"}, {"amount", "0"}}},
          {"swap", {{"sell", "TKB"}, {"amount", "0.0000001"}}},
          {"swap", {{"sell", "TKA"}, {"amount", "1"}, {"min_out", "-1"}}},
          {"add_liquidity", {{"amount_a", "1"}}},
          {"add_liquidity", {{"amount_a", "-1"}, {"amount_b", "1"}}},
          {"remove_liquidity", {{"lp", "1e3"}}},
          {"remove_liquidity", {{"lp", "0"}}},
      };
      const auto& [op, args] = kBad[rng.uniform_index(kBad.size())];
      r = rig.apply(pool, who, op, args);
    }

    ASSERT_EQ(r.ok, expect_ok) << "step " << step << " op " << kind << ": " << r.reason;
    if (!r.ok) {
      ++reverts;
      EXPECT_FALSE(r.reason.empty());
      EXPECT_EQ(static_cast<u128>(rig.balance(who, "TKA").raw()), bal_a) << step;
      EXPECT_EQ(static_cast<u128>(rig.balance(who, "TKB").raw()), bal_b) << step;
    } else {
      ok_swaps += kind == swap;
      ok_adds += kind == add;
      ok_removes += kind == remove;
    }

    // The pool equals the model; reserves are the pool account's holdings.
    ASSERT_EQ(static_cast<u128>(pool.reserve_a_units()), m.ra) << step;
    ASSERT_EQ(static_cast<u128>(pool.reserve_b_units()), m.rb) << step;
    ASSERT_EQ(static_cast<u128>(pool.lp_supply_units()), m.supply) << step;
    ASSERT_EQ(static_cast<u128>(rig.balance("pool", "TKA").raw()), m.ra) << step;
    ASSERT_EQ(static_cast<u128>(rig.balance("pool", "TKB").raw()), m.rb) << step;
    // LP supply = sum of balances + the locked 1000.
    i128 sum = 0;
    for (const auto& [holder, units] : pool.lp_balances()) {
      EXPECT_GT(units, 0);
      EXPECT_EQ(static_cast<u128>(units), m.lp[rig.registry.account_name(holder)]);
      sum += units;
    }
    ASSERT_EQ(pool.lp_supply_units(), m.supply == 0 ? 0 : sum + 1000) << step;
    // k never decreases on a swap, and grows when there is a fee.
    if (kind == swap && r.ok) {
      EXPECT_GE(m.ra * m.rb, k_before) << step;
      if (fee.num > 0) {
        EXPECT_GT(m.ra * m.rb, k_before) << step;
      }
    }
    // Adds and removes never dilute: reserves per LP unit do not fall.
    if ((kind == add || kind == remove) && r.ok && t0 > 0) {
      EXPECT_GE(m.ra * t0, ra0 * m.supply) << step;
      EXPECT_GE(m.rb * t0, rb0 * m.supply) << step;
    }
    // No negative balances; the ledger conserves every asset.
    for (const auto& acc : {"u0", "u1", "u2", "pool"}) {
      EXPECT_FALSE(rig.balance(acc, "TKA").is_negative());
      EXPECT_FALSE(rig.balance(acc, "TKB").is_negative());
    }
    rig.expect_conserved();
    if (::testing::Test::HasFailure()) FAIL() << "first failure at step " << step;
  }
  // Every branch was exercised.
  EXPECT_GT(ok_swaps, ops / 10);
  EXPECT_GT(ok_adds, ops / 50);
  EXPECT_GT(ok_removes, ops / 50);
  EXPECT_GT(reverts, ops / 50);
}

TEST(AmmPropertyTest, TenThousandRandomOpsUniswapFee) { run(20240611, FeeFraction{}, 10'000); }

TEST(AmmPropertyTest, RandomOpsWithoutFee) { run(7, fee_from_ppb(0), 2'000); }

TEST(AmmPropertyTest, RandomOpsOnePercentFee) { run(99, fee_from_ppb(10'000'000), 2'000); }

}  // namespace
}  // namespace shardsim::protocols::amm
