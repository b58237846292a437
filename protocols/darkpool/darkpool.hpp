// Models a dark pool: orders rest unseen inside the protocol (a searcher sees only a call to the
// pool, never a price it could move) and cross at the mid of the shard's oracle prices of the
// underlying and the quote. Contra liquidity arrives as a Poisson flow of a maker's orders (a rate,
// a size and a time-to-live; escrowed when they arrive) or as `post`ed orders; an order unfilled
// at its time-to-live expires and its escrow goes back to its owner. A taker's `cross` (a broker's
// hedge) fills what resting contra liquidity there is at the mid and returns the rest at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "protocols/api/protocol.hpp"

namespace shardsim::protocols::darkpool {

struct Params {
  AssetId underlying = 0;
  AssetId quote = 0;
  std::string maker;                   // the account funding the contra flow ("" = no flow)
  core::Duration contra_every;         // mean time between contra orders (0 = no flow)
  core::Amount contra_size;            // underlying raw units per contra order
  double contra_buy_share = 0.5;       // of contra orders, the share that buys the underlying
  core::Duration ttl = core::Duration::min(10);  // a resting order's time-to-live
  std::uint64_t flow_seed = 1;         // the contra flow's random stream
};

struct Order {
  std::uint64_t id = 0;
  AccountId owner = 0;
  bool buys = false;       // the owner buys the underlying (escrow in quote) or sells it (escrow in underlying)
  i128 qty_raw = 0;        // underlying raw units still wanted
  i128 escrow_raw = 0;     // held by the pool for the owner
  core::SimTime expires_at;
};

std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs();

class DarkPool final : public Protocol {
 public:
  DarkPool(Params params, std::string name, AccountId account)
      : params_(std::move(params)), name_(std::move(name)), account_(account),
        rng_(core::Rng::for_entity(params_.flow_seed, name_)) {}

  std::string_view kind() const override { return "darkpool"; }
  const std::string& name() const override { return name_; }
  AccountId account() const override { return account_; }
  std::vector<std::pair<std::string, std::vector<std::string>>> operations() const override { return operation_specs(); }
  OpResult apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) override;
  void on_block(ShardContext& ctx) override;
  nlohmann::ordered_json state(const ShardContext& ctx) const override;
  ProtocolSnapshot snapshot(const ShardContext& ctx) const override;
  std::vector<InstrumentDescriptor> instruments(const ShardContext&) const override { return {}; }
  HedgeVenues hedge_venues(const ShardContext& ctx) const override;  // darkpool_venue.cpp
  std::unique_ptr<Protocol> clone() const override { return std::make_unique<DarkPool>(*this); }
  std::optional<std::string> lock_object(std::string_view op, const OpArgs&) const override {
    return op == "cross" ? std::optional<std::string>("") : std::nullopt;
  }

 private:
  OpResult cross(ShardContext& ctx, AccountId sender, const OpArgs& args);
  OpResult post(ShardContext& ctx, AccountId sender, const OpArgs& args);
  std::optional<i128> mid_wad(const ShardContext& ctx) const;
  void rest(ShardContext& ctx, AccountId owner, bool buys, i128 qty_raw, i128 escrow_raw, core::Duration ttl);
  void release(ShardContext& ctx, const Order& o);
  void arrivals(ShardContext& ctx);

  Params params_;
  std::string name_;
  AccountId account_;
  core::Rng rng_;
  std::vector<Order> book_;  // time priority
  std::uint64_t next_id_ = 1;
  std::optional<core::SimTime> next_arrival_;
  std::uint64_t posted_ = 0, expired_ = 0, crosses_ = 0;
  i128 crossed_raw_ = 0, expired_raw_ = 0;
};

}  // namespace shardsim::protocols::darkpool
