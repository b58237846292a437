// Models a dYdX v3 style cross-margin perpetuals exchange: traders deposit collateral into a
// quote balance Q, open signed positions per market against resting orders and the protocol's own
// book (the "house") at the oracle mark price (+/- spread), or, in a market with finite depth, at
// the price of a virtual AMM with impact; pay or receive hourly funding, and are liquidated when
// equity falls below maintenance margin; losses beyond equity hit the insurance fund, then are
// socialised onto the house book. Q, the house book and the fund are internal claims on the
// collateral tokens held in account().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"
#include "protocols/api/vamm.hpp"
#include "protocols/perps/margin.hpp"
#include "protocols/perps/perps_config.hpp"

namespace shardsim::protocols::perps {

struct PerpsAccount {
  core::Amount q;                 // quote balance, signed, in collateral units
  std::vector<i128> size_wad;     // signed position per market (config order)
  bool operator==(const PerpsAccount&) const = default;
};

struct OpenInterest {
  i128 long_wad = 0;   // sum of positive sizes
  i128 short_wad = 0;  // sum of |negative sizes|
  bool operator==(const OpenInterest&) const = default;
};

// A resting limit order: signed remaining size (+ bid, - ask) at a fixed price.
struct RestingOrder {
  std::uint64_t id = 0;
  AccountId account = 0;
  i128 size_wad = 0;
  i128 price_wad = 0;
  bool operator==(const RestingOrder&) const = default;
};

// Per-market book and funding state.
struct MarketBook {
  std::vector<RestingOrder> orders;     // sorted by (price, id): bids and asks together
  std::optional<i128> last_trade_price;  // the price of the last fill (book or house)
  i128 premium_acc = 0;                  // sum of premium_wad * dt_us since the last settlement
  std::int64_t premium_us = 0;           // sum of dt_us sampled since the last settlement
  i128 last_rate_wad = 0;                // the rate of the last settlement (per interval)
  // Finite depth only (depth.cpp): the vAMM as the last trade or peg left it, the index price of
  // that peg (0: never pegged) and the number of pegs.
  VammState vamm;
  i128 vamm_index_wad = 0;
  std::uint64_t vamm_repegs = 0;
  bool operator==(const MarketBook&) const = default;
};

// Margin totals, or the asset whose oracle price is missing.
struct MarginResult {
  MarginTotals totals;
  std::optional<AssetId> missing_price;
};

// The operations and their argument keys (shared with the topology loader).
std::vector<std::pair<std::string, std::vector<std::string>>> perps_operations();

// The configured terms as the api publishes them (perps_queries.cpp).
PerpsTerms terms_of(const PerpsConfig& config);

class Perps final : public Protocol, public RiskQuery, public PerpsQuery, public PerpsDepthQuery {
 public:
  Perps(std::string name, AccountId account, PerpsConfig config, const Registry& registry);

  std::string_view kind() const override { return "perps"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override {
    return perps_operations();
  }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  void on_block(ShardContext& ctx) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext& ctx) const override;
  // One venue per market (perps_venue.cpp).
  HedgeVenues hedge_venues(const ShardContext& ctx) const override;
  // Typed queries (perps_queries.cpp).
  ProtocolQueries queries() const override;
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<Perps>(*this); }
  // trade and place_order touch their market (its book, open interest and mark).
  std::optional<std::string> lock_object(std::string_view op, const OpArgs& args) const override {
    if (op != "trade" && op != "place_order") return std::nullopt;
    const std::optional<std::string_view> m = args.text("market");
    return m ? std::optional<std::string>(std::string(*m)) : std::nullopt;
  }
  i128 bad_debt_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_fund_usd_wad(const ShardContext& ctx) const override;
  i128 insurance_drawn_usd_wad(const ShardContext& ctx) const override;
  i128 socialised_usd_wad(const ShardContext& ctx) const override;
  void accounts_at_risk(const ShardContext& ctx, i128 health_below_wad, std::vector<AccountHealth>& out) const override;
  const PerpsTerms& perps_terms() const override { return terms_; }
  std::optional<i128> mark_wad(const ShardContext& ctx, std::size_t market) const override;
  i128 position_wad(AccountId account, std::size_t market) const override;
  std::optional<PerpsMargin> account_margin(const ShardContext& ctx, AccountId account) const override;
  std::optional<i128> liquidation_reward(const ShardContext& ctx, AccountId account) const override;
  // Finite depth (depth.cpp).
  i128 vamm_depth_wad(std::size_t market) const override;
  i128 spread_wad() const override { return config_.spread_wad; }
  std::optional<PerpsVamm> vamm(const ShardContext& ctx, std::size_t market) const override;

  // Read access for tests, reports and the broker.
  const PerpsConfig& config() const { return config_; }
  int collateral_decimals() const { return decimals_; }
  const std::map<AccountId, PerpsAccount>& accounts() const { return accounts_; }
  const PerpsAccount* find_account(AccountId a) const;
  const std::vector<OpenInterest>& open_interest() const { return open_interest_; }
  core::Amount house_q() const { return house_q_; }                // the protocol's own book
  core::Amount insurance_fund() const { return insurance_fund_; }
  core::Amount socialised_loss() const { return socialised_loss_; }  // cumulative shortfall
  std::uint64_t liquidations() const { return liquidations_; }
  std::uint64_t funding_settlements() const { return funding_settlements_; }
  core::SimTime next_funding() const { return next_funding_; }
  // Order book, funding premium and the last trade price of market m.
  const std::vector<RestingOrder>& orders(std::size_t m) const { return books_[m].orders; }
  const MarketBook& book(std::size_t m) const { return books_[m]; }
  std::uint64_t next_order_id() const { return next_order_id_; }
  std::optional<i128> last_trade_price(std::size_t m) const { return books_[m].last_trade_price; }
  std::optional<i128> best_bid(std::size_t m) const;
  std::optional<i128> best_ask(std::size_t m) const;
  // Mid of best bid and ask if both rest, else the last trade price, else the index (nothing
  // without an index price).
  std::optional<i128> perp_mid(const ShardContext& ctx, std::size_t m) const;
  // (mid - index) / index, WAD, truncated toward zero and clamped to +/-100% (nothing without an
  // index price).
  std::optional<i128> premium_wad(const ShardContext& ctx, std::size_t m) const;
  // The time-weighted premium sampled since the last settlement (0 without samples).
  i128 premium_twap_wad(std::size_t m) const;
  // The house's position in market m: the opposite of all traders' net position.
  i128 house_size_wad(std::size_t m) const { return open_interest_[m].short_wad - open_interest_[m].long_wad; }
  // TAV, IMR, MMR of `a` at the current oracle prices (zeros for an unknown account).
  MarginResult margin(const ShardContext& ctx, AccountId a) const;
  std::optional<std::size_t> market_index(std::string_view market) const;
  // Finite depth (depth.cpp): the vAMM a trade in market m faces now: as stored, or freshly
  // pegged at the index when the index moved since its last peg. Nothing for an infinite-house
  // market or without an index price.
  std::optional<VammState> vamm_now(const ShardContext& ctx, std::size_t m) const;

 private:
  OpResult dispatch(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args);
  OpResult deposit(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult withdraw(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult fund_insurance(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult trade(ShardContext& ctx, AccountId sender, const OpArgs& args);
  // A taker's trade planned against the book before anything changes (orders.cpp).
  struct BookFill {
    std::uint64_t id;
    AccountId maker;
    i128 size;  // taker-signed
    i128 price;
    i128 taker_cash;
    i128 maker_cash;
  };
  struct TradePlan {
    std::vector<BookFill> fills;
    std::vector<std::uint64_t> dropped;  // makers that can no longer afford their order
    i128 remaining = 0;                  // left for the house, taker-signed
    i128 taker_cash = 0;                 // from the book fills
  };
  TradePlan plan_book_fills(const ShardContext& ctx, AccountId sender, std::size_t m, i128 size,
                            std::optional<i128> limit) const;
  void commit_book_fills(std::size_t m, const TradePlan& plan);
  OpResult place_order(ShardContext& ctx, AccountId sender, const OpArgs& args);   // orders.cpp
  OpResult cancel_order(ShardContext& ctx, AccountId sender, const OpArgs& args);  // orders.cpp
  void cancel_orders_of(AccountId a);                                              // orders.cpp
  void sample_premium(const ShardContext& ctx);                                    // funding.cpp
  void repeg_if_due(const ShardContext& ctx, std::size_t m);                       // depth.cpp
  OpResult liquidate(ShardContext& ctx, AccountId sender, const OpArgs& args);  // liquidation.cpp
  // What closing every position of `acct` at the marks would move (liquidation.cpp; marks checked
  // by the caller; may throw ArithmeticError).
  struct LiquidationQuote {
    i128 closed_value = 0;     // what the house pays the account for its positions at mark
    i128 closed_notional = 0;  // sum |S_i * P_i|, rounded up
    i128 penalty = 0;          // taken from equity, capped by it
    i128 reward = 0;           // the liquidator share of the penalty
  };
  LiquidationQuote quote_liquidation(const ShardContext& ctx, const PerpsAccount& acct) const;
  static bool has_positions(const PerpsAccount& acct);
  void settle_funding(ShardContext& ctx, i128 intervals);                       // funding.cpp
  // Mints the initial insurance fund once; true if it did so now.
  bool seed_insurance_fund(ShardContext& ctx);
  // Margin of an account with quote balance `q` and positions `sizes` (empty: none), with market
  // m's size replaced by `size_m` (m out of range: as is).
  MarginResult margin_of(const ShardContext& ctx, i128 q, const std::vector<i128>& sizes, std::size_t m,
                         i128 size_m) const;
  std::optional<core::Amount> positive_amount(const ShardContext& ctx, const OpArgs& args, std::string& why) const;
  PerpsAccount& account_of(AccountId a);
  void set_size(PerpsAccount& acct, std::size_t m, i128 size_wad);
  std::string no_price(const ShardContext& ctx, AssetId a) const;

  std::string name_;
  AccountId account_;
  PerpsConfig config_;
  PerpsTerms terms_;  // config_ as the queries publish it
  int decimals_;
  i128 scale_;  // 10^(36 - decimals): size * price -> collateral units
  std::map<AccountId, PerpsAccount> accounts_;
  std::vector<OpenInterest> open_interest_;
  core::Amount house_q_;
  core::Amount insurance_fund_;
  core::Amount socialised_loss_;
  core::Amount insurance_drawn_;  // cumulative: what the fund covered of liquidations' losses (report only)
  bool seeded_ = false;
  core::SimTime next_funding_;
  std::uint64_t liquidations_ = 0;
  std::uint64_t funding_settlements_ = 0;
  i128 last_funding_rate_wad_ = 0;  // market 0's last rate (the snapshot's funding_rate)
  std::vector<MarketBook> books_;
  std::uint64_t next_order_id_ = 1;
  core::SimTime last_sample_;
};

}  // namespace shardsim::protocols::perps
