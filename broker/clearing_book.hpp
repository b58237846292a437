// Models the broker's books without an engine: clients and their collateral on the double-entry
// ledger, client positions in protocol instruments marked to the home oracle, the pre-trade
// check (portfolio margin with the order included, position limits), internal crossing, the
// house's net exposure per underlying (client legs against hedges held and in flight),
// liquidation and the default waterfall. Every amount it posts is exact integer arithmetic on a
// price quantised once to a WAD, rounded in the house's favour (broker/exact_money.hpp). The
// runtime (broker.hpp) drives it from messages; benchmarks and tests drive it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/broker_config.hpp"
#include "broker/exact_money.hpp"
#include "broker/ledger.hpp"
#include "broker/margin_engine.hpp"
#include "core/amount.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/hedge_venue.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::broker {

using protocols::i128;
using Book = BrokerLedger::Book;

// A hedge venue as the broker holds it: where the market is, how far, and the protocol's own
// HedgeVenue that builds its calls and reads its fills (protocols/api/hedge_venue.hpp). A margined
// venue (a perpetual) goes both ways on margin deposited there; a spot venue (an AMM pool) buys
// the underlying with quote carried in the call and sells only the inventory bought there before.
struct Venue {
  std::string instrument;            // e.g. dydx.BTC-PERP, or uni.ETH for spot ETH bought on uni
  protocols::AssetId underlying = 0;
  protocols::ShardId shard = 0;
  std::uint32_t protocol = 0;        // index on its shard
  core::Duration expected_latency;   // home -> venue shard, mean one way
  std::shared_ptr<const protocols::HedgeVenue> hedge;  // null only where no hedge is ever sent (book tests)
  bool margined() const { return !hedge || hedge->market().style == protocols::HedgeStyle::margined; }
  double cost_rate() const { return hedge ? hedge->market().cost_rate : 0.0005; }  // of notional
  bool claim() const { return hedge && hedge->market().claim; }  // trades an outcome claim itself
};

// A client-tradable instrument: one with price deltas, or an outcome claim (a prediction share).
struct Instrument {
  const protocols::InstrumentDescriptor* descriptor = nullptr;
  std::optional<std::size_t> venue;  // this instrument is itself a hedge venue
  std::optional<protocols::AssetId> mark_asset;  // marked at this asset's own price when the home has it (a synth: its market price)
};

struct ClientPosition {
  std::size_t instrument = 0;
  i128 qty_wad = 0;
  // USD per unit (WAD), volume-weighted over increases with one rounding in the house's favour
  // (up for a long, down for a short: exact_money.hpp). Realised P&L is computed from it.
  i128 entry_mark_wad = 0;
  double entry_mark = 0;  // entry_mark_wad as a double, for risk estimates (equity, display)
  double qty = 0;         // qty_wad in whole units (wad_to_double), kept with it
  // Posted as collateral (an LP share the broker holds for the client): entry 0, so its whole
  // value at the mark is the client's; never a trade, so the house is not short it.
  bool pledged = false;
};

struct ClientStats {
  std::uint64_t orders = 0, rejected = 0, liquidations = 0;
};

struct Client {
  std::string name;
  std::vector<ClientPosition> positions;
  ClientStats stats;
};

struct OrderOutcome {
  bool filled = false;
  std::string reason;    // why it was rejected
  double mark = 0;       // fill price (USD per unit)
  double crossed = 0;    // units crossed internally against other clients
  i128 mark_wad = 0;     // the fill price as quantised once for the money (USD WAD per unit)
  core::Amount fee;      // the order fee charged, in quote units
};

// Where a client deficit went (spec §6), in quote units.
struct DefaultOutcome {
  core::Amount deficit, from_capital, from_default_fund, socialised;
  bool capital_exhausted = false;
};

// What every layer of the waterfall (broker/waterfall.hpp) absorbed over the run, exact quote
// units as posted on the ledger. Two losses enter it: client deficits (what a defaulted client
// owed beyond its margin) and the house's shortfall (its equity below 0 once insolvent). Always
// client_deficits + house_shortfall == defaulter_contribution + house_capital + broker_fund +
// member_contributions + socialised.
struct WaterfallTotals {
  core::Amount client_deficits;         // losses entering from client defaults
  core::Amount house_shortfall;         // losses entering from the house's own negative equity
  core::Amount defaulter_margin;        // 1. the defaulters' collateral consumed (before the deficit)
  core::Amount defaulter_contribution;  // 2. the defaulters' own default-fund contributions
  core::Amount house_capital;           // 3. broker capital (client deficits only: the house's own loss is its P&L)
  core::Amount broker_fund;             // 3b. the broker's own default fund
  core::Amount member_contributions;    // 4. the other clients' contributions, pro rata
  core::Amount socialised;              // 5. socialised to the clients
  core::Amount capital_written_off;     // a broker_default decree (not a waterfall layer)
  core::Amount beyond_capital() const { return broker_fund + member_contributions + socialised; }
};

struct HedgeHolding {
  i128 qty_wad = 0;         // committed at the venue
  double entry = 0;         // entry_wad as a double (risk estimates, display)
  i128 inflight_wad = 0;    // sent, not settled
  i128 entry_wad = 0;       // average fill, USD WAD per unit, rounded in the house's favour
};

class ClearingBook {
 public:
  ClearingBook(const BrokerConfig& config, std::vector<Instrument> instruments, std::vector<Venue> venues,
               protocols::AssetId quote, std::vector<int> decimals);

  std::size_t add_client(std::string name);
  std::size_t clients() const { return clients_.size(); }
  const Client& client(std::size_t c) const { return clients_[c]; }
  const std::vector<Instrument>& instruments() const { return instruments_; }
  const std::vector<Venue>& venues() const { return venues_; }
  std::optional<std::size_t> instrument_index(std::string_view id) const;

  // Marks (home oracle, USD) and what the margin engine needs per underlying.
  void set_price(protocols::AssetId asset, double usd);
  double price(protocols::AssetId asset) const { return asset < prices_.size() ? prices_[asset] : 0.0; }
  const protocols::PriceVector& prices() const { return prices_; }
  double mark(std::size_t instrument) const;  // sum of delta * price (negative for debt); NaN when a price is missing
  // A protocol's published snapshot as it arrives (its values replace the last ones). Instruments
  // revalue with it once linked: `link_snapshots` (each slot) links every protocol heard from.
  void update_snapshot(std::string_view protocol, std::int64_t taken_at_us,
                       std::vector<std::pair<std::string, double>> values);
  void link_snapshots();
  const protocols::ProtocolSnapshot* snapshot(std::string_view protocol) const;  // the last received
  // Latency add-on inputs: expected settlement of a hedge on `underlying`'s venue, and how much
  // of the house's exposure there is unhedged (0..1).
  void set_settlement(protocols::AssetId underlying, core::Duration expected, double unhedged_fraction);

  // Money (exact, on the ledger).
  void open_capital(const std::vector<AssetAmount>& capital, const std::vector<AssetAmount>& default_fund);
  void deposit(std::size_t client, protocols::AssetId asset, core::Amount amount);
  // A withdrawal's reservation and its end (the saga commits or releases it).
  std::optional<std::string> reserve_withdrawal(std::size_t client, protocols::AssetId asset, core::Amount amount);
  void release_withdrawal(std::size_t client, protocols::AssetId asset, core::Amount amount);  // compensate
  void complete_withdrawal(std::size_t client, protocols::AssetId asset, core::Amount amount);  // commit
  // Value leaving custody for a venue, and arriving there (or coming back).
  void send_to_venue(std::size_t venue, core::Amount amount);
  // Payments between clients (clearing_book_payments.cpp). `payment_refused` is the check a
  // payer passes (its balance, and its margin with the amount gone); the others post.
  std::optional<std::string> payment_refused(std::size_t client, protocols::AssetId asset, core::Amount amount) const;
  void pay_client(std::size_t from, std::size_t to, protocols::AssetId asset, core::Amount amount);  // same broker
  void pay_out(std::size_t client, protocols::AssetId asset, core::Amount amount);  // client -> payable to the cycles
  void pay_in(std::size_t client, protocols::AssetId asset, core::Amount amount);   // receivable from the cycles -> client
  void clearing_paid(protocols::AssetId asset, core::Amount amount);      // custody sent to settle the payable
  void clearing_received(protocols::AssetId asset, core::Amount amount);  // a settlement arrived in custody
  void clearing_loss(protocols::AssetId asset, core::Amount amount);      // an unpaid receivable, written off against capital
  core::Amount clearing_balance(protocols::AssetId asset) const;  // > 0 owed to the broker, < 0 owed by it
  // Variation margin between houses (broker/interbroker.hpp), realised on the trading book:
  // owed by the house (a payable to the cycles), or owed to it (a receivable from them).
  void house_pay_out(protocols::AssetId asset, core::Amount amount);
  void house_pay_in(protocols::AssetId asset, core::Amount amount);

  // Collateral in an instrument (an LP share the broker now holds at the protocol for the client);
  // the reason when refused. On liquidation the house takes it over at the mark.
  std::optional<std::string> pledge(std::size_t client, std::size_t instrument, i128 qty_wad);
  // What the broker holds of `instrument` as collateral: pledged by clients plus taken over (WAD).
  i128 pledged_wad(std::size_t instrument) const;

  // Orders: pre-trade check, fill at the mark, fee, crossing.
  OrderOutcome order(std::size_t client, std::size_t instrument, i128 qty_wad, std::optional<double> limit);

  // Client risk.
  double equity(std::size_t client) const;       // collateral at marks + unrealised P&L
  // Portfolio margin of the client's positions, valid until the book next changes. Kept between
  // calls and recomputed only when an input changed: the client's positions, the price of an
  // underlying of an instrument it holds or a snapshot value that instrument reads
  // (InstrumentDescriptor::snapshot_keys) in full, or the latency add-on's inputs of its
  // underlyings (that add-on alone). Always equal, bit for bit, to a computation from scratch.
  const MarginResult& margin(std::size_t client) const;
  MarginResult margin_from_scratch(std::size_t client) const;  // the same, recomputed (for checks)
  bool below_maintenance(std::size_t client) const;
  // Closes every position at the mark, charges the liquidation fee, and runs the waterfall on
  // any deficit. The house takes the positions over (its exposure changes accordingly).
  DefaultOutcome liquidate(std::size_t client);

  // Writes the broker's capital off (a broker_default fault): its claim moves to the bad-debt book.
  void wipe_capital();
  // The house's shortfall (its equity below 0, in quote units) not yet covered: runs through the
  // broker's fund, the clients' contributions pro rata and socialised loss, each posted to
  // capital, so the house's equity is back at 0. Call with the whole current shortfall.
  void absorb_house_shortfall(core::Amount shortfall);
  const WaterfallTotals& waterfall() const { return waterfall_; }
  // The clients' contributions still held (quote units).
  core::Amount client_contributions_held() const;

  // The house.
  std::vector<double> house_delta() const;  // per asset: units of underlying the house is long
  std::vector<double> client_delta() const;  // per asset: units clients are long in total
  void house_delta(std::vector<double>& out) const;  // the same into `out` (no allocation once sized)
  void client_delta(std::vector<double>& out) const;
  std::size_t venue_instrument(std::size_t venue) const { return venue_instrument_[venue]; }
  // What clients hold of `instrument` in total (WAD, signed); and whether an outcome claim's
  // market still trades (its snapshot's open value is non-zero).
  i128 net_client_wad(std::size_t instrument) const;
  bool claim_open(std::size_t instrument) const;
  HedgeHolding& hedge(std::size_t venue) { return hedges_[venue]; }
  const std::vector<HedgeHolding>& hedges() const { return hedges_; }
  void hedge_sent(std::size_t venue, i128 qty_wad);
  // A sent leg ends: `filled_wad` of it filled at `fill` (nothing = failed); the rest is dropped.
  // The fill price is quantised once to a WAD (quantise_price).
  void hedge_settled(std::size_t venue, i128 qty_wad, std::optional<double> fill, std::optional<i128> filled_wad = {});
  // The same with the fill price already a WAD (USD per unit).
  void hedge_settled_exact(std::size_t venue, i128 sent_wad, std::optional<i128> fill_wad, std::optional<i128> filled_wad);
  // Client legs reversed, plus hedges held and in flight; valid until the next call.
  const MarginResult& house_margin() const;
  double house_unrealised() const;    // -client unrealised + hedge unrealised + realised hedge P&L
  double capital_value() const;       // broker capital left on the ledger, at marks
  double realised_value() const;      // fees + realised trading, at marks
  // capital + realised + house unrealised exactly, in USD WAD (each term rounded toward `t`): what
  // the waterfall posts a house shortfall from.
  i128 house_equity_wad(Toward t) const;
  double default_fund_value() const;

  BrokerLedger& ledger() { return ledger_; }
  const BrokerLedger& ledger() const { return ledger_; }
  protocols::AssetId quote() const { return quote_; }
  // A USD WAD in quote units, exactly, at the quote's price quantised once (1 USD when it has
  // none), rounded toward `t` (the house's side: exact_money.hpp).
  core::Amount usd_wad_to_quote(i128 usd_wad, Toward t) const;
  i128 price_wad(protocols::AssetId asset) const;  // the price quantised to a WAD; 0 when missing
  double quote_to_usd(core::Amount amount) const;
  double value(protocols::AssetId asset, core::Amount amount) const;

  // Totals for the summary: exact (quote units, USD WAD) and as USD doubles for display, the
  // quote amounts at the quote's current mark.
  double fees_earned() const;
  double crossed_units() const { return crossed_units_; }
  i128 hedge_realised_wad() const { return hedge_realised_wad_; }
  double hedge_realised() const { return protocols::wad_to_double(hedge_realised_wad_); }
  // Loss beyond the loser's own means (client deficits + house shortfall), the fund layers drawn
  // (defaulters' and members' contributions, the broker's fund), and socialised: one definition
  // for the summary, the cascade and the time series.
  core::Amount bad_debt_quote() const { return waterfall_.client_deficits + waterfall_.house_shortfall; }
  core::Amount default_fund_used_quote() const {
    return waterfall_.defaulter_contribution + waterfall_.broker_fund + waterfall_.member_contributions;
  }
  core::Amount socialised_quote() const { return waterfall_.socialised; }
  double bad_debt() const { return quote_to_usd(bad_debt_quote()); }
  double default_fund_used() const { return quote_to_usd(default_fund_used_quote()); }
  double socialised() const { return quote_to_usd(socialised_quote()); }

 private:
  BrokerLedger::Key key(Book book, std::uint32_t owner, protocols::AssetId asset) const {
    return BrokerLedger::Key{book, owner, asset};
  }
  // A protocol's snapshots as they arrive, and the instruments that revalue with them.
  struct Feed {
    std::string protocol;
    protocols::ProtocolSnapshot snapshot;
    bool received = false;
    bool linked = false;
    std::vector<std::size_t> instruments;
  };
  // One client's margin as last computed, with what it was computed from.
  struct MarginCache {
    MarginResult result;
    std::vector<Position> positions;  // the client's positions, as the engine read them
    MarginLegs legs;
    std::uint64_t epoch = 0;  // epoch_ when computed (or refreshed)
    bool valid = false;
  };

  double unrealised(const ClientPosition& p) const;
  // Every posting goes through here, so a client's collateral value knows when it changed.
  void post(BrokerLedger::Key from, BrokerLedger::Key to, core::Amount amount, std::string_view memo);
  double collateral_value(std::size_t client) const;  // the client's claims at marks
  double mark_at_prices(std::size_t instrument) const;
  double delta_per_unit(std::size_t instrument, std::size_t k) const;  // d(unit value)/d(price of underlying k)
  void margin_positions(const std::vector<ClientPosition>& positions, double sign, std::vector<Position>& out) const;
  const protocols::ProtocolSnapshot* instrument_snapshot(std::size_t instrument) const;
  protocols::AssetId settlement_asset(std::size_t instrument) const;
  std::size_t feed_index(std::string_view protocol);
  using SnapshotValues = std::vector<std::pair<std::string, double>>;
  void stamp_snapshot_change(const Feed& f, const SnapshotValues& before, const SnapshotValues& after);
  void instrument_changed(std::size_t instrument);
  ClientPosition* find(std::size_t client, std::size_t instrument);
  void book_fill(std::size_t client, std::size_t instrument, i128 qty_wad, i128 mark_wad);
  core::Amount order_fee(i128 qty_wad, i128 mark_wad) const;  // in quote units, rounded up
  DefaultOutcome absorb(std::size_t client, core::Amount margin_before);

  const BrokerConfig& config_;
  std::vector<Instrument> instruments_;
  std::vector<Venue> venues_;
  protocols::AssetId quote_;
  std::vector<int> decimals_;
  protocols::PriceVector prices_;
  std::vector<Feed> feeds_;
  std::vector<std::size_t> feed_of_;                        // per instrument
  std::vector<std::vector<std::size_t>> price_dependents_;  // per asset: instruments with it as an underlying
  std::vector<core::Duration> settle_time_;
  std::vector<double> unhedged_fraction_;
  std::vector<Client> clients_;
  std::vector<HedgeHolding> hedges_;
  std::vector<i128> net_client_wad_;  // per instrument, sum of client quantities
  std::vector<std::size_t> venue_instrument_;  // per venue, its index in instruments_
  std::vector<i128> seized_wad_;  // per instrument: pledged collateral the house took over in liquidations
  i128 hedge_realised_wad_ = 0;  // USD WAD, from reducing hedges
  BrokerLedger ledger_;
  double crossed_units_ = 0;
  WaterfallTotals waterfall_;
  // Per client: quote claims of the clients' contributions as the members' layer (the defaulter's own at 0).
  std::vector<core::Amount> member_funds(std::optional<std::size_t> defaulter) const;
  void post_members(const std::vector<core::Amount>& taken, Book from, std::string_view memo);
  // Incremental margin: every change of a margin input takes the next epoch; a cached margin
  // computed at an epoch at or after an input's last change is still exact for that input.
  std::uint64_t epoch_ = 0;
  std::vector<std::uint64_t> instrument_changed_at_;  // price of an underlying, or snapshot values
  std::vector<std::uint64_t> settlement_changed_at_;  // per asset: latency add-on inputs
  std::vector<std::uint64_t> client_changed_at_;      // positions
  std::vector<std::uint64_t> money_changed_at_;       // per client: a posting to its claims
  std::uint64_t prices_changed_at_ = 0;               // any price
  mutable std::vector<double> collateral_;            // per client, at collateral_epoch_
  mutable std::vector<std::uint64_t> collateral_epoch_;
  mutable std::vector<double> marks_;                 // per instrument, at marks_epoch_
  mutable std::uint64_t marks_epoch_ = 0;
  mutable std::vector<MarginCache> margin_cache_;     // per client
  mutable MarginScratch scratch_;
  mutable MarginResult house_margin_;
  mutable std::vector<Position> work_positions_;      // house legs, and a pre-trade check's portfolio
  mutable std::vector<ClientPosition> work_legs_;     // the house's legs, and a pre-trade check's positions
  mutable MarginResult trial_margin_;
};

}  // namespace shardsim::broker
