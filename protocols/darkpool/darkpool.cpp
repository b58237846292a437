// Models the dark pool's order book: contra orders arriving and expiring at block starts, posted
// orders, and a taker's cross at the oracle mid against resting contra orders in time priority.
// Every movement is a ledger transfer; escrow is held by the pool's account.
#include "protocols/darkpool/darkpool.hpp"

#include <algorithm>
#include <cmath>

#include "protocols/api/hedge_venue.hpp"

namespace shardsim::protocols::darkpool {
namespace {

struct Take {
  std::size_t order = 0;
  i128 units_raw = 0;
  i128 quote_raw = 0;
};

// Quote raw units for `units_raw` of the underlying at `mid_wad` (quote per whole underlying).
i128 quote_of(i128 units_raw, i128 mid_wad, int ud, int qd, Round r) {
  return wad_to_raw(wad_mul(raw_to_wad(units_raw, ud), mid_wad, r), qd, r);
}

std::optional<bool> side_buys(const OpArgs& args) {
  const auto side = args.text("side");
  if (side == "buy") return true;
  if (side == "sell") return false;
  return std::nullopt;
}

}  // namespace

std::vector<std::pair<std::string, std::vector<std::string>>> operation_specs() {
  return {{"cross", {"side", "qty", "limit_price"}}, {"post", {"side", "qty", "budget"}}};
}

std::optional<i128> DarkPool::mid_wad(const ShardContext& ctx) const {
  const auto u = ctx.oracle_price_wad(params_.underlying);
  const auto q = ctx.oracle_price_wad(params_.quote);
  if (!u || !q || *u <= 0 || *q <= 0) return std::nullopt;
  return wad_div(*u, *q);
}

OpResult DarkPool::apply(ShardContext& ctx, AccountId sender, std::string_view op, const OpArgs& args) {
  if (op == "cross") return cross(ctx, sender, args);
  if (op == "post") return post(ctx, sender, args);
  return OpResult::revert("unknown operation");
}

OpResult DarkPool::cross(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const std::optional<bool> buys = side_buys(args);
  if (!buys) return OpResult::revert("side must be buy or sell");
  const auto qty = args.amount("qty", ctx, params_.underlying);
  if (!qty || qty->raw() <= 0) return OpResult::revert("qty must be positive");
  const std::optional<i128> mid = mid_wad(ctx);
  if (!mid) return OpResult::revert("no reference price");
  if (const auto limit = args.wad("limit_price"); limit && (*buys ? *mid > *limit : *mid < *limit)) {
    return OpResult::revert("mid beyond the limit price");
  }
  const int ud = ctx.decimals(params_.underlying), qd = ctx.decimals(params_.quote);
  // Plan the fills first: nothing of the pool changes unless every transfer succeeds.
  std::vector<Take> takes;
  i128 want = qty->raw(), units = 0, quote = 0;
  for (std::size_t i = 0; i < book_.size() && want > 0; ++i) {
    const Order& o = book_[i];
    if (o.buys == *buys || o.qty_raw <= 0) continue;
    i128 take = std::min(want, o.qty_raw);
    if (o.buys) {  // the maker pays quote out of its escrow: no more than it holds
      take = std::min(take, wad_to_raw(wad_div(raw_to_wad(o.escrow_raw, qd), *mid), ud));
      while (take > 0 && quote_of(take, *mid, ud, qd, Round::down) > o.escrow_raw) --take;
    }
    if (take <= 0) continue;
    const i128 q = quote_of(take, *mid, ud, qd, *buys ? Round::up : Round::down);
    takes.push_back(Take{i, take, q});
    want -= take;
    units += take;
    quote += q;
  }
  if (units == 0) return OpResult::revert("no contra liquidity");
  const AssetId u = params_.underlying, qa = params_.quote;
  for (const Take& t : takes) {
    const Order& o = book_[t.order];
    const bool ok = *buys ? ctx.transfer(sender, o.owner, qa, core::Amount::units(t.quote_raw))
                          : ctx.transfer(sender, o.owner, u, core::Amount::units(t.units_raw));
    if (!ok) return OpResult::revert("insufficient balance");
  }
  if (!ctx.transfer(account_, sender, *buys ? u : qa, core::Amount::units(*buys ? units : quote))) {
    return OpResult::revert("pool escrow short");  // a defect: escrow always covers a planned take
  }
  for (const Take& t : takes) {
    Order& o = book_[t.order];
    o.qty_raw -= t.units_raw;
    o.escrow_raw -= o.buys ? t.quote_raw : t.units_raw;
  }
  ++crosses_;
  crossed_raw_ += units;
  // Filled orders leave the book with what is left of their escrow.
  for (std::size_t i = 0; i < book_.size();) {
    if (book_[i].qty_raw > 0) {
      ++i;
      continue;
    }
    release(ctx, book_[i]);
    book_.erase(book_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return OpResult::success({{"filled", units, ud}, {"quote", quote, qd}, {"mid", *mid, 18}});
}

OpResult DarkPool::post(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  const std::optional<bool> buys = side_buys(args);
  if (!buys) return OpResult::revert("side must be buy or sell");
  const auto qty = args.amount("qty", ctx, params_.underlying);
  if (!qty || qty->raw() <= 0) return OpResult::revert("qty must be positive");
  i128 escrow = qty->raw();
  if (*buys) {
    const auto budget = args.amount("budget", ctx, params_.quote);
    if (!budget || budget->raw() <= 0) return OpResult::revert("a buy order needs a positive budget");
    escrow = budget->raw();
  }
  if (!ctx.transfer(sender, account_, *buys ? params_.quote : params_.underlying, core::Amount::units(escrow))) {
    return OpResult::revert("insufficient balance");
  }
  rest(ctx, sender, *buys, qty->raw(), escrow, params_.ttl);
  return OpResult::success({{"order", static_cast<i128>(next_id_ - 1), 0}});
}

void DarkPool::rest(ShardContext& ctx, AccountId owner, bool buys, i128 qty_raw, i128 escrow_raw, core::Duration ttl) {
  book_.push_back(Order{next_id_++, owner, buys, qty_raw, escrow_raw, ctx.now() + ttl});
  ++posted_;
}

void DarkPool::release(ShardContext& ctx, const Order& o) {
  if (o.escrow_raw > 0) {
    ctx.transfer(account_, o.owner, o.buys ? params_.quote : params_.underlying, core::Amount::units(o.escrow_raw));
  }
}

void DarkPool::on_block(ShardContext& ctx) {
  for (std::size_t i = 0; i < book_.size();) {
    if (ctx.now() < book_[i].expires_at) {
      ++i;
      continue;
    }
    ++expired_;
    expired_raw_ += book_[i].qty_raw;
    release(ctx, book_[i]);
    book_.erase(book_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  arrivals(ctx);
}

// The maker's Poisson flow: each arrival since the last block rests one contra order, escrowed
// from the maker's balance (skipped when the maker cannot fund it).
void DarkPool::arrivals(ShardContext& ctx) {
  if (params_.maker.empty() || params_.contra_every <= core::Duration{} || params_.contra_size.raw() <= 0) return;
  const auto maker = ctx.account(params_.maker);
  if (!maker) return;
  auto gap = [&] {
    const double us = rng_.exponential(static_cast<double>(params_.contra_every.count_us()));
    return core::Duration::us(std::max<std::int64_t>(1, std::llround(us)));
  };
  if (!next_arrival_) next_arrival_ = ctx.now() + gap();
  while (*next_arrival_ <= ctx.now()) {
    next_arrival_ = *next_arrival_ + gap();
    const bool buys = rng_.bernoulli(params_.contra_buy_share);
    const i128 size = params_.contra_size.raw();
    i128 escrow = size;
    if (buys) {
      const std::optional<i128> mid = mid_wad(ctx);
      if (!mid) continue;
      // Budget for the order at twice the mid at arrival: room for the price to move while it rests.
      escrow = 2 * quote_of(size, *mid, ctx.decimals(params_.underlying), ctx.decimals(params_.quote), Round::up);
    }
    if (!ctx.transfer(*maker, account_, buys ? params_.quote : params_.underlying, core::Amount::units(escrow))) continue;
    rest(ctx, *maker, buys, size, escrow, params_.ttl);
  }
}

nlohmann::ordered_json DarkPool::state(const ShardContext& ctx) const {
  const int ud = ctx.decimals(params_.underlying), qd = ctx.decimals(params_.quote);
  nlohmann::ordered_json orders = nlohmann::ordered_json::array();
  for (const Order& o : book_) {
    orders.push_back({{"id", o.id},
                      {"owner", ctx.account_name(o.owner)},
                      {"side", o.buys ? "buy" : "sell"},
                      {"qty", core::Amount::units(o.qty_raw).str(ud)},
                      {"escrow", core::Amount::units(o.escrow_raw).str(o.buys ? qd : ud)},
                      {"expires_at_us", o.expires_at.count_us()}});
  }
  return {{"orders", std::move(orders)},
          {"posted", posted_},
          {"crosses", crosses_},
          {"crossed", core::Amount::units(crossed_raw_).str(ud)},
          {"expired", expired_},
          {"expired_qty", core::Amount::units(expired_raw_).str(ud)},
          {"next_arrival_us", next_arrival_ ? next_arrival_->count_us() : -1}};
}

ProtocolSnapshot DarkPool::snapshot(const ShardContext& ctx) const {
  ProtocolSnapshot s;
  s.taken_at_us = ctx.now().count_us();
  return s;
}

}  // namespace shardsim::protocols::darkpool
