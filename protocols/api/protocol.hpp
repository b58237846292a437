// Models a protocol as a pure, run-to-completion state machine hosted by one shard: it applies
// operations through the shard's ledger (never around it), reads prices only from the shard's
// oracle feeds, reverts with a reason instead of failing, reports its state as exact decimal
// strings, and describes its instruments for the broker's margin engine. Owned by the shard's LP.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/queries.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::core {
class StateDigest;
}

namespace shardsim::protocols {

class HedgeVenue;  // protocols/api/hedge_venue.hpp
using HedgeVenues = std::vector<std::shared_ptr<const HedgeVenue>>;

// What a protocol may touch of its host shard during one operation. Every token movement goes
// through these calls, so the shard's accounting sites see all of it.
class ShardContext {
 public:
  virtual ~ShardContext() = default;
  virtual core::SimTime now() const = 0;
  virtual std::uint64_t block_height() const = 0;

  // Ledger (balances of accounts on this shard).
  virtual core::Amount balance(AccountId account, AssetId asset) const = 0;
  virtual bool transfer(AccountId from, AccountId to, AssetId asset, core::Amount amount) = 0;
  virtual void mint(AccountId to, AssetId asset, core::Amount amount) = 0;  // e.g. LP tokens, synths
  virtual bool burn(AccountId from, AssetId asset, core::Amount amount) = 0;

  // The last oracle value included on this shard (WAD USD per whole unit), if any.
  virtual std::optional<i128> oracle_price_wad(AssetId asset) const = 0;

  // Assets and accounts by name (ids are fixed at build time).
  virtual std::optional<AssetId> asset(std::string_view symbol) const = 0;
  virtual const std::string& asset_symbol(AssetId asset) const = 0;
  virtual int decimals(AssetId asset) const = 0;
  virtual std::optional<AccountId> account(std::string_view name) const = 0;
  virtual const std::string& account_name(AccountId account) const = 0;
};

// The outcome of one operation. A revert leaves the protocol and the ledger unchanged.
struct OpResult {
  bool ok = true;
  std::string reason;  // why it reverted: "health factor below 1", "insufficient liquidity", ...
  std::vector<TxOutput> outputs;  // exact values the op reports to its sender, e.g. {"avg_price", raw, 18}
  static OpResult success() { return {}; }
  static OpResult success(std::vector<TxOutput> outputs) { return {true, {}, std::move(outputs)}; }
  static OpResult revert(std::string why) { return {false, std::move(why), {}}; }
};

// Arguments of an operation, as written in a script or sent by an agent: key -> text.
class OpArgs {
 public:
  explicit OpArgs(const std::vector<TxArg>& args) : args_(args) {}
  std::optional<std::string_view> text(std::string_view key) const;
  // An amount in whole units of `asset` (exact decimal), or nothing if absent or malformed.
  std::optional<core::Amount> amount(std::string_view key, const ShardContext& ctx, AssetId asset) const;
  // A decimal as WAD (e.g. a price or a signed size), or nothing if absent or malformed.
  std::optional<i128> wad(std::string_view key) const;

 private:
  const std::vector<TxArg>& args_;
};

// A price scenario for revaluation: one price (USD) per asset id; missing assets have price 0.
using PriceVector = std::vector<double>;

// What the protocol last published about itself, for revaluation on another LP: plain numbers.
struct ProtocolSnapshot {
  std::int64_t taken_at_us = 0;
  std::vector<std::pair<std::string, double>> values;  // e.g. {"reserve.ETH", 1000.0}
  std::optional<double> get(std::string_view key) const;
};

// One instrument a client can hold through a broker: `NAME.SYMBOL`, e.g. `uni.LP`, `snx.sBTC`,
// `dydx.BTC-PERP`, `aave.ETH-debt`, `augur.M1-YES`. `revalue` is a pure function of
// (quantity, snapshot, scenario prices): the broker may call it from any LP.
struct InstrumentDescriptor {
  std::string id;
  std::string protocol;
  std::vector<AssetId> underlyings;
  std::vector<double> deltas_per_unit;  // d(value)/d(price of underlying i) at the snapshot, per unit held
  std::function<double(double quantity, const ProtocolSnapshot&, const PriceVector&)> revalue;
  // The snapshot values `revalue` reads, so that a broker re-margins a holding only when one of
  // them changes; nothing means unknown (any change of the protocol's snapshot counts).
  std::optional<std::vector<std::string>> snapshot_keys;
  // Marked at `revalue` of one unit (non-linear: an LP share, an outcome share) rather than at
  // sum(delta x price); no mark until every one of `snapshot_keys` has been published.
  bool mark_by_revalue = false;
  // A bounded claim on one of a market's exclusive outcomes (a prediction share): no price
  // underlying; the scan resolves its market each way instead of moving a price.
  struct OutcomeClaim {
    std::string market;              // the scan group: claims on one market net against each other
    std::vector<double> payoff_if;   // what one unit pays if outcome k resolves, 0..1 (per outcome k)
    std::string open_key;            // snapshot value that is 0 once trading has closed
  };
  std::optional<OutcomeClaim> outcome;
  // A holding of it can itself be posted with a broker (an LP share): a client pledges units it
  // moved to the broker's account at the protocol, and they count as its collateral at the mark.
  bool collateral = false;
  // Cleared by a broker: it has price deltas, or it is an outcome claim.
  bool cleared() const { return !deltas_per_unit.empty() || outcome.has_value(); }
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual std::string_view kind() const = 0;  // amm | lending | synthetics | perps | prediction
  virtual const std::string& name() const = 0;
  // The protocol's own account on the shard (holds pools and reserves).
  virtual AccountId account() const = 0;
  // The operations it accepts, for the loader's checks of `script:` entries: op -> arg keys.
  virtual std::vector<std::pair<std::string, std::vector<std::string>>> operations() const = 0;
  // Applies one operation sent by `sender`.
  virtual OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) = 0;
  // Called at the start of every block, before transactions (interest accrual, funding).
  virtual void on_block(ShardContext& ctx) {}
  // State for --dump-state only (exact decimal strings for amounts): agents and monitors read
  // queries() instead.
  virtual nlohmann::ordered_json state(const ShardContext& ctx) const = 0;
  // Folds the protocol's whole state into the run's final-state digest (protocol_digest.cpp):
  // exact integers and strings only, in a fixed order. The default digests state(), which must
  // then hold no floating-point number (asserted); a protocol whose dump has doubles overrides it.
  virtual void digest(core::StateDigest& d, const ShardContext& ctx) const;
  // Typed views of its state (protocols/api/queries.hpp); none by default.
  virtual ProtocolQueries queries() const { return {}; }
  virtual ProtocolSnapshot snapshot(const ShardContext& ctx) const = 0;
  virtual std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const = 0;
  // The markets where a broker may hedge (protocols/api/hedge_venue.hpp); none by default.
  virtual HedgeVenues hedge_venues(const ShardContext& ctx) const { return {}; }
  // The instruments and venues operation `op` would add if it succeeded (a prediction market's
  // creation lists its outcome shares): a world registers them with its brokers before the run,
  // and they come alive when the protocol's snapshot first shows them. None by default.
  virtual std::vector<InstrumentDescriptor> instruments_added_by(const ShardContext& ctx, std::string_view op,
                                                                 const OpArgs& args) const {
    return {};
  }
  virtual HedgeVenues hedge_venues_added_by(const ShardContext& ctx, std::string_view op, const OpArgs& args) const {
    return {};
  }
  // A copy of the protocol's whole state, for running an operation without committing it (a
  // two-phase prepare vote executes on a clone, so that nothing of it survives).
  virtual std::unique_ptr<Protocol> clone() const = 0;
  // The object an operation touches that a two-phase prepare can lock (shards/locks.hpp): "" for
  // the whole protocol (a pool), a name for a part (a perps market), nothing for an op that no
  // hedge commit conflicts with. None by default.
  virtual std::optional<std::string> lock_object(std::string_view op, const OpArgs& args) const { return std::nullopt; }
};

// Runs one operation of `protocol` and returns its outcome as a value: an arithmetic overflow
// inside the model (which a contract would revert on) becomes a revert "arithmetic overflow", so
// no exception leaves a protocol. A revert has changed nothing of the protocol; its ledger changes
// are the host's to undo.
OpResult execute(Protocol& protocol, ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args);

}  // namespace shardsim::protocols
