// Models the settings of one prime broker as the topology's `brokers:` entry gives them: where its
// ledger runs, its capital and default fund, its margin model, how it hedges, how it settles,
// its client limits, and whether it also issues the synthetics it clears.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/margin_config.hpp"
#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

// spec/clearing.md §3.
enum class HedgePolicy : std::uint8_t { immediate, threshold, batch, none };
enum class HedgePrivacy : std::uint8_t { public_mempool, private_flow, commit_reveal };  // public | private | commit_reveal
// spec/clearing.md §4.
enum class Atomicity : std::uint8_t { optimistic, two_phase, yank };
enum class SettlementOrdering : std::uint8_t { fifo, risk_first, deadline, netted_batch };

const char* policy_name(HedgePolicy p);
const char* privacy_name(HedgePrivacy p);
const char* atomicity_name(Atomicity a);
const char* ordering_name(SettlementOrdering o);

// An amount of one asset, e.g. `{USDC: 5M}`.
struct AssetAmount {
  protocols::AssetId asset = 0;
  core::Amount amount;
};

struct HedgingConfig {
  HedgePolicy policy = HedgePolicy::batch;
  core::Duration every;        // batch: net everything once per this (`every: 1 slot` = the home slot)
  double band_usd = 0;         // threshold: hedge a group when |net delta notional| exceeds this (`band: 100k`)
  HedgePrivacy privacy = HedgePrivacy::public_mempool;
  std::uint32_t split = 1;     // child orders per hedge, 1..64
  core::Duration private_delay;  // private: extra wait before inclusion (`private_delay`, default 2 slots)
  double private_fee = 0.0005;   // private: fee to the private relay, of the hedge notional (`private_fee`)
  // commit_reveal: the venue runs a revealed order this many of its blocks after recording its
  // commit (`reveal_delay`, 0..1000); the share of commits whose intent searchers infer from the
  // broker's known address (`commit_leak`, 0..1: the commit's feed copy then shows the order).
  std::uint32_t reveal_delay = 2;
  double commit_leak = 0;
  // split > 1: the wait between one child's submission and the next (`split_spacing`, default 1 slot).
  core::Duration split_spacing;
  double max_slippage = 0.01;    // AMM hedges: the swap's slippage bound (min_out), of the mark (`max_slippage`)
  bool perps_venues = true;      // `venues: {perps: true, amm: false}`: where the broker may hedge
  bool amm_venues = false;
  // `venues: {prediction: true}` (default): outcome shares are hedged by buying shares of the
  // prediction market itself (its shard's venue), never by an underlying's delta.
  bool prediction_venues = true;
  // `venues: {dark: true}`: dark pools (orders rest unseen and cross at a reference mid).
  bool dark_venues = false;
  // Margin posted at each hedge venue when the broker starts, in the quote asset (`venue_margin`);
  // unset = 20% of the broker's quote capital, split evenly over the venues.
  std::optional<core::Amount> venue_margin;
  // `counterparty: small, counterparty_limit: 2M`: offset the house's exposure with another broker
  // of the world first (broker/interbroker.hpp), up to this notional (USD) per underlying, and
  // on venues only beyond it or once the counterparty refuses. Needs `clearing:` (the variation
  // margin of the trades is an obligation between the brokers, settled by the cycles).
  std::string counterparty;
  double counterparty_limit_usd = 0;
};

struct SettlementConfig {
  Atomicity atomicity = Atomicity::optimistic;
  // two_phase: what a prepare's lock does to other transactions touching the locked pool or market
  // (`locks: revert | wait`): they revert (and pay their fee), or stay pending until it goes.
  bool lock_wait = false;
  SettlementOrdering ordering = SettlementOrdering::fifo;
  // Per saga phase (`timeout: 10 slots` = 10 home slots). Unless `timeout_set`, the world widens
  // it to follow the links: at least three expected round trips to the farthest venue.
  core::Duration timeout;
  bool timeout_set = false;
  std::uint32_t max_inflight = 2;  // settlements in flight at once (`max_inflight`, 1..64)
  // The loss a settlement's exposure may risk while it waits (`risk_budget: 300`, USD): its
  // deadline is when exposure x vol x sqrt(wait) x latency_z reaches it (one slot to one day);
  // 0 (unset): the deadline is creation + timeout. `deadline` ordering is earliest-deadline-first.
  double risk_budget_usd = 0;
  // Deadlines from a settlement's causes (`deadlines: {order: 5m, margin_call: 1m, withdrawal: 30m}`;
  // zero = none): a client order's hedge is due its time-in-force after the order (the client's
  // own `time_in_force`, else `order`), a margin call's hedge `margin_call` after the call (its
  // cure period), a withdrawal `withdrawal` after its request (the promised time). A settlement's
  // deadline is the earliest of its causes' and the risk budget's; with none, creation + timeout.
  core::Duration order_deadline, margin_call_deadline, withdrawal_deadline;
};

struct BrokerLimits {
  std::optional<AssetAmount> position_notional_max;  // per client and instrument; valued at the marks
  core::Duration withdrawal_delay;
};

// The issuer side of a vertically integrated broker (`issuer: {stake: 3M, c_ratio: 500%,
// backstop_max: 1M, claim_every: 10m}` beside `issues: snx`): read whether or not the broker is
// integrated, so that `vertically_integrated` alone switches it on and off.
struct IssuerConfig {
  core::Amount stake;                 // collateral units minted to the broker and staked at genesis (`stake`)
  protocols::AssetId collateral = 0;  // the issued protocol's collateral (SNX)
  protocols::AssetId susd = 0;        // its sUSD
  protocols::i128 c_ratio_wad = 0;    // sUSD issued at start: stake value / this (`c_ratio`); 0 issues none
  core::Amount backstop_max;          // quote units it may pay into the protocol's reserve in all (`backstop_max`)
  core::Duration claim_every;         // how often it claims its fee share (`claim_every`); 0: never
  std::uint32_t shard = 0;            // where the issued protocol runs
  std::uint32_t protocol = 0;         // its index on that shard
};

struct BrokerConfig {
  std::string name;  // unique among brokers
  std::size_t line = 0;
  std::uint32_t home_shard = 0;  // index into the topology's shards; must carry oracle feeds
  std::vector<AssetAmount> capital;       // minted at genesis to the broker's account on home
  std::vector<AssetAmount> default_fund;  // likewise, held apart
  // Share of each client deposit in the quote asset set aside as that client's default-fund
  // contribution (exact WAD fraction, `default_fund: {USDC: 2M, client_contribution: 2%}`); 0: none.
  protocols::i128 client_contribution_wad = 0;
  MarginConfig margin;
  HedgingConfig hedging;
  SettlementConfig settlement;
  BrokerLimits limits;
  bool vertically_integrated = false;
  std::string issuer_of;       // vertically_integrated: the synthetics protocol it issues (`issues: snx`)
  std::optional<IssuerConfig> issuer;  // `issuer:`; acts only when vertically_integrated
  // Fee rates as exact WAD fractions (1e18 = 100%), read digit by digit from the topology.
  protocols::i128 order_fee_wad = 200'000'000'000'000;           // of the order notional, to the broker (`order_fee: 0.02%`)
  protocols::i128 liquidation_fee_wad = 10'000'000'000'000'000;  // of the liquidated notional (`liquidation_fee: 1%`)
};

// True when the broker stakes behind, earns from and backstops the protocol it issues.
inline bool issues_synths(const BrokerConfig& c) { return c.vertically_integrated && c.issuer.has_value(); }

}  // namespace shardsim::broker
