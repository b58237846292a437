// Property test of protocols/lending: 10^4 random operations (supply, withdraw, borrow, repay,
// liquidate, malformed ones, price moves and time steps) on a real ledger, checking after every
// one conservation, no negative balances, pool cash against the books, and health factors,
// borrowing limits and liquidation amounts recomputed independently from the published state.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/lending/lending_pool.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::lending {
namespace {

using core::Amount;
using core::Duration;
using nlohmann::ordered_json;

constexpr int kOps = 10'000;

struct AssetInfo {
  std::string symbol;
  int decimals;
  double ltv;
  double threshold;
  double bonus;
};

// The spec's defaults, written out again (not read from the implementation).
const std::vector<AssetInfo> kAssets = {
    {"ETH", 18, 0.80, 0.825, 1.05},
    {"USDC", 6, 0.80, 0.85, 1.05},
    {"DAI", 18, 0.75, 0.80, 1.05},
};
const std::vector<std::string> kUsers = {"u0", "u1", "u2", "u3"};

double to_d(const ordered_json& j) { return std::stod(j.get<std::string>()); }

class LendingProperty : public ::testing::Test {
 protected:
  testing::ProtocolRig rig{{{"ETH", 18}, {"USDC", 6}, {"DAI", 18}}};
  std::unique_ptr<LendingPool> pool;
  core::Rng rng{20240611};
  std::map<std::string, double> price = {{"ETH", 2000.0}, {"USDC", 1.0}, {"DAI", 1.0}};
  std::map<std::string, i128> interest;  // debt interest accrued so far, in units
  std::map<std::string, i128> slack;     // rounding allowance for the pool's surplus, in units
  std::map<std::string, int> successes;  // per op

  void SetUp() override {
    LendingParams p;
    for (const AssetInfo& a : kAssets) {
      ReserveParams r = *spec_default_reserve(a.symbol);
      r.asset = rig.asset(a.symbol);
      p.reserves.push_back(r);
    }
    pool = std::make_unique<LendingPool>(p, "aave", rig.account("aave"), rig.registry);
    for (const auto& [sym, px] : price) rig.set_price(sym, px);
    for (const std::string& u : kUsers) refill(u);
  }

  void refill(const std::string& u) {
    rig.fund(u, "ETH", "400");
    rig.fund(u, "USDC", "1M");
    rig.fund(u, "DAI", "1M");
  }

  ordered_json state() { return pool->state(*rig.host); }

  static const AssetInfo& info(const std::string& sym) {
    for (const AssetInfo& a : kAssets) {
      if (a.symbol == sym) return a;
    }
    throw std::logic_error("asset");
  }
  static i128 units(const ordered_json& j, const std::string& sym) {
    return Amount::parse(j.get<std::string>(), info(sym).decimals)->raw();
  }
  static i128 held(const ordered_json& acct, const char* side, const std::string& sym) {
    return acct[side].contains(sym) ? units(acct[side][sym], sym) : 0;
  }

  // Sums in USD of one account, recomputed from its published balances and the test's prices.
  struct Sums {
    double collateral = 0, borrow_power = 0, threshold = 0, debt = 0;
  };
  Sums sums(const ordered_json& acct) const {
    Sums s;
    for (const AssetInfo& a : kAssets) {
      const double px = price.at(a.symbol);
      if (acct["supplied"].contains(a.symbol)) {
        const double v = to_d(acct["supplied"][a.symbol]) * px;
        s.collateral += v;
        s.borrow_power += v * a.ltv;
        s.threshold += v * a.threshold;
      }
      if (acct["borrowed"].contains(a.symbol)) s.debt += to_d(acct["borrowed"][a.symbol]) * px;
    }
    return s;
  }

  // Every invariant, after every step.
  void check_invariants(const ordered_json& st) {
    rig.expect_conserved();
    for (const std::string& who : {kUsers[0], kUsers[1], kUsers[2], kUsers[3], std::string("aave")}) {
      for (const AssetInfo& a : kAssets) ASSERT_GE(rig.balance(who, a.symbol).raw(), 0) << who << " " << a.symbol;
    }
    const std::size_t n_accounts = st["accounts"].size();
    for (const AssetInfo& a : kAssets) {
      const ordered_json& res = st["reserves"][a.symbol];
      const i128 cash = rig.balance("aave", a.symbol).raw();
      ASSERT_EQ(units(res["available_liquidity"], a.symbol), cash);
      i128 supplied = 0, borrowed = 0;
      for (const auto& [name, acct] : st["accounts"].items()) {
        supplied += held(acct, "supplied", a.symbol);
        borrowed += held(acct, "borrowed", a.symbol);
      }
      // The pool holds at least what the books say is available; the surplus is the reserve
      // factor's share of interest (plus rounding), never more than the interest itself.
      const i128 surplus = cash - (supplied - borrowed);
      ASSERT_GE(surplus, 0) << a.symbol;
      ASSERT_LE(surplus, interest[a.symbol] + slack[a.symbol]) << a.symbol;
      // Totals are the rounded sums of the accounts.
      const i128 total_supply = units(res["total_supply"], a.symbol);
      const i128 total_debt = units(res["total_debt"], a.symbol);
      ASSERT_GE(total_supply, supplied);
      ASSERT_LE(total_supply - supplied, static_cast<i128>(n_accounts));
      ASSERT_GE(borrowed, total_debt);
      ASSERT_LE(borrowed - total_debt, static_cast<i128>(n_accounts));
      // Utilisation and the kinked borrow rate from the published numbers.
      const double debt_d = to_d(res["total_debt"]), cash_d = to_d(res["available_liquidity"]);
      const double u = debt_d == 0 ? 0 : debt_d / (debt_d + cash_d);
      const double unit = std::pow(10.0, -a.decimals);
      const double tol = 1e-9 * u + (debt_d + cash_d > 0 ? 2 * unit / (debt_d + cash_d) : 0);
      ASSERT_NEAR(to_d(res["utilization"]), u, tol) << a.symbol;
    }
    for (const auto& [name, acct] : st["accounts"].items()) {
      const Sums s = sums(acct);
      ASSERT_NEAR(to_d(acct["collateral_value"]), s.collateral, 1e-9 * s.collateral + 1e-12) << name;
      ASSERT_NEAR(to_d(acct["debt_value"]), s.debt, 1e-9 * s.debt + 1e-12) << name;
      if (s.debt == 0) {
        ASSERT_EQ(acct["health_factor"], "inf") << name;
      } else {
        const double hf = s.threshold / s.debt;
        ASSERT_NEAR(to_d(acct["health_factor"]), hf, 1e-9 * hf + 1e-12) << name;
      }
    }
  }

  std::string amount_text(const std::string& sym, double max_whole) {
    const int dec = info(sym).decimals;
    const double whole = rng.uniform(0, max_whole);
    const int shown = static_cast<int>(rng.uniform_int(0, std::min(dec, 8)));
    const i128 scaled = static_cast<i128>(std::floor(whole * std::pow(10.0, shown)));
    return Amount::units(scaled * core::pow10_i128(dec - shown)).str(dec);
  }
  std::string pick_asset() { return kAssets[rng.uniform_index(kAssets.size())].symbol; }
  std::string pick_user() { return kUsers[rng.uniform_index(kUsers.size())]; }
  double scale(const std::string& sym) const { return 50'000.0 / price.at(sym); }

  void step_time() {
    const ordered_json before = state();
    rig.advance(Duration::s(rng.uniform_int(1, 5 * 86'400)), *pool);
    const ordered_json after = state();
    for (const AssetInfo& a : kAssets) {
      interest[a.symbol] += units(after["reserves"][a.symbol]["total_debt"], a.symbol) -
                            units(before["reserves"][a.symbol]["total_debt"], a.symbol);
    }
  }

  void step_price() {
    const std::string sym = rng.bernoulli(0.7) ? "ETH" : pick_asset();
    const double sigma = sym == "ETH" ? 0.08 : 0.01;
    const double lo = sym == "ETH" ? 300 : 0.9, hi = sym == "ETH" ? 6000 : 1.1;
    price[sym] = std::clamp(price[sym] * std::exp(rng.normal(0, sigma)), lo, hi);
    rig.set_price(sym, price[sym]);
    price[sym] = wad_to_double(rig.oracles[rig.asset(sym)].price_wad);
  }

  // One random protocol call; returns its name and fills the arguments.
  std::string random_call(const ordered_json& st, std::string& sender, std::vector<TxArg>& args) {
    sender = pick_user();
    const std::string sym = pick_asset();
    const double r = rng.uniform01();
    const ordered_json* acct = st["accounts"].contains(sender) ? &st["accounts"][sender] : nullptr;
    if (r < 0.25) {
      args = {{"asset", sym}, {"amount", amount_text(sym, scale(sym))}};
      return "supply";
    }
    if (r < 0.40) {
      const double have = acct && (*acct)["supplied"].contains(sym) ? to_d((*acct)["supplied"][sym]) : 1.0;
      args = {{"asset", sym}, {"amount", rng.bernoulli(0.15) ? "max" : amount_text(sym, have * 1.1)}};
      return "withdraw";
    }
    if (r < 0.65) {
      double room = 1.0;
      if (acct) {
        const Sums s = sums(*acct);
        room = std::max(0.0, s.borrow_power - s.debt) / price.at(sym);
      }
      args = {{"asset", sym}, {"amount", amount_text(sym, room * 1.05 + 1e-6)}};
      return "borrow";
    }
    if (r < 0.78) {
      const double owe = acct && (*acct)["borrowed"].contains(sym) ? to_d((*acct)["borrowed"][sym]) : 1.0;
      args = {{"asset", sym}, {"amount", rng.bernoulli(0.15) ? "max" : amount_text(sym, owe * 1.2)}};
      return "repay";
    }
    if (r < 0.96) {
      // Prefer an unhealthy borrower, and one of its debts and collaterals.
      std::vector<std::string> unhealthy;
      for (const auto& [name, a] : st["accounts"].items()) {
        if (a["health_factor"] != "inf" && to_d(a["health_factor"]) < 1.0) unhealthy.push_back(name);
      }
      const std::string borrower =
          !unhealthy.empty() && rng.bernoulli(0.9) ? unhealthy[rng.uniform_index(unhealthy.size())] : pick_user();
      std::string debt = pick_asset(), coll = pick_asset();
      if (st["accounts"].contains(borrower)) {
        const ordered_json& b = st["accounts"][borrower];
        std::vector<std::string> ds, cs;
        for (const auto& [k, v] : b["borrowed"].items()) ds.push_back(k);
        for (const auto& [k, v] : b["supplied"].items()) cs.push_back(k);
        if (!ds.empty()) debt = ds[rng.uniform_index(ds.size())];
        if (!cs.empty()) coll = cs[rng.uniform_index(cs.size())];
      }
      args = {{"borrower", borrower},
              {"debt_asset", debt},
              {"collateral_asset", coll},
              {"amount", rng.bernoulli(0.3) ? "max" : amount_text(debt, scale(debt))}};
      return "liquidate";
    }
    // Malformed or unknown calls.
    static const std::vector<std::vector<TxArg>> junk = {{{"asset", "ETH"}},
                                                         {{"amount", "1"}},
                                                         {{"asset", "BTC"}, {"amount", "1"}},
                                                         {{"asset", "ETH"}, {"amount", "-2"}},
                                                         {{"asset", "USDC"}, {"amount", "0.0000001"}},
                                                         {{"asset", "DAI"}, {"amount", "abc"}}};
    args = junk[rng.uniform_index(junk.size())];
    static const std::vector<std::string> ops = {"supply", "withdraw", "borrow", "repay", "liquidate", "flash"};
    return ops[rng.uniform_index(ops.size())];
  }

  // What a successful call must have done, judged from the states and balances around it.
  void check_call(const std::string& op, const std::string& sender, const std::vector<TxArg>& args,
                  const ordered_json& before, const ordered_json& after,
                  const std::map<std::string, i128>& bal_before) {
    auto arg = [&](const char* k) {
      for (const TxArg& a : args) {
        if (a.key == k) return a.value;
      }
      return std::string();
    };
    const ordered_json empty_acct = {{"supplied", ordered_json::object()}, {"borrowed", ordered_json::object()}};
    auto acct = [&](const ordered_json& st, const std::string& who) -> const ordered_json& {
      return st["accounts"].contains(who) ? st["accounts"][who] : empty_acct;
    };
    auto paid = [&](const std::string& sym) { return bal_before.at(sym) - rig.balance(sender, sym).raw(); };
    if (op == "supply" || op == "withdraw" || op == "borrow" || op == "repay") {
      const std::string sym = arg("asset");
      const bool supply_side = op == "supply" || op == "withdraw";
      const char* side = supply_side ? "supplied" : "borrowed";
      const i128 moved = op == "supply" || op == "repay" ? paid(sym) : -paid(sym);  // into the pool / out of it
      const i128 change = held(acct(after, sender), side, sym) - held(acct(before, sender), side, sym);
      const i128 expected = (op == "supply" || op == "borrow") ? moved : -moved;
      ASSERT_GT(moved, 0) << op;
      // Scaled balances lose at most one scaled unit (worth the index) to rounding.
      const long double tol =
          2 + std::ceil(to_d(after["reserves"][sym][supply_side ? "liquidity_index" : "borrow_index"]));
      ASSERT_LE(std::abs(static_cast<long double>(change - expected)), tol) << op << " " << sym;
      if (op == "supply") {
        ASSERT_LE(change, expected);  // the pool credits no more than it got
      }
      if (op == "borrow") {
        ASSERT_GE(change, expected);  // and charges no less than it lent
      }
      const Sums s = sums(acct(after, sender));
      if (op == "borrow") {
        ASSERT_LE(s.debt, s.borrow_power * (1 + 1e-9) + 1e-9);
      }
      if (op == "withdraw" && s.debt > 0) {
        ASSERT_GE(s.threshold / s.debt, 1 - 1e-9);
      }
      if (op == "repay") {
        ASSERT_LE(moved, held(acct(before, sender), "borrowed", sym));
      }
    } else if (op == "liquidate") {
      const std::string borrower = arg("borrower"), debt = arg("debt_asset"), coll = arg("collateral_asset");
      const ordered_json& b = acct(before, borrower);
      const Sums pre = sums(b);
      ASSERT_GT(pre.debt, 0);
      ASSERT_LT(pre.threshold / pre.debt, 1 + 1e-9);  // was liquidatable
      if (debt == coll || borrower == sender) return;
      const i128 repaid = paid(debt);
      const i128 seized = -paid(coll);
      const i128 debt_before = held(b, "borrowed", debt);
      ASSERT_GT(repaid, 0);
      ASSERT_LE(repaid, debt_before / 2 + 1);  // close factor 50%
      const i128 coll_before = held(b, "supplied", coll);
      const double pd = price.at(debt), pc = price.at(coll), bonus = info(coll).bonus;
      const double want = Amount::units(repaid).to_double(info(debt).decimals) * pd / pc * bonus;
      const double got = Amount::units(seized).to_double(info(coll).decimals);
      const double unit_c = std::pow(10.0, -info(coll).decimals), unit_d = std::pow(10.0, -info(debt).decimals);
      if (seized == coll_before) {  // capped: the whole balance, and no more than the repaid value buys
        ASSERT_LE(got, want * (1 + 1e-9) + unit_c);
        ASSERT_GE(got + unit_c, (want - unit_d * pd / pc * bonus) * (1 - 1e-9));
      } else {
        ASSERT_NEAR(got, want, want * 1e-9 + unit_c);
      }
      const long double tol = 2 + std::ceil(to_d(after["reserves"][debt]["borrow_index"]));
      ASSERT_LE(
          std::abs(static_cast<long double>(held(acct(after, borrower), "borrowed", debt) - (debt_before - repaid))),
          tol);
    }
  }
};

TEST_F(LendingProperty, RandomOperationsKeepTheBooksAndTheLedgerConsistent) {
  ordered_json current = state();
  check_invariants(current);
  for (int i = 0; i < kOps; ++i) {
    const double kind = rng.uniform01();
    for (const AssetInfo& a : kAssets) slack[a.symbol] += static_cast<i128>(2 * kUsers.size() + 4);
    if (kind < 0.16) {
      if (kind < 0.06) {
        step_time();
      } else {
        step_price();
      }
      current = state();
    } else {
      if (rng.bernoulli(0.01)) refill(pick_user());
      const ordered_json& before = current;
      std::string sender;
      std::vector<TxArg> args;
      const std::string op = random_call(before, sender, args);
      std::map<std::string, i128> bal_before;
      for (const AssetInfo& a : kAssets) bal_before[a.symbol] = rig.balance(sender, a.symbol).raw();
      const OpResult r = rig.apply(*pool, sender, op, args);
      ordered_json after = state();
      if (r.ok) {
        ++successes[op];
        check_call(op, sender, args, before, after, bal_before);
      } else {
        ++successes["reverted"];
        ASSERT_FALSE(r.reason.empty());
        ASSERT_EQ(after, before) << op << " reverted (" << r.reason << ") but changed the state";
        for (const AssetInfo& a : kAssets) ASSERT_EQ(rig.balance(sender, a.symbol).raw(), bal_before[a.symbol]);
      }
      if (HasFatalFailure()) FAIL() << "step " << i << ": " << op << " by " << sender << " " << r.reason;
      current = std::move(after);
    }
    check_invariants(current);
    if (HasFailure()) FAIL() << "invariant broken at step " << i;
  }
  // The walk must actually exercise every path.
  for (const char* op : {"supply", "withdraw", "borrow", "repay", "liquidate", "reverted"}) {
    EXPECT_GE(successes[op], 50) << op;
  }
  std::string counts;
  for (const auto& [op, n] : successes) counts += op + "=" + std::to_string(n) + " ";
  std::printf("lending property: %s\n", counts.c_str());
}

}  // namespace
}  // namespace shardsim::protocols::lending
