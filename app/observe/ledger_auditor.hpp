// Models swarm testing's independent auditor of the prime brokers' books. It sees only what an
// outsider could: the messages of the run (client requests delivered to a broker, the
// transactions the broker submits to its home shard, and the results that come back, local and
// remote, with the fills carried in their outputs) and the home shard's public record of which
// receipts and transfers credited the clients' deposit accounts. From those alone it recomputes
// what the broker's books must say and compares, to the unit:
// - custody per asset on the home shard: opening capital + default fund + deposits
//   - withdrawals paid - value carried to venues by calls that were included - backstop payments
//   into the reserve of the protocol an integrated broker issues;
// - the value posted at each venue (venue funding and quote carried by hedge legs);
// - each venue's hedge position: the sum of the fills its non-dry-run legs reported (a perp
//   fills the size sent; an AMM swap what its outputs say, rounded to WAD as the broker does);
// - counts: deposits credited, orders received == filled + rejected, withdrawal requests ==
//   committed + compensated + rejected, withdrawal transactions == committed + compensated,
//   withdrawals paid == committed, hedge legs sent;
// - exactly once: no transaction submitted twice, no result (local or remote) delivered twice, no
//   remote result without an included call.
// What messages cannot give exactly, and is not checked here: P&L, fees, margin and the client
// claim books (they are computed at marks from the home oracle, in floating point), and a
// client's collateral after a liquidation seized it (at marks too).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/observe/trace_sink.hpp"
#include "protocols/api/fixed_point.hpp"

namespace shardsim::app {

class World;

// What the auditor is told about a broker before the run: who it is, not what it holds.
struct AuditedBroker {
  struct VenueRef {
    protocols::ShardId shard = 0;
    std::uint32_t protocol = 0;
    bool perp = true;
    std::string market;        // perp: the `market` trade arg
    std::string quote_symbol;  // amm: a `sell` of this is a buy
    std::string name;          // the venue's instrument, for messages
    bool claim = false;        // an outcome share's venue: the fill is the signed `shares` output
  };
  std::string name;
  core::EndpointId endpoint = 0;    // client requests arrive here
  core::EndpointId home_shard = 0;  // its transactions are delivered here
  protocols::ShardId home = 0;
  protocols::AccountId account = 0;
  protocols::AssetId quote = 0;  // venue value is posted in it
  std::vector<protocols::AccountId> deposit_accounts;  // per client
  std::optional<protocols::AccountId> clearing_account;  // the clearing cycles pay it here (custody)
  std::vector<protocols::AccountId> client_accounts;   // per client: withdrawals are paid here
  std::vector<VenueRef> venues;
  // An issuing broker's protocol (shard, index): its calls there are issue, claim_fees and
  // fund_reserve, the last carrying quote out of custody.
  std::optional<std::pair<protocols::ShardId, std::uint32_t>> issued;
  std::vector<core::Amount> opening_custody;  // per asset: capital + default fund
};

// What a broker's books say at the end, to compare with the recomputation.
struct BrokerBooks {
  std::vector<core::Amount> custody;       // per asset
  std::vector<core::Amount> venue_posted;  // per venue, in the quote asset
  std::vector<protocols::i128> hedge_wad;  // per venue, committed
  std::uint64_t deposits = 0, orders_filled = 0, orders_rejected = 0;
  std::uint64_t withdrawals_committed = 0, withdrawals_compensated = 0, withdrawals_rejected = 0;
  std::uint64_t legs_sent = 0;
  // Runs (broker/runs.cpp): one request of everything may queue a withdrawal per asset, or none.
  std::uint64_t clients_ran = 0, run_withdrawals = 0;
};

// The brokers of `world` as the auditor knows them, and their books.
std::vector<AuditedBroker> audited_brokers(const World& world);
BrokerBooks books_of(const World& world, std::size_t broker);

class LedgerAuditor final : public TraceSink {
 public:
  LedgerAuditor(std::vector<AuditedBroker> brokers, std::vector<std::string> asset_symbols, std::vector<int> decimals);

  void on_message(const core::Envelope& env) override;
  void on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus status,
                      std::uint64_t height) override;
  void on_receipt(protocols::ShardId shard, const protocols::Receipt& r) override;

  // Every discrepancy for broker `b` (empty: its books agree with the messages), each one
  // sentence naming the broker, the quantity, both values and what the recomputation used.
  std::vector<std::string> check(std::size_t b, const BrokerBooks& books) const;

  // Recomputed, for tests and reports.
  core::Amount deposited(std::size_t b, std::size_t client, protocols::AssetId asset) const;
  core::Amount withdrawn(std::size_t b, std::size_t client, protocols::AssetId asset) const;

 private:
  enum class TxKind : std::uint8_t { leg, funding, withdrawal, clearing, backstop, other };
  struct Sent {
    TxKind kind = TxKind::other;
    std::size_t venue = 0;
    std::size_t client = 0;
    protocols::AssetId asset = 0;
    core::Amount amount;
    bool dry_run = false;
    bool buy = false;
    protocols::i128 size_wad = 0;  // perp legs
    bool local_seen = false, local_ok = false, remote_seen = false;
    bool commit = false;  // commit-reveal: the value goes with the commit, the fill with its reveal
  };
  // A commit-reveal reveal: the leg of the commit it names, carrying no value (false if none).
  bool reveal_of(std::size_t b, const protocols::TxRequest& tx, Sent& s);
  struct State {
    std::uint64_t orders = 0, withdraw_requests = 0, deposit_requests = 0;
    std::set<std::uint32_t> run_clients;  // clients that asked for everything (a withdrawal of 0)
    std::uint64_t deposits = 0, legs_sent = 0, withdrawal_txs = 0, withdrawals_paid = 0;
    std::vector<core::Amount> custody_in, custody_out;   // per asset
    std::vector<core::Amount> venue_posted;              // per venue
    std::vector<protocols::i128> hedge_wad;              // per venue
    std::map<std::pair<std::size_t, protocols::AssetId>, core::Amount> deposited, withdrawn;  // (client, asset)
    std::map<std::pair<core::EndpointId, std::uint64_t>, Sent> sent;  // (notify, tx id)
    std::vector<std::string> errors;                     // seen while observing
  };

  void on_request(std::size_t b, const core::Envelope& env);
  void on_submitted(std::size_t b, const protocols::TxRequest& tx);
  void on_result(std::size_t b, Sent& s, const protocols::TxResult& r);
  void credit(std::size_t b, protocols::AccountId to, protocols::AssetId asset, core::Amount amount);
  std::string amount_str(protocols::AssetId asset, core::Amount amount) const;
  void error(std::size_t b, std::string what);

  std::vector<AuditedBroker> brokers_;
  std::vector<State> states_;
  std::vector<std::string> symbols_;
  std::vector<int> decimals_;
};

}  // namespace shardsim::app
