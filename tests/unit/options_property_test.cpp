// Property test for protocols/options: per seed, random vault operations (collateral in and out,
// mint, burn, longs in and out, options changing hands) on the five series; after every one,
// each vault's collateral plus its long's payout covers its short's payout at every expiry price
// of a grid (strikes, their neighbours, the extremes), the pool holds exactly the vaults'
// collateral and longs; then expiry at a random price, every vault settled and every option
// redeemed (cash) or exercised (physical, even seeds), and the pool is left with only rounding
// dust, never negative and at most a few units per settlement, with the ledger conserved.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/options/options_protocol.hpp"
#include "tests/support/options_fixture.hpp"

namespace shardsim::protocols::options {
namespace {

using testing::OptionsFixture;

const std::vector<std::string> kUsers{"writer", "lp", "holder", "w1", "w2"};
const std::vector<std::string> kSeries{"C2000", "C2200", "P2000", "P1800"};  // the 1h ones
const std::vector<std::string> kVaults{"a", "b"};

std::string raw_text(i128 raw, int decimals) { return core::Amount::units(raw).str(decimals); }

template <typename T>
const T& pick(core::Rng& rng, const std::vector<T>& v) {
  return v[rng.uniform_index(v.size())];
}

// Expiry prices where a payout or a spread's loss turns: the strikes, one WAD unit either side,
// and the extremes.
std::vector<i128> price_grid() {
  std::vector<i128> out{1, kWadUnit, 1000 * kWadUnit, 1'000'000'000 * kWadUnit};
  for (const i128 k : {1800, 2000, 2200}) {
    for (const i128 d : {-1, 0, 1}) out.push_back(k * kWadUnit + d);
  }
  out.push_back(double_to_wad(1900.123456789));
  out.push_back(double_to_wad(2133.3333333333));
  return out;
}

void random_op(OptionsFixture& f, core::Rng& rng, bool physical) {
  const std::string& who = pick(rng, kUsers);
  const std::string& vault = pick(rng, kVaults);
  const std::string& series = pick(rng, kSeries);
  const std::string opt = raw_text(rng.uniform_int(1, 300'000'000), 8);  // up to 3 options
  switch (rng.uniform_index(physical ? 5 : 9)) {
    case 0: {
      const bool eth = rng.uniform01() < 0.5;
      const std::string amount = eth ? raw_text(rng.uniform_int(1, 3'000'000'000'000'000'000LL), 18)
                                     : raw_text(rng.uniform_int(1, 6'000'000'000LL), 6);
      f.op(who, "deposit_collateral", {{"vault", vault}, {"asset", eth ? "ETH" : "USDC"}, {"amount", amount}});
      break;
    }
    case 1: f.op(who, "mint", {{"vault", vault}, {"series", series}, {"amount", opt}}); break;
    case 2: f.op(who, "burn", {{"vault", vault}, {"amount", opt}}); break;
    case 3: {
      const Vault* v = f.p->vault(f.rig.account(who), vault);
      if (v == nullptr || !v->collateral) break;
      const i128 raw = rng.uniform_int(1, static_cast<std::int64_t>(std::min<i128>(v->collateral_units + 1, 1LL << 62)));
      f.op(who, "withdraw_collateral", {{"vault", vault}, {"amount", raw_text(raw, f.rig.registry.decimals(*v->collateral))}});
      break;
    }
    case 4: {  // options change hands on the ledger (an AMM trade, an OTC sale)
      const i128 held = f.bal(who, series);
      if (held > 0) {
        const i128 raw = rng.uniform_int(1, static_cast<std::int64_t>(held));
        f.give(who, pick(rng, kUsers), series, raw_text(raw, 8));
      }
      break;
    }
    case 5: f.op(who, "deposit_long", {{"vault", vault}, {"series", series}, {"amount", opt}}); break;
    case 6: f.op(who, "withdraw_long", {{"vault", vault}, {"amount", opt}}); break;
    default: {  // a spread in vault b: write the long in vault a, deposit it in b, short the other
      const bool put = rng.uniform01() < 0.5;
      const bool higher_long = rng.uniform01() < 0.5;
      const std::string lo = put ? "P1800" : "C2000", hi = put ? "P2000" : "C2200";
      const std::string& long_series = higher_long ? hi : lo;
      const std::string& short_series = higher_long ? lo : hi;
      const std::string asset = put ? "USDC" : "ETH";
      f.op(who, "deposit_collateral", {{"vault", "a"}, {"asset", asset}, {"amount", put ? "6000" : "3"}});
      f.op(who, "mint", {{"vault", "a"}, {"series", long_series}, {"amount", opt}});
      const std::string margin = put ? raw_text(rng.uniform_int(1, 700'000'000), 6)
                                     : raw_text(rng.uniform_int(1, 400'000'000'000'000'000LL), 18);
      f.op(who, "deposit_collateral", {{"vault", "b"}, {"asset", asset}, {"amount", margin}});
      f.op(who, "deposit_long", {{"vault", "b"}, {"series", long_series}, {"amount", opt}});
      f.op(who, "mint", {{"vault", "b"}, {"series", short_series}, {"amount", raw_text(rng.uniform_int(1, 300'000'000), 8)}});
      // Down to exactly the requirement, where rounding would show.
      if (const Vault* v = f.p->vault(f.rig.account(who), "b"); v != nullptr && v->collateral) {
        const i128 excess = v->collateral_units - f.p->required_units(*f.rig.host, *v);
        const int dec = f.rig.registry.decimals(*v->collateral);
        if (excess > 0) f.ok(who, "withdraw_collateral", {{"vault", "b"}, {"amount", raw_text(excess, dec)}});
      }
      break;
    }
  }
}

struct Counts {
  int spreads = 0;        // vault states holding both a short and a long
  int shorts = 0;         // vault states with a short
};

void expect_covered(OptionsFixture& f, const std::vector<i128>& grid, int step, Counts& counts) {
  std::map<AssetId, i128> collateral;
  std::map<AssetId, i128> longs;
  for (const auto& [key, v] : f.p->vaults()) {
    if (v.collateral) collateral[*v.collateral] += v.collateral_units;
    if (v.long_series) longs[f.p->params().series[*v.long_series].token] += v.long_units;
    counts.shorts += v.short_units > 0;
    counts.spreads += v.short_units > 0 && v.long_units > 0;
    for (const i128 price : grid) {
      const auto s = f.p->cash_settlement(*f.rig.host, v, price);
      ASSERT_GE(s.owner_units, 0) << "step " << step << " vault " << key.second << " at price " << wad_to_double(price);
    }
  }
  for (const char* a : {"USDC", "ETH"}) EXPECT_EQ(f.bal("options", a), collateral[f.rig.asset(a)]) << a;
  for (const std::string& s : kSeries) EXPECT_EQ(f.bal("options", s), longs[f.rig.asset(s)]) << s;
}

TEST(OptionsPropertyTest, CollateralCoversPayoutAndExpiryConserves) {
  const std::vector<i128> grid = price_grid();
  int settlements_total = 0;
  Counts counts;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const bool physical = seed % 2 == 0;
    OptionsFixture f(physical ? Settlement::physical : Settlement::cash);
    core::Rng rng(seed);
    for (int step = 0; step < 150; ++step) {
      random_op(f, rng, physical);
      expect_covered(f, grid, step, counts);
      if (::testing::Test::HasFailure()) return;
    }
    // Expiry at a random price with 9 decimals.
    const double price = std::floor(rng.uniform(1500, 2600) * 1e9) / 1e9;
    f.expire_at(std::to_string(price));
    int settlements = 0;
    if (physical) {
      for (const std::string& who : kUsers) {
        for (const std::string& s : kSeries) {
          const i128 held = f.bal(who, s);
          if (held > 0 && f.op(who, "exercise", {{"series", s}, {"amount", raw_text(held, 8)}}).ok) ++settlements;
        }
      }
      f.advance_to(core::SimTime::zero() + core::Duration::h(4));
    }
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& [key, v] : f.p->vaults()) keys.emplace_back(f.rig.registry.account_name(key.first), key.second);
    for (const auto& [who, vault] : keys) {
      f.ok(who, "settle_vault", {{"vault", vault}});
      ++settlements;
    }
    EXPECT_TRUE(f.p->vaults().empty());
    if (!physical) {
      for (const std::string& who : kUsers) {
        for (const std::string& s : kSeries) {
          const i128 held = f.bal(who, s);
          if (held == 0) continue;
          f.ok(who, "redeem", {{"series", s}, {"amount", raw_text(held, 8)}});
          ++settlements;
        }
      }
      for (const std::string& s : kSeries) EXPECT_TRUE(f.rig.ledger->flows(f.rig.asset(s)).held.is_zero()) << s;
    }
    // What stays is rounding dust: at most a few units per settlement, in the pool's favour.
    for (const char* a : {"USDC", "ETH"}) {
      EXPECT_GE(f.bal("options", a), 0);
      EXPECT_LE(f.bal("options", a), 3 * settlements) << a << " seed " << seed;
    }
    f.rig.expect_conserved();
    settlements_total += settlements;
  }
  // The random walk did write, spread and settle options.
  std::printf("vault states with a short: %d, of them spreads: %d, settlements: %d\n", counts.shorts, counts.spreads,
              settlements_total);
  EXPECT_GT(settlements_total, 200);
  EXPECT_GT(counts.spreads, 100);
}

}  // namespace
}  // namespace shardsim::protocols::options
