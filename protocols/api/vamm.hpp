// Models a virtual AMM (Perpetual Protocol v1 style) that prices what a perps market's book does
// not fill: virtual reserves base x quote = k (base in WAD units of the index asset, quote in WAD
// USD), price = quote / base. It holds no tokens (the perps house is the counterparty); it only
// prices, exactly and against the trader: after a trade the quote reserve is rounded up, so k
// never falls, a buyer pays the rounded-up cost and a seller receives the rounded-down proceeds.
// Shared by the perps protocol, agents that plan against it and monitors that replay it, which
// read a market's vAMM through PerpsDepthQuery (answered by a perps protocol besides PerpsQuery).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "protocols/api/fixed_point.hpp"
#include "protocols/api/queries.hpp"

namespace shardsim::protocols {

struct VammState {
  i128 base_wad = 0;   // virtual index-asset reserve
  i128 quote_wad = 0;  // virtual USD reserve
  bool operator==(const VammState&) const = default;
};

// A vAMM pegged at `price_wad` with `depth_wad` USD of virtual quote: quote = depth,
// base = floor(depth / price) (> 0; both inputs > 0).
VammState vamm_pegged(i128 price_wad, i128 depth_wad);

// quote / base, rounded down (0 for an empty state).
i128 vamm_price_wad(const VammState& s);

struct VammTrade {
  VammState after;
  i128 quote_delta_wad = 0;  // after.quote - before.quote: > 0 a buyer's cost, < 0 a seller's proceeds
};

// A taker trade of `size_wad` (signed, > 0 buys base out of the pool) on `s`; nothing when a buy
// would take the whole base reserve (or more). Throws ArithmeticError on overflow.
std::optional<VammTrade> vamm_trade(const VammState& s, i128 size_wad);

// The taker's cash change in raw collateral units (decimals <= 18, 1 unit = 1 USD) for a vAMM
// quote change with the market's spread charged on top, against the taker: a buyer pays
// ceil(cost * (1 + spread)), a seller receives floor(proceeds * (1 - spread)) (the spread part
// rounded up).
i128 vamm_cash_units(i128 quote_delta_wad, i128 spread_wad, int collateral_decimals);

// The average price per unit of a trade of `size_wad` (signed) whose cash change was `cash_units`
// (raw collateral units), WAD USD, rounded against the taker (up for a buy, down for a sell): the
// price a limit is checked against.
i128 vamm_avg_price_wad(i128 cash_units, i128 size_wad, int collateral_decimals);

// A finite-depth market's virtual AMM as the next trade would find it (re-pegged if due).
struct PerpsVamm {
  VammState state;
  i128 pegged_index_wad = 0;  // the index price of its last peg
  std::uint64_t repegs = 0;   // pegs so far (the first included): a change means it was re-pegged
};

// What a perps exchange with finite depth answers about its markets' vAMMs.
class PerpsDepthQuery {
 public:
  // The vAMM's virtual USD quote at its peg (WAD); 0: an infinite house at mark +/- spread.
  virtual i128 vamm_depth_wad(std::size_t market) const = 0;
  virtual i128 spread_wad() const = 0;  // charged on top of the vAMM's (or the house's) price
  // The market's vAMM; nothing for an infinite-house market or without an index price.
  virtual std::optional<PerpsVamm> vamm(const ShardContext& ctx, std::size_t market) const = 0;

 protected:
  ~PerpsDepthQuery() = default;
};

// The depth view of a perps protocol (nothing for none, or one that has no depth view).
inline const PerpsDepthQuery* depth_query(const PerpsQuery* perps) {
  return dynamic_cast<const PerpsDepthQuery*>(perps);
}

}  // namespace shardsim::protocols
