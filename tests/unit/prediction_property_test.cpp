// Property test for protocols/prediction: 10^4 random operations (create, complete sets, LMSR
// trades, reports, disputes, finalisation, redemption, time passing) through the test rig; after
// every one, ledger conservation, no negative balance, full backing of every outstanding share
// plus the maker's worst case, share and stake bookkeeping, all recomputed here independently.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "protocols/prediction/prediction_protocol.hpp"
#include "tests/support/protocol_rig.hpp"

namespace shardsim::protocols::prediction {
namespace {

using testing::ProtocolRig;

const std::vector<std::string> kUsers{"creator", "dr", "u0", "u1", "u2", "u3"};
const std::vector<std::string> kNames{"A", "B", "C", "D"};

// C(q) in whole-unit long double, from raw units.
long double ref_cost(const std::vector<i128>& q, i128 b) {
  const long double bb = static_cast<long double>(b);
  long double m = static_cast<long double>(q[0]);
  for (const i128 x : q) m = std::max(m, static_cast<long double>(x));
  long double s = 0;
  for (const i128 x : q) s += std::exp((static_cast<long double>(x) - m) / bb);
  return m + bb * std::log(s);
}

// What the test tracks itself, from ledger movements, per market.
struct Shadow {
  i128 sets = 0;           // complete sets bought - sold
  i128 maker_revenue = 0;  // collateral traders paid the maker, net of what it paid back
};

// Every piece of a market's state that an op may touch.
bool same(const Market& x, const Market& y) {
  return x.maker_q_units == y.maker_q_units && x.outstanding_units == y.outstanding_units &&
         x.complete_sets_units == y.complete_sets_units && x.collateral_units == y.collateral_units &&
         x.holdings == y.holdings && x.reported == y.reported && x.tentative == y.tentative && x.round == y.round &&
         x.stake_units == y.stake_units && x.partial_units == y.partial_units && x.staked_by == y.staked_by &&
         x.partial_by == y.partial_by && x.forked == y.forked && x.finalized == y.finalized &&
         x.no_show_bond_units == y.no_show_bond_units && x.winners == y.winners;
}

struct Counts {
  int ok = 0, reverted = 0, trades = 0, filled = 0, forks = 0, finalized = 0, redeemed = 0, invalid = 0;
};

class World {
 public:
  World() {
    Params prm = Params::defaults(0, 6);
    prm.b = core::Amount::units(100'000'000);             // 100: prices move
    prm.fork_threshold = core::Amount::units(100'000'000);  // 100: the 4th filled bond (120) forks
    prm.report_bond = core::Amount::units(10'000'000);
    prm.dispute_window = core::Duration::h(2);
    prm.designated_report_window = core::Duration::h(2);
    prm.fork_freeze = core::Duration::h(10);
    params_ = prm;
    p_ = std::make_unique<PredictionProtocol>(prm, "augur", rig_.account("augur"));
    for (const std::string& u : kUsers) rig_.fund(u, "USDC", "10000000");
  }

  void step() {
    const std::uint64_t pick = rng_.uniform_index(100);
    if (pick < 8) {
      rig_.advance(core::Duration::s(rng_.uniform_int(0, 90 * 60)), *p_);
    } else {
      random_op(pick);
    }
    check();
  }

  const Counts& counts() const { return counts_; }

 private:
  std::string user() { return kUsers[rng_.uniform_index(kUsers.size())]; }
  // Mostly a market in the phase the op needs (0: trading, 1: ended and unreported, 2: finalized,
  // 3: reported); sometimes any recent market, or an unknown one, for the reverts.
  std::string market(int phase) {
    if (ids_.empty() || rng_.uniform_index(200) == 0) return "nope";
    std::vector<std::string> fit;
    for (const auto& [id, m] : p_->markets()) {
      const int at = m.finalized ? 2 : m.reported ? 3 : rig_.now >= m.end ? 1 : 0;
      if (at == phase && (phase != 2 || !m.holdings.empty())) fit.push_back(id);
    }
    if (fit.empty() || rng_.bernoulli(0.1)) {
      const std::size_t recent = std::min<std::size_t>(ids_.size(), 4);
      return ids_[ids_.size() - 1 - rng_.uniform_index(recent)];
    }
    return fit[rng_.uniform_index(fit.size())];
  }
  std::string outcome(const std::string& id) {
    const Market* m = p_->market(id);
    if (m == nullptr) return "A";
    return m->outcomes[rng_.uniform_index(m->n())];
  }
  // Random positive decimal with up to 6 decimals, below `max` whole units.
  std::string amount(std::int64_t max) {
    const std::int64_t raw = rng_.uniform_int(1, max * 1'000'000);
    return core::Amount::units(raw).str(6);
  }

  void random_op(std::uint64_t pick) {
    std::string who = user();
    const int phase = pick < 55 ? 0 : pick < 62 ? 1 : pick < 88 ? 3 : 2;
    const std::string id = market(phase);
    const Market* chosen = p_->market(id);
    // Holders sell and redeem what they hold; designated reporters mostly show up.
    if (chosen != nullptr && (phase == 2 || (pick >= 25 && pick < 55 && rng_.bernoulli(0.5))) &&
        !chosen->holdings.empty() && rng_.bernoulli(0.9)) {
      auto it = chosen->holdings.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(rng_.uniform_index(chosen->holdings.size())));
      who = rig_.registry.account_name(it->first);
    }
    if (chosen != nullptr && phase == 1 && rng_.bernoulli(0.7)) {
      who = rig_.registry.account_name(chosen->designated_reporter);
    }
    std::string op;
    std::vector<TxArg> args;
    if (pick < 11 || live() < 2) {
      op = "create_market";
      const std::string mid = "M" + std::to_string(next_id_);
      std::string outs;
      const std::size_t k = 2 + rng_.uniform_index(3);
      for (std::size_t i = 0; i < k; ++i) outs += (i ? "," : "") + kNames[i];
      const core::SimTime end = rig_.now + core::Duration::s(rng_.uniform_int(1800, 6 * 3600));
      const std::string reporter = rng_.bernoulli(0.8) ? "dr" : "u0";
      args = {{"id", mid}, {"outcomes", outs}, {"end", end.str()}, {"designated_reporter", reporter}};
    } else if (pick < 25) {
      op = rng_.bernoulli(0.6) ? "buy_complete_set" : "sell_complete_set";
      args = {{"market", id}, {"amount", amount(300)}};
    } else if (pick < 55) {
      op = "trade";
      std::string s = amount(250);
      if (rng_.bernoulli(0.45)) s = "-" + s;
      args = {{"market", id}, {"outcome", outcome(id)}, {"shares", s}};
    } else if (pick < 62) {
      op = "report";
      args = {{"market", id}, {"outcome", outcome(id)}};
    } else if (pick < 80) {
      op = "dispute";
      args = {{"market", id}, {"outcome", outcome(id)}, {"stake", amount(130)}};
    } else if (pick < 88) {
      op = "finalize";
      args = {{"market", id}};
    } else if (pick < 98) {
      op = "redeem";
      args = {{"market", id}};
    } else {
      op = rng_.bernoulli(0.5) ? "trade" : "bogus";
      args = {{"market", id}};
    }
    apply(who, op, args);
  }

  std::size_t live() const {
    std::size_t n = 0;
    for (const auto& [id, m] : p_->markets()) n += !m.finalized || !m.holdings.empty();
    return n;
  }

  void apply(const std::string& who, const std::string& op, const std::vector<TxArg>& args) {
    const std::string id = args.empty() ? "" : args[0].value;
    const Market* before = p_->market(id);
    const Market snapshot = before ? *before : Market{};
    const i128 sender_before = rig_.balance(who, "USDC").raw();
    const core::Amount burned_before = rig_.ledger->flows(0).burned;
    const OpResult r = rig_.apply(*p_, who, op, args);
    if (!r.ok) {
      ++counts_.reverted;
      // A revert changes nothing: ledger (checked by the rig's rollback) and market state.
      EXPECT_EQ(rig_.balance(who, "USDC").raw(), sender_before) << op << " " << r.reason;
      if (before) {
        EXPECT_TRUE(same(*p_->market(id), snapshot)) << op << " " << r.reason;
      }
      return;
    }
    ++counts_.ok;
    const i128 paid = sender_before - rig_.balance(who, "USDC").raw();
    const Market& m = *p_->market(op == "create_market" ? args[0].value : id);
    if (op == "create_market") {
      ids_.push_back(m.id);
      ++next_id_;
      EXPECT_EQ(paid, m.subsidy_units + params_.report_bond.raw());
      const long double bound = static_cast<long double>(m.b_units) * std::log(static_cast<long double>(m.n()));
      EXPECT_GE(static_cast<long double>(m.subsidy_units), bound);
      EXPECT_LE(static_cast<long double>(m.subsidy_units), bound + 3);
    } else if (op == "buy_complete_set" || op == "sell_complete_set") {
      shadow_[id].sets += paid;  // 1 collateral per set, both ways
    } else if (op == "trade") {
      ++counts_.trades;
      shadow_[id].maker_revenue += paid;
      // What was charged or paid is C(q_after) - C(q_before), rounded for the maker, within 2 units.
      const long double exact =
          (ref_cost(m.maker_q_units, m.b_units) - ref_cost(snapshot.maker_q_units, m.b_units));
      EXPECT_GE(static_cast<long double>(paid), exact - 1e-3L);
      EXPECT_LE(static_cast<long double>(paid), exact + 2.001L);
    } else if (op == "dispute" && m.partial_units == std::vector<i128>(m.n(), 0)) {
      ++counts_.filled;
      counts_.forks += m.forked;
    } else if (op == "finalize") {
      ++counts_.finalized;
      counts_.invalid += m.final_outcome == kInvalidOutcome;
      const i128 forfeited = snapshot.total_stake_units() - snapshot.stake_units[m.final_outcome];
      const i128 burned = (rig_.ledger->flows(0).burned - burned_before).raw();
      const i128 min_burn = (forfeited + 4) / 5;  // ceil(20%)
      EXPECT_GE(burned, min_burn);
      EXPECT_LE(burned, min_burn + static_cast<i128>(m.winners.size()));
      if (snapshot.forked) {
        for (std::size_t i = 0; i < m.n(); ++i) EXPECT_LE(m.stake_units[i], m.stake_units[m.final_outcome]);
      } else {
        EXPECT_EQ(m.final_outcome, snapshot.tentative);
      }
    } else if (op == "redeem") {
      ++counts_.redeemed;
      const std::vector<i128>& h = snapshot.holdings.at(rig_.account(who));
      i128 gross = 0;
      if (m.final_outcome != kInvalidOutcome) {
        gross = h[m.final_outcome];
      } else {
        for (const i128 s : h) gross += s;
        gross /= static_cast<i128>(m.n());
      }
      // Fees rounded up: 1% + 0.5%. The redeemer may also be the creator or a winning staker.
      const i128 fee_c = (gross + 99) / 100, fee_r = (gross + 199) / 200;
      const AccountId me = rig_.account(who);
      const bool creator = me == m.creator || std::any_of(m.winners.begin(), m.winners.end(),
                                                          [&](const auto& w) { return w.first == me; });
      if (!creator) {
        EXPECT_EQ(-paid, gross - fee_c - fee_r);
      }
    }
  }

  void check() {
    rig_.expect_conserved();
    for (const std::string& u : kUsers) ASSERT_GE(rig_.balance(u, "USDC").raw(), 0) << u;
    ASSERT_GE(rig_.balance("augur", "USDC").raw(), 0);
    i128 held_for_markets = 0;
    for (const auto& [id, m] : p_->markets()) {
      const std::size_t n = m.n();
      // Shares outstanding are the sum of holdings, none negative.
      std::vector<i128> sum(n, 0);
      for (const auto& [who, h] : m.holdings) {
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_GE(h[i], 0);
          sum[i] += h[i];
        }
      }
      ASSERT_EQ(sum, m.outstanding_units) << id;
      // Stakes are the sum of the stakers' records.
      std::vector<i128> staked(n, 0), partial(n, 0);
      for (const auto& [who, s] : m.staked_by) for (std::size_t i = 0; i < n; ++i) staked[i] += s[i];
      for (const auto& [who, s] : m.partial_by) for (std::size_t i = 0; i < n; ++i) partial[i] += s[i];
      ASSERT_EQ(staked, m.stake_units) << id;
      ASSERT_EQ(partial, m.partial_units) << id;
      i128 a = 0, partial_total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        a += staked[i];
        partial_total += partial[i];
      }
      if (m.reported && !m.finalized && !m.forked) {
        if (m.round == 1) {
          ASSERT_EQ(a, m.stake_units[m.tentative]);
        } else {
          ASSERT_EQ(3 * m.stake_units[m.tentative], 2 * a) << id;  // 2/3 after a flip
        }
        for (std::size_t i = 0; i < n; ++i) {
          if (i != m.tentative) {
            ASSERT_LT(partial[i], 2 * a - 3 * staked[i]);  // an unfilled bond stays unfilled
          }
        }
      }
      if (!m.finalized) {
        const Shadow& sh = shadow_[id];
        ASSERT_EQ(m.complete_sets_units, sh.sets);
        ASSERT_EQ(m.collateral_units, m.subsidy_units + sh.sets + sh.maker_revenue) << id;
        i128 worst = 0, max_q = m.maker_q_units[0];
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(m.maker_q_units[i], m.outstanding_units[i] - sh.sets);
          worst = std::max(worst, m.outstanding_units[i]);
          max_q = std::max(max_q, m.maker_q_units[i]);
        }
        // Every outstanding complete set is paid in full and the maker can cover any outcome.
        ASSERT_GE(m.collateral_units, worst) << id;
        ASSERT_GE(m.collateral_units - sh.sets, max_q) << id;
        // The maker took at least C(q) - C(0), so its loss is at most b*ln(n).
        const long double taken = static_cast<long double>(sh.maker_revenue);
        const std::vector<i128> zero(n, 0);
        ASSERT_GE(taken, ref_cost(m.maker_q_units, m.b_units) - ref_cost(zero, m.b_units) - 1e-3L);
        ASSERT_LE(static_cast<long double>(max_q) - taken,
                  static_cast<long double>(m.b_units) * std::log(static_cast<long double>(n)));
        held_for_markets += m.collateral_units + m.no_show_bond_units + a + partial_total;
      } else {
        // After finalisation the market holds exactly what its shares redeem for.
        i128 owed = 0;
        for (const auto& [who, h] : m.holdings) {
          if (m.final_outcome != kInvalidOutcome) {
            owed += h[m.final_outcome];
          } else {
            i128 s = 0;
            for (const i128 x : h) s += x;
            owed += s / static_cast<i128>(n);
          }
        }
        ASSERT_EQ(m.collateral_units, owed) << id;
        held_for_markets += m.collateral_units;
      }
    }
    ASSERT_EQ(rig_.balance("augur", "USDC").raw(), held_for_markets);
  }

  ProtocolRig rig_{{{"USDC", 6}}};
  Params params_;
  std::unique_ptr<PredictionProtocol> p_;
  core::Rng rng_{20261125};
  std::vector<std::string> ids_;
  std::map<std::string, Shadow> shadow_;
  std::size_t next_id_ = 1;
  Counts counts_;
};

TEST(PredictionPropertyTest, RandomOperationsKeepMarketsBackedAndConserved) {
  World w;
  for (int i = 0; i < 10'000; ++i) {
    w.step();
    if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) {
      FAIL() << "after operation " << i;
    }
  }
  const Counts& c = w.counts();
  std::printf("ok %d reverted %d trades %d filled bonds %d forks %d finalized %d (invalid %d) redeemed %d\n", c.ok,
              c.reverted, c.trades, c.filled, c.forks, c.finalized, c.invalid, c.redeemed);
  // Every phase was exercised.
  EXPECT_GT(c.trades, 1000);
  EXPECT_GT(c.filled, 20);
  EXPECT_GT(c.forks, 0);
  EXPECT_GT(c.finalized, 10);
  EXPECT_GT(c.redeemed, 20);
}

}  // namespace
}  // namespace shardsim::protocols::prediction
