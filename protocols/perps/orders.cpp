// Perps trading: resting limit orders (place_order, cancel_order) kept in price-time priority per
// market, and `trade`, which first takes resting orders on the opposite side at their price (best
// price, then oldest) and executes any remainder against the house at mark +/- spread, or in a
// market with finite depth at the price of its virtual AMM (depth.cpp), spread on top.
#include <algorithm>
#include <map>

#include "protocols/perps/perps.hpp"
#include "protocols/perps/trade_rules.hpp"

namespace shardsim::protocols::perps {
namespace {

using detail::increases;
using detail::wad_arg;

bool before_in_book(const RestingOrder& a, const RestingOrder& b) {
  return a.price_wad != b.price_wad ? a.price_wad < b.price_wad : a.id < b.id;
}

// The market named by arg `market`, or a revert reason.
std::optional<std::size_t> market_arg(const Perps& p, const OpArgs& args, std::string& why) {
  const auto market = args.text("market");
  if (!market) {
    why = "missing arg market";
    return std::nullopt;
  }
  const auto m = p.market_index(*market);
  if (!m) why = "unknown market " + std::string(*market);
  return m;
}

i128 add_checked(i128 a, i128 b) {
  i128 out = 0;
  if (__builtin_add_overflow(a, b, &out)) throw ArithmeticError("position size overflow");
  return out;
}

}  // namespace

std::optional<i128> Perps::best_bid(std::size_t m) const {
  std::optional<i128> best;
  for (const RestingOrder& o : books_[m].orders) {
    if (o.size_wad > 0 && (!best || o.price_wad > *best)) best = o.price_wad;
  }
  return best;
}

std::optional<i128> Perps::best_ask(std::size_t m) const {
  for (const RestingOrder& o : books_[m].orders) {
    if (o.size_wad < 0) return o.price_wad;  // sorted by price: the first ask is the best
  }
  return std::nullopt;
}

std::optional<i128> Perps::perp_mid(const ShardContext& ctx, std::size_t m) const {
  const auto bid = best_bid(m);
  const auto ask = best_ask(m);
  if (bid && ask) return *bid / 2 + *ask / 2 + (*bid % 2 + *ask % 2) / 2;  // floor, without overflow
  if (const auto vamm = vamm_now(ctx, m)) return vamm_price_wad(*vamm);
  if (books_[m].last_trade_price) return books_[m].last_trade_price;
  const auto index = ctx.oracle_price_wad(config_.markets[m].index);
  if (!index || *index <= 0) return std::nullopt;
  return index;
}

std::optional<i128> Perps::premium_wad(const ShardContext& ctx, std::size_t m) const {
  const auto index = ctx.oracle_price_wad(config_.markets[m].index);
  if (!index || *index <= 0) return std::nullopt;
  // Clamped to +/-100% (mid in [0, 2 * index]): a guard against absurd order prices.
  const i128 mid = std::clamp(*perp_mid(ctx, m), i128{0}, *index * 2);
  return mul_div(mid - *index, kWadUnit, *index, Round::down);
}

OpResult Perps::place_order(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto m = market_arg(*this, args, why);
  if (!m) return OpResult::revert(why);
  const auto size = wad_arg(args, "size", why);
  if (!size) return OpResult::revert(why);
  if (*size == 0) return OpResult::revert("size must not be zero");
  const auto price = wad_arg(args, "price", why);
  if (!price) return OpResult::revert(why);
  if (*price <= 0) return OpResult::revert("price must be positive");

  // Margin as if the whole order filled now at its price (opening or increasing orders only,
  // the same rule as a trade).
  const auto it = accounts_.find(sender);
  const PerpsAccount empty{};
  const PerpsAccount& acct = it == accounts_.end() ? empty : it->second;
  const i128 before = acct.size_wad.empty() ? 0 : acct.size_wad[*m];
  const i128 after = add_checked(before, *size);
  if (increases(before, after)) {
    const i128 cash = trade_cash_delta(*size, *price, scale_);
    const MarginResult r = margin_of(ctx, acct.q.raw() + cash, acct.size_wad, *m, after);
    if (r.missing_price) return OpResult::revert(no_price(ctx, *r.missing_price));
    if (r.totals.equity < r.totals.imr) return OpResult::revert("insufficient margin");
  }
  account_of(sender);
  std::vector<RestingOrder>& book = books_[*m].orders;
  const RestingOrder order{next_order_id_++, sender, *size, *price};
  book.insert(std::upper_bound(book.begin(), book.end(), order, before_in_book), order);
  return OpResult::success();
}

OpResult Perps::cancel_order(ShardContext&, AccountId sender, const OpArgs& args) {
  const auto text = args.text("id");
  if (!text) return OpResult::revert("missing arg id");
  std::uint64_t id = 0;
  if (text->empty() || text->size() > 19) return OpResult::revert("malformed arg id");
  for (const char c : *text) {
    if (c < '0' || c > '9') return OpResult::revert("malformed arg id");
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
  }
  for (MarketBook& b : books_) {
    const auto it = std::find_if(b.orders.begin(), b.orders.end(), [&](const RestingOrder& o) { return o.id == id; });
    if (it == b.orders.end()) continue;
    if (it->account != sender) return OpResult::revert("not the order's owner");
    b.orders.erase(it);
    return OpResult::success();
  }
  return OpResult::revert("unknown order " + std::string(*text));
}

void Perps::cancel_orders_of(AccountId a) {
  for (MarketBook& b : books_) {
    std::erase_if(b.orders, [&](const RestingOrder& o) { return o.account == a; });
  }
}

// Plans the taker's fills against resting orders: the other side, within the limit, not the
// taker's own, best price then oldest; a maker that could no longer afford its order is dropped.
Perps::TradePlan Perps::plan_book_fills(const ShardContext& ctx, AccountId sender, std::size_t m, i128 size,
                                        std::optional<i128> limit) const {
  const bool buy = size > 0;
  const std::vector<RestingOrder>& book = books_[m].orders;
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const RestingOrder& o = book[i];
    if (o.account == sender || (o.size_wad > 0) == buy) continue;
    if (limit && (buy ? o.price_wad > *limit : o.price_wad < *limit)) continue;
    candidates.push_back(i);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
    const RestingOrder& x = book[a];
    const RestingOrder& y = book[b];
    if (x.price_wad != y.price_wad) return buy ? x.price_wad < y.price_wad : x.price_wad > y.price_wad;
    return x.id < y.id;
  });
  struct Maker {
    i128 q;
    i128 size;  // in market m
  };
  std::map<AccountId, Maker> makers;
  TradePlan plan;
  plan.remaining = size;
  for (const std::size_t i : candidates) {
    if (plan.remaining == 0) break;
    const RestingOrder& o = book[i];
    const i128 available = -o.size_wad;  // taker-signed
    const i128 fill = buy ? std::min(plan.remaining, available) : std::max(plan.remaining, available);
    const PerpsAccount& macct = accounts_.at(o.account);
    auto mit = makers.find(o.account);
    Maker st = mit == makers.end() ? Maker{macct.q.raw(), macct.size_wad[m]} : mit->second;
    const i128 maker_after = add_checked(st.size, -fill);
    const i128 maker_cash = trade_cash_delta(-fill, o.price_wad, scale_);
    if (increases(st.size, maker_after)) {
      const MarginResult r = margin_of(ctx, st.q + maker_cash, macct.size_wad, m, maker_after);
      if (r.missing_price || r.totals.equity < r.totals.imr) {
        plan.dropped.push_back(o.id);
        continue;
      }
    }
    st.q += maker_cash;
    st.size = maker_after;
    makers[o.account] = st;
    const i128 cash = trade_cash_delta(fill, o.price_wad, scale_);
    plan.taker_cash += cash;
    plan.fills.push_back(BookFill{o.id, o.account, fill, o.price_wad, cash, maker_cash});
    plan.remaining -= fill;
  }
  return plan;
}

void Perps::commit_book_fills(std::size_t m, const TradePlan& plan) {
  std::vector<RestingOrder>& book = books_[m].orders;
  for (const BookFill& f : plan.fills) {
    PerpsAccount& maker = account_of(f.maker);
    maker.q += core::Amount::units(f.maker_cash);
    set_size(maker, m, maker.size_wad[m] - f.size);
    house_q_ -= core::Amount::units(f.taker_cash + f.maker_cash);  // rounding dust (>= 0) to the house
    const auto o = std::find_if(book.begin(), book.end(), [&](const RestingOrder& r) { return r.id == f.id; });
    o->size_wad += f.size;
    if (o->size_wad == 0) book.erase(o);
  }
  for (const std::uint64_t id : plan.dropped) {
    std::erase_if(book, [&](const RestingOrder& r) { return r.id == id; });
  }
}

// A market order: filled against the book first, the rest by the house at mark +/- spread. Every
// fill is planned before anything changes, so a revert leaves the protocol untouched.
OpResult Perps::trade(ShardContext& ctx, AccountId sender, const OpArgs& args) {
  std::string why;
  const auto m = market_arg(*this, args, why);
  if (!m) return OpResult::revert(why);
  const auto size = wad_arg(args, "size", why);
  if (!size) return OpResult::revert(why);
  if (*size == 0) return OpResult::revert("size must not be zero");
  std::optional<i128> limit;
  if (args.text("limit_price")) {
    limit = wad_arg(args, "limit_price", why);
    if (!limit) return OpResult::revert(why);
  }
  const MarketConfig& mk = config_.markets[*m];
  const auto mark = ctx.oracle_price_wad(mk.index);
  if (!mark || *mark <= 0) return OpResult::revert(no_price(ctx, mk.index));
  const bool buy = *size > 0;
  const TradePlan plan = plan_book_fills(ctx, sender, *m, *size, limit);
  const i128 remaining = plan.remaining;
  i128 taker_cash = plan.taker_cash;
  i128 house_cash = 0;
  i128 house_price = 0;  // the price the remainder leaves: the house's, or the vAMM's after it
  std::optional<VammTrade> vamm;
  if (remaining != 0 && mk.vamm_depth_wad > 0) {
    vamm = vamm_trade(*vamm_now(ctx, *m), remaining);  // the mark is there, so is the vAMM
    if (!vamm) return OpResult::revert("size beyond the vAMM's depth");
    house_cash = vamm_cash_units(vamm->quote_delta_wad, config_.spread_wad, decimals_);
    house_price = vamm_price_wad(vamm->after);
    if (limit) {
      const i128 paid = vamm_avg_price_wad(house_cash, remaining, decimals_);
      if (buy ? paid > *limit : paid < *limit) return OpResult::revert("price beyond limit");
    }
    taker_cash += house_cash;
  } else if (remaining != 0) {
    house_price = execution_price(*mark, config_.spread_wad, buy);
    if (limit && (buy ? house_price > *limit : house_price < *limit)) return OpResult::revert("price beyond limit");
    house_cash = trade_cash_delta(remaining, house_price, scale_);
    taker_cash += house_cash;
  }
  const auto it = accounts_.find(sender);
  const PerpsAccount empty{};
  const PerpsAccount& acct = it == accounts_.end() ? empty : it->second;
  const i128 before = acct.size_wad.empty() ? 0 : acct.size_wad[*m];
  const i128 after = add_checked(before, *size);
  if (increases(before, after)) {
    const MarginResult r = margin_of(ctx, acct.q.raw() + taker_cash, acct.size_wad, *m, after);
    if (r.missing_price) return OpResult::revert(no_price(ctx, *r.missing_price));
    if (r.totals.equity < r.totals.imr) return OpResult::revert("insufficient margin");
  }

  commit_book_fills(*m, plan);
  PerpsAccount& target = account_of(sender);
  target.q += core::Amount::units(taker_cash);
  set_size(target, *m, after);
  house_q_ -= core::Amount::units(house_cash);
  books_[*m].last_trade_price = remaining != 0 ? house_price : plan.fills.back().price;
  if (vamm) {
    repeg_if_due(ctx, *m);
    books_[*m].vamm = vamm->after;
  }
  // What the taker learns: the size filled, its average fill price and the mark it traded against
  // (WAD); a vAMM fill also its base and quote moves (exact), its average rounded against the taker.
  const i128 magnitude = *size < 0 ? -*size : *size;
  i128 notional = 0;
  for (const BookFill& f : plan.fills) notional += wad_mul(f.size < 0 ? -f.size : f.size, f.price);
  if (!vamm) {
    notional += wad_mul(remaining < 0 ? -remaining : remaining, house_price);
    return OpResult::success({TxOutput{"size", *size, 18}, TxOutput{"avg_price", wad_div(notional, magnitude), 18},
                              TxOutput{"mark", *mark, 18}});
  }
  notional += (house_cash < 0 ? -house_cash : house_cash) * pow10(18 - decimals_);
  const i128 avg = mul_div(notional, kWadUnit, magnitude, buy ? Round::up : Round::down);  // as vamm_avg_price_wad
  return OpResult::success({TxOutput{"size", *size, 18}, TxOutput{"avg_price", avg, 18}, TxOutput{"mark", *mark, 18},
                            TxOutput{"vamm_size", remaining, 18}, TxOutput{"vamm_quote", vamm->quote_delta_wad, 18}});
}

}  // namespace shardsim::protocols::perps
