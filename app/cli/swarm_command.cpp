// `shardsim swarm`: seeds run on a thread pool, each World on one thread, each checked against
// the invariants after its liveness phase; outcomes are reported in seed order.
#include "app/cli/swarm_command.hpp"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>

#include "app/cli/cli.hpp"
#include "app/observe/ledger_auditor.hpp"
#include "app/batch/replica.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/observe/audit.hpp"
#include "app/observe/simulation.hpp"

namespace shardsim::app {
namespace {

using LedgerBalances = std::map<broker::LedgerKey, core::Amount>;

// A broker ledger as the auditor first sees it: the balances posted before its journal was
// switched on (the opening capital and default fund) and how many postings made them.
struct LedgerOpening {
  LedgerBalances balances;
  std::size_t postings = 0;
};

LedgerBalances balances_of(const broker::BrokerLedger& ledger) {
  LedgerBalances out;
  ledger.for_each([&out](const broker::LedgerKey& key, core::Amount amount) { out.emplace(key, amount); });
  return out;
}

std::string amount_str(const Topology& t, protocols::AssetId asset, core::Amount amount) {
  return asset < t.assets.size() ? amount.str(t.assets[asset].decimals) + " " + t.assets[asset].symbol
                                 : core::i128_to_string(amount.raw()) + " units of asset " + std::to_string(asset);
}

std::string key_str(const broker::LedgerKey& k) {
  return std::string(broker::to_string(k.book)) + "[" + std::to_string(k.owner) + "]";
}

// The independent auditor: the opening balances plus every journalled posting, replayed, must
// give the ledger's balances key by key, and the journal must hold every posting since.
std::optional<std::string> audit_journal(const Topology& t, const broker::BrokerLedger& ledger,
                                         const LedgerOpening& opening) {
  const auto& journal = ledger.journal();
  if (opening.postings + journal.size() != ledger.postings()) {
    return std::to_string(ledger.postings()) + " postings on the ledger, but " + std::to_string(opening.postings) +
           " at opening + " + std::to_string(journal.size()) + " in the journal";
  }
  LedgerBalances replayed = opening.balances;
  for (std::size_t i = 0; i < journal.size(); ++i) {
    const broker::BrokerLedger::Posting& p = journal[i];
    if (p.from.asset != p.to.asset) return "posting " + std::to_string(i) + " (" + p.memo + ") crosses assets";
    replayed[p.from] -= p.amount;
    replayed[p.to] += p.amount;
  }
  const LedgerBalances actual = balances_of(ledger);
  auto mismatch = [&](const broker::LedgerKey& k, core::Amount on_ledger, core::Amount recomputed) {
    return key_str(k) + " holds " + amount_str(t, k.asset, on_ledger) + " on the ledger but " +
           amount_str(t, k.asset, recomputed) + " recomputed from " + std::to_string(journal.size()) + " journalled postings";
  };
  for (const auto& [key, amount] : actual) {
    const auto it = replayed.find(key);
    const core::Amount recomputed = it == replayed.end() ? core::Amount{} : it->second;
    if (recomputed != amount) return mismatch(key, amount, recomputed);
  }
  for (const auto& [key, amount] : replayed) {
    if (!actual.contains(key) && !amount.is_zero()) return mismatch(key, core::Amount{}, amount);
  }
  return std::nullopt;
}

// Receipts: every one emitted was consumed exactly once, and no value is left inside one.
std::optional<std::string> exactly_once(const Topology& t, const World& world) {
  std::uint64_t emitted = 0, consumed = 0;
  for (std::size_t i = 0; i < t.shards.size(); ++i) {
    emitted += world.shard(i).stats().receipts_emitted;
    consumed += world.shard(i).stats().receipts_consumed;
  }
  if (consumed > emitted) {
    return std::to_string(consumed) + " receipts consumed but only " + std::to_string(emitted) +
           " emitted: a receipt was delivered twice";
  }
  if (consumed != emitted) {
    return std::to_string(emitted) + " receipts emitted, " + std::to_string(consumed) + " consumed: " +
           std::to_string(emitted - consumed) + " still undelivered after the liveness phase";
  }
  for (std::uint32_t a = 0; a < t.assets.size(); ++a) {
    core::Amount sent, received;
    for (std::size_t i = 0; i < t.shards.size(); ++i) {
      sent += world.shard(i).ledger().flows(a).sent_out;
      received += world.shard(i).ledger().flows(a).received;
    }
    if (sent != received) {
      return "every receipt consumed, yet " + amount_str(t, a, sent - received) + " is still in flight (sent " +
             amount_str(t, a, sent) + ", received " + amount_str(t, a, received) + ")";
    }
  }
  return std::nullopt;
}

// Sagas: none pending, every hedge ended once (committed or compensated), nothing in flight at a
// venue, and no withdrawal left in transit on the ledger.
std::optional<std::string> saga_pending(const Topology& t, const broker::Broker& br) {
  const std::string who = "broker " + br.config().name + ": ";
  const nlohmann::ordered_json r = br.report();
  const nlohmann::ordered_json& h = r["hedges"];
  const auto pending = h["pending"].get<std::uint64_t>();
  const auto sent = h["sent"].get<std::uint64_t>();
  const auto committed = h["committed"].get<std::uint64_t>();
  const auto compensated = h["compensated"].get<std::uint64_t>();
  if (pending != 0) return who + std::to_string(pending) + " hedge saga(s) pending after the liveness phase";
  if (sent != committed + compensated) {
    return who + std::to_string(sent) + " hedge sagas sent but " + std::to_string(committed) + " committed + " +
           std::to_string(compensated) + " compensated";
  }
  for (const auto& p : h["positions"]) {
    if (p["in_flight"].get<std::string>() != "0") {
      return who + "hedge on " + p["venue"].get<std::string>() + " still has " + p["in_flight"].get<std::string>() +
             " in flight";
    }
  }
  std::optional<std::string> transit;
  br.book().ledger().for_each([&](const broker::LedgerKey& k, core::Amount amount) {
    if (!transit && k.book == broker::LedgerBook::in_transit && !amount.is_zero()) {
      transit = who + "withdrawal of client " + std::to_string(k.owner) + " still in transit: " +
                amount_str(t, k.asset, amount);
    }
  });
  return transit;
}

}  // namespace

SeedOutcome run_swarm_seed(const Topology& base, std::uint64_t seed) {
  SeedOutcome out;
  out.seed = seed;
  const std::vector<FaultSpec> mix = derive_fault_mix(base, seed);
  out.fault_mix = describe_fault_mix(base, mix);
  auto fail = [&out](std::string invariant, std::string detail) {
    out.failures.push_back(InvariantFailure{std::move(invariant), std::move(detail)});
  };
  Topology topology = base;  // the World keeps a reference: it must outlive it
  topology.faults.insert(topology.faults.end(), mix.begin(), mix.end());
  try {
    Simulation world(topology, seed);
    world.set_ledger_journals(true);
    // The message-only auditor watches the run (it never changes it).
    LedgerAuditor auditor(audited_brokers(world), world.trace_names().asset_symbols, world.trace_names().asset_decimals);
    world.attach_trace(auditor);
    std::vector<LedgerOpening> openings;
    for (std::size_t b = 0; b < world.broker_count(); ++b) {
      const broker::BrokerLedger& ledger = world.broker(b).book().ledger();
      openings.push_back(LedgerOpening{balances_of(ledger), ledger.postings()});
    }
    core::RunStats stats;
    try {
      stats = world.run();
    } catch (const core::LimitExceeded& e) {
      out.events = world.engine().events_processed();
      out.fingerprint = world.fingerprint();
      fail("limit", std::string(e.what()) + " at sim_time=" + world.engine().now().str());
      return out;
    }
    out.events = stats.events;
    out.fingerprint = world.fingerprint();
    if (stats.interrupted) fail("interrupted", "the run stopped early at sim_time=" + stats.end_time.str());

    const ConservationReport conservation = world.check_conservation();
    if (!conservation.ok) fail("conservation", conservation.breach);
    if (const auto why = exactly_once(topology, world)) fail("exactly_once", *why);
    if (const auto why = negative_balance(world)) fail("no_negative_balance", *why);
    for (std::size_t b = 0; b < world.broker_count(); ++b) {
      if (const auto why = saga_pending(topology, world.broker(b))) fail("saga_pending", *why);
    }
    for (std::size_t b = 0; b < world.broker_count(); ++b) {
      const broker::Broker& br = world.broker(b);
      if (const auto why = audit_journal(topology, br.book().ledger(), openings[b])) {
        fail("ledger_audit", "broker " + br.config().name + ": " + *why);
      }
      for (std::string& why : auditor.check(b, books_of(world, b))) fail("ledger_audit", std::move(why));
    }
  } catch (const std::exception& e) {
    fail("exception", e.what());
  } catch (...) {
    fail("exception", "an exception that is not a std::exception");
  }
  return out;
}

SwarmSummary run_swarm(const Topology& topology, std::uint64_t first_seed, std::uint64_t count, unsigned jobs,
                       const SwarmHooks& hooks) {
  const auto wall_start = std::chrono::steady_clock::now();  // wall time is reported, never simulated
  SwarmSummary summary;
  summary.seeds = count;
  auto announce = [&](std::uint64_t i) {
    if (hooks.before && i < count) {
      hooks.before(first_seed + i, describe_fault_mix(topology, derive_fault_mix(topology, first_seed + i)));
    }
  };
  announce(0);
  // Outcomes are reported in seed order; only those that finished ahead of an earlier seed wait.
  std::vector<SeedOutcome> outcomes(count);
  run_ordered(
      count, jobs, [&](std::uint64_t i) { outcomes[i] = run_swarm_seed(topology, first_seed + i); },
      [&](std::uint64_t i) {
        SeedOutcome& o = outcomes[i];
        if (hooks.after) hooks.after(o);
        if (!o.ok()) {
          ++summary.failed;
          summary.failures.push_back(std::move(o));
        }
        o = SeedOutcome{};
        announce(i + 1);
      },
      nullptr);
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return summary;
}

int swarm_command(const SwarmOptions& options) {
  const Topology topology = load_topology_file(options.topology);
  SwarmHooks hooks;
  if (!options.quiet) {
    hooks.before = [](std::uint64_t seed, const std::string& mix) {
      std::cout << "seed " << seed << " faults: " << mix << "\n" << std::flush;
    };
  }
  hooks.after = [&options](const SeedOutcome& o) {
    if (o.ok()) return;
    if (options.quiet) std::cout << "seed " << o.seed << " faults: " << o.fault_mix << "\n";
    for (const InvariantFailure& f : o.failures) std::cout << "seed " << o.seed << ": " << f.invariant << ": " << f.detail << "\n";
    std::cout << "  replay: shardsim swarm " << options.topology << " --seeds 1 --first-seed " << o.seed << "\n"
              << std::flush;
  };
  const SwarmSummary s = run_swarm(topology, options.first_seed, options.seeds, options.jobs, hooks);
  std::cout << "swarm: " << s.seeds << " seeds, " << s.failed << " failed, wall " << std::fixed << std::setprecision(1)
            << s.wall_seconds << "s\n"
            << std::flush;
  return s.failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace shardsim::app
