// Models swarm testing (`shardsim swarm`): many seeds of one topology, each run in two phases.
// The first half of the run is the safety phase, with a fault mix derived from the seed (which
// faults, where, when, how strong); every fault has ended by half time, and the second half is
// the liveness phase. After each run the invariants of DESIGN.md §4 are checked: conservation,
// exactly-once delivery and settlement, no negative balance, no saga pending, and two auditors
// of every broker ledger (`ledger_audit`): a replay of its posting journal, and a recomputation
// from the messages the broker received and sent (app/observe/ledger_auditor.hpp). A run is a pure function of
// (topology, seed, build): the fault mix and the outcome of a seed do not depend on `jobs`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/topology/topology.hpp"

namespace shardsim::app {

// The faults a swarm run of `topology` with `seed` injects, drawn from
// core::Rng::for_entity(seed, "swarm"): 1 to 4 of shard_halt, latency_spike, partition, tx_drop
// and oracle (stale), plus price_crash (assets with a price process of their own) and gas_spike
// (shards that charge a base fee). Kinds the topology gives nothing to act on are never drawn:
// latency_spike and partition need two shards, oracle a shard with feeds. Each fault lasts 1% to
// 10% of the run and both starts and ends in its first half.
std::vector<FaultSpec> derive_fault_mix(const Topology& topology, std::uint64_t seed);
// One line, e.g. `shard_halt{shard=perps at=12m4s for=9m31s} + tx_drop{shard=l2 p=0.37 ...}`.
std::string describe_fault_mix(const Topology& topology, const std::vector<FaultSpec>& faults);

struct InvariantFailure {
  std::string invariant;  // conservation | exactly_once | no_negative_balance | saga_pending |
                          // ledger_audit | limit | interrupted | exception
  std::string detail;
};

struct SeedOutcome {
  std::uint64_t seed = 0;
  std::string fault_mix;                   // describe_fault_mix
  std::vector<InvariantFailure> failures;  // empty: every invariant held
  std::uint64_t fingerprint = 0;
  std::uint64_t events = 0;
  bool ok() const { return failures.empty(); }
};

// Runs one seed of the swarm on a copy of `topology` with the seed's fault mix appended, then
// checks the invariants. Never throws for a failing run: a limit or an exception is a failure.
SeedOutcome run_swarm_seed(const Topology& topology, std::uint64_t seed);

struct SwarmHooks {
  // Called in seed order, whatever the number of jobs, from one thread at a time: `before` when
  // every earlier seed has been reported (with one job, just before the seed runs), `after` with
  // the seed's outcome.
  std::function<void(std::uint64_t seed, const std::string& fault_mix)> before;
  std::function<void(const SeedOutcome&)> after;
};

struct SwarmSummary {
  std::uint64_t seeds = 0;
  std::uint64_t failed = 0;
  std::vector<SeedOutcome> failures;  // in seed order
  double wall_seconds = 0;
};

// Seeds first_seed .. first_seed + count - 1, on a Boost.Asio thread pool of `jobs` threads
// (each World is independent and lives on one thread).
SwarmSummary run_swarm(const Topology& topology, std::uint64_t first_seed, std::uint64_t count, unsigned jobs,
                       const SwarmHooks& hooks = {});

struct SwarmOptions {
  std::string topology;
  std::uint64_t seeds = 0;
  std::uint64_t first_seed = 1;
  unsigned jobs = 1;
  bool quiet = false;  // no fault-mix lines; failures and the final line only
};

// `shardsim swarm`: prints `seed S faults: MIX` per seed (unless quiet), `seed S: INVARIANT:
// DETAIL` and a replay command per failure, and `swarm: N seeds, F failed, wall Ws` last.
// Exit code 0 when every seed held every invariant, 3 otherwise.
int swarm_command(const SwarmOptions& options);

}  // namespace shardsim::app
