// Models a prime broker at run time, as a logical process placed on its home shard's LP: it takes
// client requests, marks to the home oracle, runs the pre-trade check and crossing on its
// ClearingBook, decides hedges by policy, and runs every hedge, venue funding and withdrawal as
// a saga in its own fiber (reserve -> cross-shard call(s) -> results or timeout -> commit or
// compensate), in the configured atomicity mode and ordering. It knows the protocol shards only
// through messages: transaction results, receipts and published snapshots.
#pragma once

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/broker_config.hpp"
#include "broker/clearing_book.hpp"
#include "broker/interbroker.hpp"
#include "broker/issuer_state.hpp"
#include "broker/messages.hpp"
#include "broker/obligations.hpp"
#include "core/actor.hpp"
#include "core/engine.hpp"
#include "core/histogram.hpp"
#include "core/latency.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::broker {

// What the composition root gives a broker.
struct BrokerEnv {
  core::Engine* engine = nullptr;
  core::LpId lp = 0;                      // the home shard's LP
  core::EndpointId home_shard = 0;        // its endpoint
  protocols::ShardId home_shard_id = 0;
  protocols::AccountId account = 0;       // the broker's account (one id on every shard)
  std::vector<std::string> client_names;
  std::vector<protocols::AccountId> client_accounts;   // withdrawals are paid here
  std::vector<protocols::AccountId> deposit_accounts;  // per client, on the home shard
  core::LatencyModel access = core::LatencyModel::from_spec(core::LatencySpec{});  // broker -> home mempool
  core::Duration home_slot;
  std::optional<protocols::AssetId> fee_asset;  // the home shard's gas asset (none: gas is free)
  std::function<std::optional<double>(protocols::AssetId)> home_price;  // the home oracle, USD
  std::vector<int> decimals;              // per asset
  protocols::AssetId quote = 0;           // the asset P&L, fees and venue margin are paid in
  std::vector<double> vol_annual;         // per asset, for venue selection
  // The issued synthetics protocol's name when vertically integrated, and the broker's account
  // name (its staker entry in that protocol's snapshot).
  std::string issued_protocol;
  std::string account_name;
  // Obligations to other brokers (broker/obligations.hpp), when the world has clearing cycles:
  // this broker's index among the world's, the clearing house, and the account on the home shard
  // where the cycles' payments to this broker arrive (part of its custody).
  std::uint32_t index = 0;
  std::optional<core::EndpointId> clearing_house;
  core::Duration clearing_delay;  // broker -> house
  std::optional<protocols::AccountId> clearing_account;
  // Variation margin on trades with other brokers is called once per this (the clearing cycle).
  core::Duration vm_every;
  bool clients_may_run = false;  // some client population has `run:` (the summary reports `runs`)
};

// Runs on the broker (broker/runs.cpp): requests to close out and withdraw everything.
struct RunStats {
  std::uint64_t clients_ran = 0, withdrawals_paid = 0, withdrawals_refused = 0, withdrawals_compensated = 0;
  double withdrawn_usd = 0, refused_usd = 0;  // committed, and refused (frozen, custody short), at marks
  std::optional<core::SimTime> first_at;
};

struct ClearingCounts {
  std::uint64_t payments_internal = 0, payments_out = 0, payments_in = 0, payments_rejected = 0;
  std::uint64_t orders = 0, paid = 0, failed = 0, received = 0, shortfalls = 0;
  double loss_usd = 0;
};

struct SagaStats {
  std::uint64_t sent = 0, committed = 0, compensated = 0, timed_out = 0, pending = 0;
  std::uint64_t legs_sent = 0, legs_filled = 0, legs_failed = 0, unwinds = 0, unwinds_failed = 0;
  std::uint64_t prepares = 0, aborts = 0, lock_releases = 0;
  std::uint64_t commit_resends = 0;  // two_phase / yank: commit legs sent again after a loss
  std::uint64_t deadline_misses = 0;  // settlements (hedges and withdrawals) that ended after their deadline
  // Misses by the cause that set the deadline: order, margin_call, withdrawal, risk_budget, timeout.
  std::map<std::string, std::uint64_t> misses_by_cause;
};

// A step of a client request or a saga, for traces: `event` names it (deposit, order_filled,
// settlement_started, hedge_filled, withdrawal_committed, liquidation, ...), `subject` is the
// client or venue it concerns, `amount` is in `asset` when there is one.
struct BrokerEvent {
  std::string_view event;
  std::uint64_t id = 0;  // a settlement id, or a client index
  std::string subject;
  std::string detail;
  std::optional<protocols::AssetId> asset;
  core::Amount amount;
};
using BrokerObserver = std::function<void(const BrokerEvent&)>;

class Broker final : public core::Handler {
 public:
  Broker(const BrokerConfig& config, BrokerEnv env, std::vector<Instrument> instruments, std::vector<Venue> venues);
  ~Broker() override;

  core::EndpointId endpoint() const { return self_; }
  const BrokerConfig& config() const { return config_; }
  const ClearingBook& book() const { return book_; }
  // Keeps every later ledger posting with its memo (BrokerLedger::journal), for an auditor.
  void set_ledger_journal(bool on) { book_.ledger().set_journal(on); }
  void start();  // timers and venue funding; call once before the run
  void observe(BrokerObserver f) { observers_.push_back(std::move(f)); }
  // Value credited on the home shard (receipts and transfers; the app forwards them): a credit
  // to a client's deposit account is that client's deposit.
  void on_home_credit(protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  void on_message(const core::Envelope& env) override;
  // A `broker_default` fault: the capital is wiped (written off on the ledger), the broker is
  // insolvent, its clients frozen and its hedges unwound.
  void force_default();
  bool insolvent() const { return insolvent_at_.has_value(); }
  std::optional<core::SimTime> insolvent_at() const { return insolvent_at_; }
  // When the house's own loss first went past its capital (its shortfall entered the waterfall).
  std::optional<core::SimTime> shortfall_at() const { return shortfall_at_; }
  // For the report's time series and distributions: house equity (capital) in USD at the
  // current marks, and the settlement latency of every saga so far.
  double equity_usd() const { return house_equity(); }
  const core::Histogram& settlement_latency_us() const { return settlement_latency_us_; }

  // Summary `brokers[]` entry, USD at the final marks.
  nlohmann::ordered_json report() const;
  // Exact checks for the conservation audit: the ledger balances, and its custody per asset.
  std::optional<std::string> ledger_audit() const { return book_.ledger().audit(); }
  core::Amount custody(protocols::AssetId asset) const;
  const std::vector<protocols::AccountId>& home_accounts() const { return home_accounts_; }
  std::optional<protocols::AccountId> clearing_account() const { return env_.clearing_account; }
  // The other brokers of the world as this one reaches them (by index), and its counterparty
  // among them (hedging.counterparty): broker/interbroker.cpp.
  struct Peer {
    core::EndpointId endpoint = 0;
    core::Duration delay;
  };
  void set_peers(std::vector<Peer> peers, std::optional<std::uint32_t> counterparty);
  // Its health as it publishes it each home slot: house equity over the capital it started with
  // (1 at the start, 0 at insolvency). Clients on its LP read it to decide whether to run.
  double published_health() const { return health_; }
  const RunStats& runs() const { return runs_; }
  const InterbrokerStats& interbroker() const { return ib_stats_; }
  // False while an issuer call (issue, fee claim) is on its way: its sUSD may be on chain, not yet booked.
  bool issuer_settled() const { return !issuer_.call_inflight; }

 private:
  struct Leg {
    std::size_t venue = 0;
    i128 qty_wad = 0;
    double decision_mark = 0;
  };
  // What set a settlement's deadline (spec/clearing.md §4 `deadline`).
  struct Due {
    core::SimTime at;
    const char* cause = "timeout";  // order | margin_call | withdrawal | risk_budget | timeout
  };
  struct Settlement {
    std::uint64_t id = 0;
    std::vector<Leg> legs;
    core::SimTime created;
    Due due;
    double risk_usd = 0;  // latency add-on it removes
    std::optional<ClientRequest> withdrawal;  // a withdrawal's transfer rather than hedge legs
  };
  struct LegResult {
    bool filled = false;
    double avg = 0, mark = 0;  // USD per unit, for the P&L attribution (avg is avg_wad as a double)
    i128 avg_wad = 0;          // the fill price booked, USD per unit (exact from the venue's outputs)
    i128 filled_wad = 0;       // exactly what filled (an AMM buy gets what the pool gives)
    core::Amount quote_spent;  // of the quote carried, what the venue kept (exact)
    bool lost = false;         // a commit that never reached a block (dropped, expired, refused)
  };

  void handle(const ClientRequest& q);
  // Runs (runs.cpp): a withdrawal of amount 0 closes the client out and withdraws everything.
  void handle_run(const ClientRequest& q);
  void run_withdrawal_ended(const ClientRequest& q, bool paid, bool refused);
  nlohmann::ordered_json runs_report() const;
  // Trades with other brokers (interbroker.cpp).
  bool on_interbroker_message(const core::Envelope& env);  // true when it was one
  double hedge_with_counterparty(protocols::AssetId u, double units);  // returns what is left for venues
  void call_variation_margin();
  void on_house_obligation(const ObligationMsg& o);  // variation margin owed to the house arrived
  double interbroker_value() const;
  i128 interbroker_value_wad() const;  // the same exactly, USD WAD rounded down  // unrealised P&L with other brokers + calls not yet paid, USD
  void sample_interbroker();
  nlohmann::ordered_json interbroker_report() const;
  // Payments and the clearing cycles (broker_clearing.cpp).
  void handle_pay(const ClientRequest& q);
  bool on_clearing_message(const core::Envelope& env);  // true when it was one
  void on_clearing_credit(protocols::AssetId asset, core::Amount amount);
  void run_clearing_payment(core::Actor& self, PayOrder o);
  nlohmann::ordered_json clearing_report() const;
  void tick();
  void refresh_marks();
  void check_clients();
  void plan_hedges(bool unwind_all);
  std::size_t best_venue(protocols::AssetId u, double sigma) const;
  // Outcome claims (claim_hedges.cpp): one settlement per claim venue whose holding is off its
  // target; true when it queued any.
  bool plan_claim_hedges(bool unwind_all);
  core::Duration deadline_budget(double usd_per_sqrt_year) const;
  void dispatch();
  void order_queue();
  void declare_insolvent();
  void cover_shortfall();
  nlohmann::ordered_json waterfall_report() const;
  double house_equity() const;  // an estimate at marks, for health and display
  // The same exactly (USD WAD, prices, marks and snapshot figures quantised once, rounded down):
  // what decides insolvency and what the shortfall posted to the waterfall is taken from.
  i128 house_equity_wad() const;
  void charge_gas(core::Amount fee_paid);                      // a hedge or issuer tx's gas at home
  void charge_private_fee(i128 qty_wad, double decision_mark);  // the private relay's fee on a leg
  // The issuer side (issuer.cpp): its sagas (issue at start, fee claims, backstop payments),
  // its part of the equity at marks beyond the capital claims, and its report.
  void start_issuer();
  void check_backstop();
  double issuer_equity() const;
  i128 issuer_equity_wad() const;
  double issuer_loss() const;
  void issuer_report(nlohmann::ordered_json& j) const;
  void run_issue(core::Actor& self);
  void run_fee_claims(core::Actor& self);
  void run_backstop(core::Actor& self, core::Amount amount);
  protocols::TxRequest issuer_call(std::string op, std::vector<protocols::TxArg> args, core::Amount value,
                                   core::SimTime expires) const;
  // Submits a cross-shard call and waits for its remote outcome (nothing when it was never
  // included); `on_included` runs once it is included and succeeded on the home shard.
  std::optional<protocols::TxResult> remote_outcome(core::Actor& self, protocols::TxRequest& tx, core::SimTime expires,
                                                    const std::function<void()>& on_included = {});
  void sample_latency_addon();
  void sample_unhedged_exposure(const std::vector<double>& house);
  bool observed() const { return !observers_.empty(); }
  void note(BrokerEvent e) const {
    for (const BrokerObserver& f : observers_) f(e);
  }

  // Sagas (broker_sagas.cpp), each run in its own actor.
  void spawn(std::string name, std::function<void(core::Actor&)> body);
  void run_settlement(core::Actor& self, Settlement s);
  void queue_withdrawal(core::Actor& self, ClientRequest q);
  void run_withdrawal(core::Actor& self, Settlement s);
  void settlement_ended(core::Actor& self, const Settlement& s);
  void owe(protocols::AssetId u, core::Duration within, const char* cause);
  void run_venue_funding(core::Actor& self, std::size_t venue, core::Amount amount);
  protocols::TxRequest cross_call(const Venue& v, std::string op, std::vector<protocols::TxArg> args,
                                  core::Amount value, std::uint8_t flags, core::SimTime expires) const;
  // A cross-shard call from its account to protocol `protocol` on `shard`, carrying `value` of the quote.
  protocols::TxRequest cross_call_to(protocols::ShardId shard, std::uint32_t protocol, std::string op,
                                     std::vector<protocols::TxArg> args, core::Amount value, std::uint8_t flags,
                                     core::SimTime expires) const;
  // What a leg asks its venue, the trade it sends there, and the quote value it carries.
  double venue_unit_usd(const protocols::HedgeMarket& m) const;
  protocols::HedgeOrder leg_order(const Leg& leg) const;
  protocols::TxRequest leg_call(const Leg& leg, std::uint8_t flags, core::SimTime expires, core::Amount& value) const;
  LegResult leg_result(const Leg& leg, const protocols::TxResult& r) const;
  void submit(core::Actor& self, protocols::TxRequest& tx, std::uint64_t tx_id);
  // Submits `tx` under a fresh id and waits for its home shard: true when it was included and
  // succeeded there by `expires` (a cross-shard call's remote outcome is not waited for).
  bool included_ok(core::Actor& self, protocols::TxRequest& tx, core::SimTime expires);
  // Commit-reveal (commit_reveal.cpp): makes a leg's call its commit; sends the reveal of a commit.
  void seal(core::Actor& self, protocols::TxRequest& tx) const;
  void send_reveal(core::Actor& self, const Leg& leg, std::uint64_t commit_id, std::uint64_t reveal_id,
                   core::SimTime expires);
  double gas_usd(core::Amount fee_paid) const;  // a fee paid on the home shard, in USD
  std::vector<LegResult> execute_legs(core::Actor& self, const std::vector<Leg>& legs, bool dry_run,
                                      core::SimTime deadline, bool& timed_out);
  void unwind(core::Actor& self, const Leg& leg, const LegResult& filled);
  void release_locks(core::Actor& self, const std::vector<Leg>& legs);
  std::uint8_t lock_flags() const;
  core::SimTime lock_end(core::SimTime prepare_deadline) const;
  protocols::TxRequest payout(protocols::AccountId to, protocols::ShardId shard, protocols::AssetId asset,
                              core::Amount amount, core::SimTime expires) const;

  const BrokerConfig& config_;
  BrokerEnv env_;
  core::EndpointId self_ = 0;
  ClearingBook book_;
  std::vector<protocols::AccountId> home_accounts_;  // main + deposit accounts: the broker's custody
  std::vector<std::vector<std::size_t>> venues_of_;  // per asset: venue indexes
  std::deque<Settlement> queue_;
  std::vector<std::optional<Due>> owed_;  // per underlying: the earliest deadline of causes not yet planned
  std::uint64_t next_settlement_ = 0;
  std::uint64_t next_tx_ = 0;
  std::size_t inflight_ = 0;
  std::size_t max_inflight_ = 2;  // settlement.max_inflight
  std::map<std::size_t, core::Amount> idle_quote_;  // per AMM venue: quote at the venue from swaps that reverted
  core::SimTime retry_after_;       // after a failed settlement, no new plan before this (backoff)
  core::Duration backoff_;
  core::SimTime next_batch_;
  bool started_ = false;
  bool frozen_ = false;
  std::optional<core::SimTime> insolvent_at_;
  std::optional<core::SimTime> shortfall_at_;
  // Per-slot buffers (per asset), kept so a slot allocates nothing.
  std::vector<double> house_delta_, client_delta_, hedge_target_;
  // Stats.
  SagaStats sagas_;
  core::Histogram settlement_latency_us_;  // committed settlements only: creation -> commit
  core::Histogram failed_settlement_us_;   // compensated ones: creation -> giving up
  // The house's exposure not yet hedged (net delta less hedges still in flight, at marks),
  // integrated over simulated time each slot, and its peak.
  double unhedged_usd_s_ = 0, unhedged_peak_usd_ = 0;
  core::SimTime last_exposure_at_;
  std::vector<double> inflight_delta_;
  std::uint64_t orders_filled_ = 0, orders_rejected_ = 0, liquidations_ = 0;
  std::map<std::string, std::uint64_t> reject_reasons_;
  std::uint64_t deposits_ = 0, withdrawals_committed_ = 0, withdrawals_compensated_ = 0, withdrawals_rejected_ = 0;
  double latency_loss_ = 0, slippage_ = 0, private_cost_ = 0;
  double hedge_gas_usd_ = 0;  // gas the hedge legs' transactions paid on the home shard (commits and reveals too)
  i128 private_cost_wad_ = 0, hedge_gas_wad_ = 0;  // the two above exactly, USD WAD rounded up
  double addon_sum_ = 0, addon_max_ = 0;
  std::uint64_t addon_samples_ = 0;
  double gross_margin_end_ = 0, net_margin_end_ = 0;
  double capital_start_ = 0;
  double netting_gross_ = 0, netting_net_ = 0;  // hedge legs planned vs sent after netting
  ClearingCounts clearing_;
  IssuerState issuer_;
  std::uint64_t next_obligation_ = 0;
  double health_ = 1;
  RunStats runs_;
  std::set<std::uint32_t> ran_;  // clients that ran
  std::vector<Peer> peers_;
  std::optional<std::uint32_t> counterparty_;
  bool counterparty_refused_ = false;
  InterbrokerBook ib_;
  InterbrokerStats ib_stats_;
  std::map<std::uint32_t, core::Amount> vm_pending_;  // per peer: variation margin called, not yet credited
  core::SimTime next_vm_;
  std::vector<BrokerObserver> observers_;
};

}  // namespace shardsim::broker
