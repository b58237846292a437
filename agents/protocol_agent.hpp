// Models what the protocol-side agents (arbitrageur, liquidator, lp, searcher) share: one account,
// capital minted on the home shard (the first of its shards) and bridged in equal shares to the
// other shards it needs capital on, one fiber actor per shard it acts on (on that shard's LP,
// with its own RNG stream), transactions that travel the access latency and expire if not
// included soon, decisions at exponential gaps, and per-worker statistics merged for reports.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/agent_config.hpp"
#include "agents/shard_reader.hpp"
#include "core/actor.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/registry.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::agents {

using protocols::i128;

struct AgentStats {
  std::uint64_t decisions = 0;  // wake-ups that looked at the market
  std::uint64_t actions = 0;    // transactions included and successful
  std::uint64_t failed = 0;     // reverted, refused, or never included
  double profit_usd = 0;        // realised, balances valued at the shard's oracle (true price without one)
  std::map<std::string, std::uint64_t> liquidations;  // by protocol name
  std::uint64_t sandwiches = 0;
  std::map<protocols::AccountId, double> victim_loss_usd;  // searcher: victim output it planned to take (estimate)
  void merge(const AgentStats& o);
};

// Everything app/ hands an agent: its identity, its shards' readers, its parameters.
struct AgentContext {
  AgentKind kind = AgentKind::arbitrageur;
  std::string name;  // its account name, e.g. arbitrageur.0.3 (population, member)
  protocols::AccountId account = 0;
  std::vector<ShardReader> shards;  // home first
  core::Duration every = core::Duration::min(1);
  double min_profit_usd = 0;
  std::string protocol;  // retail trading straight to a protocol: its name
  double leverage = 1;   // retail on perps: notional / deposit, drawn per member
  bool private_txs = false;  // every transaction it submits carries TxRequest::kPrivate
  const protocols::Registry* registry = nullptr;
  // The true price (a pure function of asset and time): values assets a shard has no feed for.
  std::function<std::optional<double>(protocols::AssetId, core::SimTime)> true_price;
};

class ProtocolAgent {
 public:
  explicit ProtocolAgent(AgentContext ctx) : ctx_(std::move(ctx)) {}
  virtual ~ProtocolAgent() = default;
  ProtocolAgent(const ProtocolAgent&) = delete;
  ProtocolAgent& operator=(const ProtocolAgent&) = delete;

  // Spawns the workers (not in the constructor: they call the kind's overrides).
  void start(core::Engine& engine);
  AgentKind kind() const { return ctx_.kind; }
  const std::string& name() const { return ctx_.name; }
  protocols::AccountId account() const { return ctx_.account; }
  AgentStats stats() const;  // merged over workers
  // The actor endpoint working on `shard` (a ShardId), if any: mempool feeds are sent to it.
  std::optional<core::EndpointId> endpoint_on(protocols::ShardId shard) const;

 protected:
  struct Worker {
    std::size_t shard = 0;  // index into ctx_.shards
    core::EndpointId endpoint = 0;
    std::uint64_t next_tx = 0;
    core::SimTime deadline;  // by when every submitted transaction has a result (or never will)
    AgentStats stats;
  };
  using Holdings = std::vector<std::pair<protocols::AssetId, core::Amount>>;

  virtual bool acts_on(const ShardReader& shard) const = 0;
  virtual bool needs_capital(const ShardReader& shard) const { return acts_on(shard); }
  virtual void run(core::Actor& self, Worker& w) = 0;

  const ShardReader& reader(const Worker& w) const { return ctx_.shards[w.shard]; }
  int decimals(protocols::AssetId a) const { return ctx_.registry->decimals(a); }
  std::optional<protocols::AssetId> asset(std::string_view symbol) const { return ctx_.registry->asset(symbol); }
  std::string amount_text(protocols::AssetId a, i128 raw) const { return core::Amount::units(raw).str(decimals(a)); }

  // USD per whole unit: the shard's oracle, else the true price, else 0.
  double price(const ShardReader& s, protocols::AssetId a, core::SimTime now) const;
  double usd(const ShardReader& s, protocols::AssetId a, i128 raw, core::SimTime now) const;
  // The shard's base fee per gas now (a gas spike in force included).
  core::Amount base_fee(const ShardReader& s, core::SimTime now) const;
  // One protocol call's gas (the base fee now plus `tip` per gas) in USD.
  double gas_usd(const ShardReader& s, core::SimTime now, core::Amount tip = {}) const;
  // The balance it may spend: what gas for a few calls would need is kept back in the fee asset.
  i128 spendable(const ShardReader& s, protocols::AssetId a) const;
  Holdings holdings(const ShardReader& s, const std::vector<protocols::AssetId>& assets) const;
  double gain_usd(const ShardReader& s, const Holdings& before, core::SimTime now) const;

  protocols::TxRequest protocol_call(const ProtocolRef& p, std::string op, std::vector<protocols::TxArg> args) const;
  // Stamps and sends `tx` after `delay` (an access-latency draw when absent); it expires unless
  // included within a few slots. Returns its id.
  std::uint64_t submit(core::Actor& self, Worker& w, protocols::TxRequest tx,
                       std::optional<core::Duration> delay = std::nullopt);
  // Waits for the result of `tx_id` (other messages go to `other`); nothing if it never comes.
  std::optional<protocols::TxResult> await(core::Actor& self, Worker& w, std::uint64_t tx_id,
                                           const std::function<void(const core::Message&)>& other = {});
  // submit + await, counting the outcome in w.stats.
  std::optional<protocols::TxResult> execute(core::Actor& self, Worker& w, protocols::TxRequest tx);
  static bool succeeded(const std::optional<protocols::TxResult>& r) {
    return r && r->status == protocols::TxStatus::ok;
  }
  void sleep_gap(core::Actor& self);  // exponential, mean `every`
  core::Duration expiry(const ShardReader& s) const { return s.slot * 4; }
  // A searcher's candidate victim: another account's `op` seen in a public feed, either pending
  // on `s` (front-run by priority fee, which needs a fee asset) or a cross-shard call on its way to
  // `s` (not a prepare vote: front-run in the block before it lands).
  bool front_runnable(const ShardReader& s, const protocols::MempoolSeen& seen, std::string_view op) const;
  // A searcher's loop: hands `act` every transaction seen in the public feeds that is still worth
  // acting on, with the block a pending one lands in (none for a cross-shard call, which is
  // skipped if it came more than a slot ago: it is already on its way). Never returns.
  void watch_feed(core::Actor& self, Worker& w,
                  const std::function<void(const protocols::MempoolSeen&, std::optional<core::SimTime>)>& act);

  AgentContext ctx_;

 private:
  void distribute_capital(core::Actor& self, Worker& w);

  std::deque<Worker> workers_;  // stable addresses: fibers hold references
};

}  // namespace shardsim::agents
