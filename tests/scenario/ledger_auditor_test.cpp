// Tests the message-only ledger auditor: over prime-broker.yaml it recomputes the broker's custody,
// venue value and hedge positions from the messages and agrees to the unit (and the numbers are not
// trivially zero); a few swarm seeds pass `ledger_audit`; and a corrupted stream (a fill
// delivered twice or shifted by one wei, a deposit the auditor never saw) or corrupted books are caught, with a detail
// that says what and by how much.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/observe/ledger_auditor.hpp"
#include "app/cli/swarm_command.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim {
namespace {

app::Topology prime_broker() {
  return app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/topologies/prime-broker.yaml");
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& part) {
  for (const std::string& s : v) {
    if (s.find(part) != std::string::npos) return true;
  }
  return false;
}

// Passes everything to the auditor, except that it may deliver the first fill twice, shift the
// first fill by one raw unit (1 wei of an 18-decimal asset), or hide the first deposit (a receipt
// or a transfer into a client's deposit account).
class Tamper final : public app::TraceSink {
 public:
  Tamper(app::LedgerAuditor& a, std::vector<protocols::AccountId> deposit_accounts, bool duplicate_fill, bool drop_deposit,
         bool shift_fill = false)
      : a_(a), deposit_accounts_(std::move(deposit_accounts)), duplicate_fill_(duplicate_fill), drop_deposit_(drop_deposit),
        shift_fill_(shift_fill) {}
  void on_message(const core::Envelope& env) override {
    if (shift_fill_ && !shifted_ && env.is<protocols::TxResult>()) {
      protocols::TxResult r = env.as<protocols::TxResult>();
      if (r.remote && r.status == protocols::TxStatus::ok && !r.outputs.empty()) {
        for (protocols::TxOutput& o : r.outputs) {
          if (o.key == "size" || o.key == "amount_out" || o.key == "amount_in") o.raw += 1;
        }
        shifted_ = true;
        std::vector<std::byte> bytes;
        core::encode_message(r, bytes);
        core::Envelope moved = env;
        moved.payload = bytes;
        return a_.on_message(moved);
      }
    }
    a_.on_message(env);
    if (!duplicate_fill_ || duplicated_ || !env.is<protocols::TxResult>()) return;
    const protocols::TxResult r = env.as<protocols::TxResult>();
    if (r.remote && r.status == protocols::TxStatus::ok && !r.outputs.empty()) {
      duplicated_ = true;
      a_.on_message(env);
    }
  }
  void on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus st,
                      std::uint64_t h) override {
    if (tx.op == protocols::TxOp::transfer && st == protocols::TxStatus::ok && drop(tx.to)) return;
    a_.on_tx_included(shard, tx, st, h);
  }
  void on_receipt(protocols::ShardId shard, const protocols::Receipt& r) override {
    if (drop(r.to)) return;
    a_.on_receipt(shard, r);
  }
  bool duplicated() const { return duplicated_; }
  bool dropped() const { return dropped_; }
  bool shifted() const { return shifted_; }

 private:
  bool drop(protocols::AccountId to) {
    if (!drop_deposit_ || dropped_) return false;
    dropped_ = std::find(deposit_accounts_.begin(), deposit_accounts_.end(), to) != deposit_accounts_.end();
    return dropped_;
  }

  app::LedgerAuditor& a_;
  std::vector<protocols::AccountId> deposit_accounts_;
  bool duplicate_fill_, drop_deposit_, shift_fill_;
  bool duplicated_ = false, dropped_ = false, shifted_ = false;
};

struct Audited {
  std::vector<std::string> failures;
  app::BrokerBooks books;
  core::Amount deposited_total;
  bool tampered = false;
};

Audited audit_prime_broker(bool duplicate_fill, bool drop_deposit, bool shift_fill = false) {
  const app::Topology t = prime_broker();
  app::Simulation world(t, t.seed);
  const app::TraceNames names = world.trace_names();
  const std::vector<app::AuditedBroker> brokers = app::audited_brokers(world);
  app::LedgerAuditor auditor(brokers, names.asset_symbols, names.asset_decimals);
  Tamper tamper(auditor, brokers[0].deposit_accounts, duplicate_fill, drop_deposit, shift_fill);
  world.attach_trace(tamper);
  world.run();
  Audited out;
  out.books = app::books_of(world, 0);
  out.failures = auditor.check(0, out.books);
  for (std::size_t c = 0; c < world.broker(0).book().clients(); ++c) {
    for (protocols::AssetId a = 0; a < names.asset_symbols.size(); ++a) out.deposited_total += auditor.deposited(0, c, a);
  }
  out.tampered = tamper.duplicated() || tamper.dropped() || tamper.shifted();
  return out;
}

TEST(LedgerAuditor, RecomputesPrimeBrokerBooksFromMessages) {
  const Audited a = audit_prime_broker(false, false);
  EXPECT_TRUE(a.failures.empty()) << joined(a.failures);
  // Not vacuous: deposits arrived, value went to venues and hedges are held.
  EXPECT_GT(a.books.deposits, 0u);
  EXPECT_GT(a.deposited_total, core::Amount{});
  core::Amount posted;
  for (const core::Amount& p : a.books.venue_posted) posted += p;
  EXPECT_GT(posted, core::Amount{});
  bool hedged = false;
  for (const protocols::i128 h : a.books.hedge_wad) hedged = hedged || h != 0;
  EXPECT_TRUE(hedged);
  EXPECT_GT(a.books.legs_sent, 0u);
}

TEST(LedgerAuditor, CatchesAFillDeliveredTwice) {
  const Audited a = audit_prime_broker(true, false);
  ASSERT_TRUE(a.tampered);
  EXPECT_TRUE(contains(a.failures, "broker prime: tx ")) << joined(a.failures);
  EXPECT_TRUE(contains(a.failures, "its remote result (a fill) was delivered twice")) << joined(a.failures);
}

// The auditor reads fills as exact integers: one fill one raw unit off (1 wei for an 18-decimal
// size) no longer matches what the broker booked, and it says on which venue.
TEST(LedgerAuditor, CatchesAFillShiftedByOneWei) {
  const Audited a = audit_prime_broker(false, false, true);
  ASSERT_TRUE(a.tampered);
  EXPECT_TRUE(contains(a.failures, "broker prime: hedge on ")) << joined(a.failures);
  EXPECT_TRUE(contains(a.failures, "from the fills reported")) << joined(a.failures);
}

TEST(LedgerAuditor, CatchesADepositItNeverSaw) {
  const Audited a = audit_prime_broker(false, true);
  ASSERT_TRUE(a.tampered);
  EXPECT_TRUE(contains(a.failures, "deposits credited: " + std::to_string(a.books.deposits) + " on the books but " +
                                       std::to_string(a.books.deposits - 1)))
      << joined(a.failures);
  EXPECT_TRUE(contains(a.failures, "custody of USDC: ")) << joined(a.failures);
}

TEST(LedgerAuditor, CatchesBooksThatDisagreeWithTheFills) {
  const app::Topology t = prime_broker();
  app::Simulation world(t, t.seed);
  const app::TraceNames names = world.trace_names();
  app::LedgerAuditor auditor(app::audited_brokers(world), names.asset_symbols, names.asset_decimals);
  world.attach_trace(auditor);
  world.run();
  app::BrokerBooks books = app::books_of(world, 0);
  ASSERT_TRUE(auditor.check(0, books).empty()) << joined(auditor.check(0, books));
  std::size_t v = 0;
  while (v < books.hedge_wad.size() && books.hedge_wad[v] == 0) ++v;
  ASSERT_LT(v, books.hedge_wad.size());
  books.hedge_wad[v] += 1;  // one WAD unit
  books.orders_rejected += 1;
  const std::vector<std::string> f = auditor.check(0, books);
  EXPECT_TRUE(contains(f, "hedge on " + world.broker(0).book().venues()[v].instrument + ": ")) << joined(f);
  EXPECT_TRUE(contains(f, "from the fills reported")) << joined(f);
  EXPECT_TRUE(contains(f, "orders filled + rejected: ")) << joined(f);
}

TEST(LedgerAuditor, SwarmSeedsPassLedgerAudit) {
  const app::Topology t = prime_broker();
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const app::SeedOutcome o = app::run_swarm_seed(t, seed);
    std::string why;
    for (const app::InvariantFailure& f : o.failures) why += f.invariant + ": " + f.detail + "\n";
    EXPECT_TRUE(o.ok()) << "seed " << seed << " [" << o.fault_mix << "]\n" << why;
  }
}

}  // namespace
}  // namespace shardsim
