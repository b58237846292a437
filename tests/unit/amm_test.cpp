// Tests the Uniswap v2 pool: the spec's worked example (exact), the swap, required-input, mint
// and burn formulas, slippage reverts that leave everything unchanged, LP revaluation and
// impermanent loss, and every revert branch of the ops.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/amm/amm_math.hpp"
#include "protocols/amm/amm_pool.hpp"
#include "protocols/amm/amm_value.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::amm {
namespace {

using testing::ProtocolRig;

constexpr i128 kE18 = kWadUnit;

struct AmmFixture {
  ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}, {"DAI", 18}}};
  AmmPool pool;
  explicit AmmFixture(FeeFraction fee = {}) : pool("uni", rig.account("uni"), AmmConfig{0, 1, fee}) {}

  OpResult add(const std::string& who, const std::string& a, const std::string& b) {
    return rig.apply(pool, who, "add_liquidity", {{"amount_a", a}, {"amount_b", b}});
  }
  OpResult swap(const std::string& who, const std::string& sell, const std::string& amount,
                const std::string& min_out = "") {
    std::vector<TxArg> args = {{"sell", sell}, {"amount", amount}};
    if (!min_out.empty()) args.push_back({"min_out", min_out});
    return rig.apply(pool, who, "swap", args);
  }
  OpResult remove(const std::string& who, const std::string& lp) {
    return rig.apply(pool, who, "remove_liquidity", {{"lp", lp}});
  }
  // The spec's pool: 1,000 ETH and 2,000,000 USDC from `lp`.
  void seed() {
    rig.fund("lp", "ETH", "1000");
    rig.fund("lp", "USDC", "2000000");
    ASSERT_TRUE(add("lp", "1000", "2000000").ok);
  }
  i128 raw(const std::string& who, const std::string& asset) { return rig.balance(who, asset).raw(); }
};

TEST(AmmTest, WorkedExampleSellTenEthExact) {
  AmmFixture f;
  f.seed();
  f.rig.fund("trader", "ETH", "10");
  const OpResult r = f.swap("trader", "ETH", "10");
  ASSERT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(f.raw("trader", "USDC"), static_cast<i128>(19743160687LL));
  EXPECT_EQ(f.raw("trader", "ETH"), 0);
  EXPECT_EQ(f.pool.reserve_a_units(), 1010 * kE18);
  EXPECT_EQ(f.pool.reserve_b_units(), static_cast<i128>(2'000'000'000'000LL) - 19743160687LL);
  EXPECT_EQ(f.pool.state(*f.rig.host)["k"], "2000059407706130000000000000000000");
  EXPECT_EQ(f.pool.state(*f.rig.host)["reserves"]["USDC"], "1980256.839313");
  f.rig.expect_conserved();
}

TEST(AmmTest, AmountOutFormula) {
  const FeeFraction uni = fee_from_ppb(3'000'000);
  EXPECT_EQ(uni.num, 3);
  EXPECT_EQ(uni.den, 1000);
  EXPECT_EQ(uni.keep(), 997);
  EXPECT_EQ(amount_out(10 * kE18, 1000 * kE18, 2'000'000'000'000LL, uni), static_cast<i128>(19743160687LL));
  // No fee: floor(in*Ro/(Ri+in)).
  EXPECT_EQ(amount_out(100, 1000, 1000, fee_from_ppb(0)), 90);
  // 1%: floor(100*99*1000 / (1000*100 + 100*99)) = floor(9900000/109900) = 90.
  const FeeFraction one_percent = fee_from_ppb(10'000'000);
  EXPECT_EQ(one_percent.num, 1);
  EXPECT_EQ(one_percent.den, 100);
  EXPECT_EQ(amount_out(100, 1000, 1000, one_percent), 90);
  EXPECT_EQ(amount_out(1000, 1000, 1000, one_percent), 497);  // 99000000/199000 = 497.48
}

TEST(AmmTest, ExactInputForOutput) {
  const FeeFraction uni{};
  const i128 r_in = 1000 * kE18;
  const i128 r_out = 2'000'000'000'000LL;
  EXPECT_EQ(amount_in(19743160687LL, r_in, r_out, uni), static_cast<i128>(9999999999518511745ULL));
  EXPECT_EQ(amount_in(1'000'000'000LL, r_in, r_out, uni), static_cast<i128>(501755391236239986LL));
  for (const i128 out : {i128{1}, i128{999}, i128{19743160687LL}, i128{1'000'000'000'000LL}, r_out / 2}) {
    const i128 in = amount_in(out, r_in, r_out, uni);
    EXPECT_GE(amount_out(in, r_in, r_out, uni), out);
    EXPECT_LT(amount_out(in - 1, r_in, r_out, uni), out);
  }
}

TEST(AmmTest, FirstMintLocksThousandUnits) {
  AmmFixture f;
  f.seed();
  const i128 root = static_cast<i128>(isqrt(static_cast<u128>(1000 * kE18) * 2'000'000'000'000ULL));
  EXPECT_EQ(root, static_cast<i128>(44721359549995793LL));
  EXPECT_EQ(f.pool.lp_supply_units(), root);
  EXPECT_EQ(f.pool.lp_balance_units(f.rig.account("lp")), root - 1000);
  const auto s = f.pool.state(*f.rig.host);
  EXPECT_EQ(s["lp_supply"], "0.044721359549995793");
  EXPECT_EQ(s["lp_locked"], "0.000000000000001");
  EXPECT_EQ(s["lp_balances"]["lp"], "0.044721359549994793");
  EXPECT_EQ(f.raw("uni", "ETH"), 1000 * kE18);
  EXPECT_EQ(f.raw("lp", "USDC"), 0);
}

TEST(AmmTest, FirstDepositTooSmallReverts) {
  AmmFixture f;
  f.rig.fund("lp", "ETH", "1");
  f.rig.fund("lp", "USDC", "1");
  // sqrt(1000 * 1000) = 1000: nothing left after the lock.
  const OpResult r = f.add("lp", "0.000000000000001", "0.001");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "insufficient liquidity minted");
  EXPECT_EQ(f.pool.lp_supply_units(), 0);
  EXPECT_EQ(f.raw("uni", "ETH"), 0);
}

TEST(AmmTest, SecondDepositMintsProportionallyAndTakesOnlyTheRatio) {
  AmmFixture f;
  f.seed();
  const i128 supply = f.pool.lp_supply_units();
  // Excess USDC: takes 10 ETH and 20,000 USDC.
  f.rig.fund("bob", "ETH", "10");
  f.rig.fund("bob", "USDC", "30000");
  ASSERT_TRUE(f.add("bob", "10", "30000").ok);
  EXPECT_EQ(f.raw("bob", "ETH"), 0);
  EXPECT_EQ(f.raw("bob", "USDC"), 10'000'000'000LL);
  const i128 minted = std::min(10 * kE18 * supply / (1000 * kE18), i128{20'000'000'000LL} * supply / 2'000'000'000'000LL);
  EXPECT_EQ(f.pool.lp_balance_units(f.rig.account("bob")), minted);
  EXPECT_EQ(f.pool.lp_supply_units(), supply + minted);
  // Excess ETH: takes 1 ETH for 2,000 USDC.
  const i128 supply2 = f.pool.lp_supply_units();
  f.rig.fund("carol", "ETH", "5");
  f.rig.fund("carol", "USDC", "2000");
  ASSERT_TRUE(f.add("carol", "5", "2000").ok);
  const i128 ra = 1010 * kE18, rb = 2'020'000'000'000LL;
  const i128 used_a = i128{2'000'000'000LL} * ra / rb;
  EXPECT_EQ(used_a, kE18);
  EXPECT_EQ(f.raw("carol", "ETH"), 5 * kE18 - used_a);
  EXPECT_EQ(f.raw("carol", "USDC"), 0);
  EXPECT_EQ(f.pool.lp_balance_units(f.rig.account("carol")), std::min(used_a * supply2 / ra, i128{2'000'000'000LL} * supply2 / rb));
  f.rig.expect_conserved();
}

TEST(AmmTest, RemoveReturnsProRata) {
  AmmFixture f;
  f.seed();
  f.rig.fund("t", "USDC", "5000");
  ASSERT_TRUE(f.swap("t", "USDC", "5000").ok);
  const i128 ra = f.pool.reserve_a_units(), rb = f.pool.reserve_b_units(), supply = f.pool.lp_supply_units();
  const i128 burn = 12'345'678'901'234'567LL;  // 0.012345678901234567 LP
  ASSERT_TRUE(f.remove("lp", "0.012345678901234567").ok);
  EXPECT_EQ(f.raw("lp", "ETH"), burn * ra / supply);
  EXPECT_EQ(f.raw("lp", "USDC"), static_cast<i128>(mul_div(burn, rb, supply)));
  EXPECT_EQ(f.pool.lp_supply_units(), supply - burn);
  EXPECT_EQ(f.pool.reserve_a_units(), ra - burn * ra / supply);
  EXPECT_EQ(f.raw("uni", "ETH"), f.pool.reserve_a_units());
  // Burning the rest leaves only the locked 1000 units, and reserves stay positive.
  const i128 rest = f.pool.lp_balance_units(f.rig.account("lp"));
  ASSERT_TRUE(f.remove("lp", core::Amount::units(rest).str(18)).ok);
  EXPECT_EQ(f.pool.lp_supply_units(), 1000);
  EXPECT_TRUE(f.pool.lp_balances().empty());
  EXPECT_GT(f.pool.reserve_a_units(), 0);
  EXPECT_GT(f.pool.reserve_b_units(), 0);
  const auto s = f.pool.state(*f.rig.host);
  EXPECT_TRUE(s["lp_balances"].is_object());
  EXPECT_TRUE(s["lp_balances"].empty());
  f.rig.expect_conserved();
}

TEST(AmmTest, MinOutRevertLeavesStateUnchanged) {
  AmmFixture f;
  f.seed();
  f.rig.fund("trader", "ETH", "20");
  const auto before = f.pool.state(*f.rig.host);
  const OpResult r = f.swap("trader", "ETH", "10", "19743.160688");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "insufficient output amount");
  EXPECT_EQ(f.pool.state(*f.rig.host), before);
  EXPECT_EQ(f.raw("trader", "ETH"), 20 * kE18);
  EXPECT_EQ(f.raw("trader", "USDC"), 0);
  EXPECT_EQ(f.raw("uni", "ETH"), 1000 * kE18);
  // Exactly the output passes.
  ASSERT_TRUE(f.swap("trader", "ETH", "10", "19743.160687").ok);
  EXPECT_EQ(f.raw("trader", "USDC"), static_cast<i128>(19743160687LL));
  f.rig.expect_conserved();
}

TEST(AmmTest, ImpermanentLossThroughRevalue) {
  AmmFixture f;
  f.seed();
  f.rig.set_price("ETH", 2000.0);
  f.rig.set_price("USDC", 1.0);
  const ProtocolSnapshot snap = f.pool.snapshot(*f.rig.host);
  const auto instruments = f.pool.instruments(*f.rig.host);
  ASSERT_EQ(instruments.size(), 1u);
  const InstrumentDescriptor& lp = instruments[0];
  EXPECT_EQ(lp.id, "uni.LP");
  EXPECT_EQ(lp.underlyings, (std::vector<AssetId>{0, 1}));
  const double supply = snap.get("lp_supply").value();
  const double qty = supply / 10;  // a tenth of the pool
  EXPECT_NEAR(lp.revalue(qty, snap, {2000.0, 1.0, 0.0}), 400'000.0, 400'000.0 * 1e-9);
  for (const auto& [r, printed] : {std::pair{2.0, -5.719}, std::pair{4.0, -20.0}}) {
    const double value = lp.revalue(qty, snap, {2000.0 * r, 1.0, 0.0});
    const double hold = 100.0 * 2000.0 * r + 200'000.0 * 1.0;  // the tenth's tokens, held
    const double il_percent = 100.0 * (value / hold - 1.0);
    EXPECT_NEAR(il_percent, printed, std::abs(printed) * 1e-3) << r;
    EXPECT_NEAR(il_percent, 100.0 * impermanent_loss(r), 1e-9) << r;
  }
  // Deltas at the oracle prices are the reserves per LP unit (pool at the oracle ratio).
  ASSERT_EQ(lp.deltas_per_unit.size(), 2u);
  EXPECT_NEAR(lp.deltas_per_unit[0], 1000.0 / supply, 1e-9 * 1000.0 / supply);
  EXPECT_NEAR(lp.deltas_per_unit[1], 2'000'000.0 / supply, 1e-9 * 2'000'000.0 / supply);
  // Missing prices count as 0.
  EXPECT_EQ(lp.revalue(qty, snap, {}), 0.0);
}

TEST(AmmTest, SnapshotInWholeUnits) {
  AmmFixture f;
  f.seed();
  const ProtocolSnapshot s = f.pool.snapshot(*f.rig.host);
  EXPECT_DOUBLE_EQ(s.get("reserve.ETH").value(), 1000.0);
  EXPECT_DOUBLE_EQ(s.get("reserve.USDC").value(), 2'000'000.0);
  EXPECT_DOUBLE_EQ(s.get("k").value(), 2e9);
  EXPECT_NEAR(s.get("lp_supply").value(), 0.044721359549995793, 1e-15);
}

TEST(AmmTest, RevertBranches) {
  AmmFixture f;
  f.rig.fund("t", "ETH", "1");
  EXPECT_EQ(f.swap("t", "ETH", "1").reason, "insufficient liquidity");
  f.seed();
  const auto before = f.pool.state(*f.rig.host);
  EXPECT_EQ(f.rig.apply(f.pool, "t", "flash_loan", {}).reason, "unknown op flash_loan");
  EXPECT_EQ(f.rig.apply(f.pool, "t", "swap", {{"amount", "1"}}).reason, "missing arg sell");
  EXPECT_EQ(f.rig.apply(f.pool, "t", "swap", {{"sell", "ETH"}}).reason, "missing arg amount");
  EXPECT_EQ(f.swap("t", "DAI", "1").reason, "sell must be ETH or USDC");
  EXPECT_EQ(f.swap("t", "ETH", "abc").reason, "malformed arg amount");
  EXPECT_EQ(f.swap("t", "USDC", "0.0000001").reason, "malformed arg amount");  // finer than 6 decimals
  EXPECT_EQ(f.swap("t", "ETH", "0").reason, "amount must be positive");
  EXPECT_EQ(f.swap("t", "ETH", "-1").reason, "amount must be positive");
  EXPECT_EQ(f.swap("t", "ETH", "1", "x").reason, "malformed arg min_out");
  EXPECT_EQ(f.swap("t", "ETH", "1", "-1").reason, "min_out must not be negative");
  EXPECT_EQ(f.swap("t", "ETH", "2").reason, "insufficient balance");
  EXPECT_EQ(f.swap("t", "ETH", "0.000000000000000001").reason, "insufficient output amount");
  EXPECT_EQ(f.swap("uni", "ETH", "1").reason, "the pool account cannot trade with its own pool");
  EXPECT_EQ(f.swap("t", "ETH", "1000000000000000000").reason, "arithmetic overflow");  // in*997 > 2^127
  EXPECT_EQ(f.rig.apply(f.pool, "t", "add_liquidity", {{"amount_a", "1"}}).reason, "missing arg amount_b");
  EXPECT_EQ(f.add("t", "1", "2000").reason, "insufficient balance");
  EXPECT_EQ(f.add("t", "0.000000000000000001", "1").reason, "insufficient liquidity minted");
  EXPECT_EQ(f.rig.apply(f.pool, "t", "remove_liquidity", {}).reason, "missing arg lp");
  EXPECT_EQ(f.remove("t", "0.1").reason, "insufficient lp balance");
  EXPECT_EQ(f.remove("lp", "1").reason, "insufficient lp balance");
  EXPECT_EQ(f.remove("lp", "0").reason, "lp must be positive");
  EXPECT_EQ(f.remove("lp", "0.0000000000000000001").reason, "malformed arg lp");
  EXPECT_EQ(f.remove("lp", "0.000000000000000001").reason, "insufficient liquidity burned");
  EXPECT_EQ(f.pool.state(*f.rig.host), before);
  EXPECT_EQ(f.raw("t", "ETH"), kE18);
  f.rig.expect_conserved();
}

TEST(AmmTest, DonationIsAbsorbedIntoReserves) {
  AmmFixture f;
  f.seed();
  f.rig.fund("uni", "USDC", "100");  // sent straight to the pool account
  f.rig.fund("t", "ETH", "1");
  ASSERT_TRUE(f.swap("t", "ETH", "1").ok);
  const i128 rb = 2'000'100'000'000LL;
  EXPECT_EQ(f.raw("t", "USDC"), amount_out(kE18, 1000 * kE18, rb, FeeFraction{}));
  EXPECT_EQ(f.pool.reserve_b_units(), f.raw("uni", "USDC"));
}

TEST(AmmTest, StateListsHoldersByName) {
  AmmFixture f;
  f.rig.account("zed");  // interned first: a lower id than "amy"
  f.rig.fund("zed", "ETH", "1000");
  f.rig.fund("zed", "USDC", "2000000");
  ASSERT_TRUE(f.add("zed", "1000", "2000000").ok);
  f.rig.fund("amy", "ETH", "1");
  f.rig.fund("amy", "USDC", "2000");
  ASSERT_TRUE(f.add("amy", "1", "2000").ok);
  const auto s = f.pool.state(*f.rig.host);
  std::vector<std::string> names;
  for (const auto& [k, v] : s["lp_balances"].items()) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"amy", "zed"}));
  EXPECT_EQ(s["fee"], "3/1000");
  std::vector<std::string> keys;
  for (const auto& [k, v] : s.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"reserves", "lp_supply", "lp_locked", "lp_balances", "k", "fee"}));
}

TEST(AmmTest, WideProductsAndSquareRoots) {
  // Two 18-decimal assets with 1e6 and 4e6 whole units: k exceeds 2^128.
  EXPECT_EQ(sqrt_product(1'000'000 * kE18, 4'000'000 * kE18), 2'000'000 * kE18);
  EXPECT_EQ(to_decimal(mul_wide(1'000'000 * kE18, 4'000'000 * kE18)), "4" + std::string(48, '0'));
  EXPECT_EQ(to_decimal(U256{}), "0");
  const i128 max = static_cast<i128>(~static_cast<u128>(0) >> 1);
  const U256 sq = mul_wide(max, max);  // (2^127-1)^2 = 2^254 - 2^128 + 1
  EXPECT_EQ(to_decimal(sq), "28948022309329048855892746252171976962977213799489202546401021394546514198529");
  EXPECT_EQ(sqrt_product(max, max), max);
  core::Rng rng(7);
  for (int i = 0; i < 2000; ++i) {
    const i128 a = static_cast<i128>(rng.next_u64() >> (1 + rng.next_u64() % 63)) + 1;
    const i128 b = static_cast<i128>(rng.next_u64() >> (1 + rng.next_u64() % 63)) + 1;
    EXPECT_EQ(sqrt_product(a, b), static_cast<i128>(isqrt(static_cast<u128>(a) * static_cast<u128>(b))));
    const i128 big_a = a * static_cast<i128>((rng.next_u64() >> 2) | 1);
    const i128 root = sqrt_product(big_a, b << 40);
    EXPECT_LE(mul_wide(root, root), mul_wide(big_a, b << 40));
    EXPECT_GT(mul_wide(root + 1, root + 1), mul_wide(big_a, b << 40));
  }
}

TEST(AmmTest, EighteenDecimalPairAboveOneTwentyEightBits) {
  ProtocolRig rig({{"ETH", 18}, {"DAI", 18}});
  AmmPool pool("p", rig.account("p"), AmmConfig{0, 1, FeeFraction{}});
  rig.fund("lp", "ETH", "1000000");
  rig.fund("lp", "DAI", "4000000");
  ASSERT_TRUE(rig.apply(pool, "lp", "add_liquidity", {{"amount_a", "1000000"}, {"amount_b", "4000000"}}).ok);
  EXPECT_EQ(pool.lp_supply_units(), 2'000'000 * kE18);
  EXPECT_EQ(pool.state(*rig.host)["lp_supply"], "2000000");
  EXPECT_EQ(pool.state(*rig.host)["k"], "4" + std::string(48, '0'));
}

}  // namespace
}  // namespace shardsim::protocols::amm
