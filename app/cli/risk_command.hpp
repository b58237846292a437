// Models `shardsim risk TOPOLOGY [--seeds N] [--jobs J] [--param PATH=VALUE ...]`: a broker's solvency as a probability
// (spec/clearing.md §8). Over N seeds, per broker (never summed over brokers): the probability of
// insolvency, of any bad debt and of touching the default fund, each with a Wilson 95% interval;
// P&L quantiles, value at risk and expected shortfall at 99% and 99.9%; time to insolvency; and
// the P&L decomposed into fees earned and the costs of hedging and default, so "fees > risk" can
// be read off; per protocol, the probability of bad debt and its size. A table on stdout and
// OUT/risk.json, written atomically.
#pragma once

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "app/cli/replica_batch.hpp"

namespace shardsim::app {

struct RiskOptions {
  std::string topology;
  std::vector<std::string> params;  // --param PATH=VALUE: one value each, set before loading
  BatchOptions batch;  // --seeds, --first-seed, --jobs, --out, --quiet
};

// Exit codes as compare: 0; 3 when a replica broke an invariant or a file could not be written;
// 130 on Ctrl-C (risk.json then holds the seeds completed so far, marked incomplete).
int risk_command(const RiskOptions& options);

// The risk of group `group` of a batch of `groups` (replica i is group i % groups; a compare's
// topology or a sweep's point): {seeds_completed, brokers[], protocols[]} as in risk.json, and one
// table row per broker appended to `table` (under risk_table_header()). `--risk` of compare and
// sweep uses it.
nlohmann::ordered_json group_risk(const Topology& topology, const Batch& batch, std::size_t group, std::size_t groups,
                                  std::ostringstream& table);
std::string risk_table_header();
// Every group of a batch: [{label, seeds_completed, brokers[], protocols[]}], and their tables in `text`.
nlohmann::ordered_json risk_view(const BatchPlan& plan, const Batch& batch, std::ostringstream& text);

}  // namespace shardsim::app
