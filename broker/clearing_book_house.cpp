// Models the house's side of the broker's books: the clients' net delta and the house's, the
// hedges it holds at venues (entries and realised P&L exact), the house margin, and the house's
// equity: as a double estimate for risk and display, and exactly (USD WAD at prices and marks
// quantised once) for the amounts the waterfall posts from it.
#include <algorithm>
#include <cmath>

#include "broker/clearing_book.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {

std::vector<double> ClearingBook::client_delta() const {
  std::vector<double> d;
  client_delta(d);
  return d;
}

std::vector<double> ClearingBook::house_delta() const {
  std::vector<double> d;
  house_delta(d);
  return d;
}

void ClearingBook::client_delta(std::vector<double>& d) const {
  d.assign(decimals_.size(), 0.0);
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (net_client_wad_[i] == 0) continue;
    const protocols::InstrumentDescriptor& desc = *instruments_[i].descriptor;
    const double q = to_units(net_client_wad_[i]);
    for (std::size_t k = 0; k < desc.underlyings.size(); ++k) d[desc.underlyings[k]] += q * delta_per_unit(i, k);
  }
}

void ClearingBook::house_delta(std::vector<double>& d) const {
  client_delta(d);
  for (double& x : d) x = -x;
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    if (venues_[v].claim()) continue;  // a claim's exposure is its own instrument's, not a price's
    d[venues_[v].underlying] += to_units(hedges_[v].qty_wad + hedges_[v].inflight_wad);
  }
  // Collateral the house took over: its own holding now.
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (seized_wad_[i] == 0) continue;
    const protocols::InstrumentDescriptor& desc = *instruments_[i].descriptor;
    for (std::size_t k = 0; k < desc.underlyings.size(); ++k) d[desc.underlyings[k]] += to_units(seized_wad_[i]) * delta_per_unit(i, k);
  }
}

// The descriptor's delta, or for an instrument marked by revaluation (an LP share, whose delta
// moves with the price) a central difference at the marks, 0.01% of the price.
double ClearingBook::delta_per_unit(std::size_t instrument, std::size_t k) const {
  const protocols::InstrumentDescriptor& d = *instruments_[instrument].descriptor;
  const protocols::ProtocolSnapshot* s = instrument_snapshot(instrument);
  const protocols::AssetId u = d.underlyings[k];
  if (!d.mark_by_revalue || s == nullptr || !(price(u) > 0)) return d.deltas_per_unit[k];
  protocols::PriceVector moved = prices_;
  const double h = price(u) * 1e-4;
  moved[u] = price(u) + h;
  const double up = d.revalue(1.0, *s, moved);
  moved[u] = price(u) - h;
  return (up - d.revalue(1.0, *s, moved)) / (2 * h);
}

void ClearingBook::hedge_sent(std::size_t venue, i128 qty_wad) { hedges_[venue].inflight_wad += qty_wad; }

void ClearingBook::hedge_settled(std::size_t venue, i128 sent_wad, std::optional<double> fill, std::optional<i128> filled_wad) {
  hedge_settled_exact(venue, sent_wad, fill ? std::optional<i128>(quantise_price(*fill)) : std::nullopt, filled_wad);
}

void ClearingBook::hedge_settled_exact(std::size_t venue, i128 sent_wad, std::optional<i128> fill_wad,
                                       std::optional<i128> filled_wad) {
  // The venue is the other side: the house's own P&L rounds up (exact_money.hpp).
  constexpr Toward kHousePnl = Toward::ceil;
  HedgeHolding& h = hedges_[venue];
  h.inflight_wad -= sent_wad;
  const i128 qty_wad = filled_wad.value_or(sent_wad);
  if (!fill_wad || qty_wad == 0) return;
  const i128 before = h.qty_wad;
  const i128 after = before + qty_wad;
  if (before == 0 || (before > 0) == (qty_wad > 0)) {
    h.entry_wad = average_entry_wad(h.entry_wad, abs_wad(before), *fill_wad, abs_wad(qty_wad),
                                    entry_rounding(after > 0, kHousePnl));
  } else {
    const i128 closed = std::min(abs_wad(before), abs_wad(qty_wad));
    hedge_realised_wad_ += realised_usd_wad(before > 0 ? closed : -closed, *fill_wad, h.entry_wad, kHousePnl);
    if (after != 0 && (after > 0) != (before > 0)) h.entry_wad = *fill_wad;
  }
  h.entry = protocols::wad_to_double(h.entry_wad);
  h.qty_wad = after;
}

const MarginResult& ClearingBook::house_margin() const {
  work_legs_.clear();
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (net_client_wad_[i] != 0) {
      work_legs_.push_back(ClientPosition{.instrument = i, .qty_wad = net_client_wad_[i], .qty = to_units(net_client_wad_[i])});
    }
  }
  std::vector<Position>& positions = work_positions_;
  margin_positions(work_legs_, -1.0, positions);
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    const HedgeHolding& h = hedges_[v];
    if (h.qty_wad == 0 && h.inflight_wad == 0) continue;
    Position x;
    x.instrument = instruments_[venue_instrument_[v]].descriptor;
    x.quantity = to_units(h.qty_wad + h.inflight_wad);
    x.snapshot = instrument_snapshot(venue_instrument_[v]);
    x.unhedged_quantity = std::abs(to_units(h.inflight_wad));
    x.expected_settlement = venues_[v].expected_latency + venues_[v].expected_latency;
    positions.push_back(x);
  }
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (seized_wad_[i] == 0) continue;
    Position x;
    x.instrument = instruments_[i].descriptor;
    x.quantity = to_units(seized_wad_[i]);
    x.snapshot = instrument_snapshot(i);
    positions.push_back(x);
  }
  portfolio_margin(positions, prices_, config_.margin, scratch_, house_margin_);
  return house_margin_;
}

double ClearingBook::house_unrealised() const {
  double u = hedge_realised();
  for (const Client& cl : clients_) {
    for (const ClientPosition& p : cl.positions) {
      if (!p.pledged) u -= unrealised(p);  // the house holds a pledge for its client: not short it
    }
  }
  // Collateral taken over was paid for at the mark (the trading book): it is worth its mark now.
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    const double m = seized_wad_[i] != 0 ? mark(i) : 0.0;
    if (std::isfinite(m)) u += to_units(seized_wad_[i]) * m;
  }
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    const double m = mark(venue_instrument_[v]);
    if (std::isfinite(m)) u += to_units(hedges_[v].qty_wad) * (m - hedges_[v].entry);
  }
  return u;
}

// The same equity as capital_value + realised_value + house_unrealised, exactly: every claim at
// its asset's price and every position at its instrument's mark, each quantised once to a WAD,
// each term rounded toward `t` (an instrument with no mark yet counts 0, as in the estimate).
i128 ClearingBook::house_equity_wad(Toward t) const {
  const Toward against = t == Toward::floor ? Toward::ceil : Toward::floor;
  const auto claim_usd = [&](Book book, protocols::AssetId a) {
    const core::Amount c = ledger_.claim(key(book, 0, a));
    if (c.is_zero()) return i128{0};
    const i128 p = price_wad(a) > 0 ? price_wad(a) : (a == quote_ ? protocols::kWadUnit : 0);
    return units_to_usd_wad(c, decimals_[a], p, t);
  };
  const auto mark_wad = [&](std::size_t i) -> std::optional<i128> {
    const double m = mark(i);
    if (!std::isfinite(m)) return std::nullopt;
    return quantise_price(m);
  };
  i128 e = hedge_realised_wad_ + claim_usd(Book::fees, quote_) + claim_usd(Book::trading, quote_);
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) e += claim_usd(Book::capital, a);
  for (const Client& cl : clients_) {
    for (const ClientPosition& p : cl.positions) {
      if (p.pledged) continue;
      if (const auto m = mark_wad(p.instrument)) e -= usd_wad_of(p.qty_wad, *m - p.entry_mark_wad, against);
    }
  }
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (seized_wad_[i] == 0) continue;
    if (const auto m = mark_wad(i)) e += usd_wad_of(seized_wad_[i], *m, t);
  }
  for (std::size_t v = 0; v < venues_.size(); ++v) {
    if (const auto m = mark_wad(venue_instrument_[v])) e += usd_wad_of(hedges_[v].qty_wad, *m - hedges_[v].entry_wad, t);
  }
  return e;
}

double ClearingBook::capital_value() const {
  double v = 0;
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) v += value(a, ledger_.claim(key(Book::capital, 0, a)));
  return v;
}

double ClearingBook::realised_value() const {
  return value(quote_, ledger_.claim(key(Book::fees, 0, quote_))) + value(quote_, ledger_.claim(key(Book::trading, 0, quote_)));
}

double ClearingBook::default_fund_value() const {
  double v = 0;
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) v += value(a, ledger_.claim(key(Book::default_fund, 0, a)));
  return v;
}

double ClearingBook::fees_earned() const { return value(quote_, ledger_.claim(key(Book::fees, 0, quote_))); }

}  // namespace shardsim::broker
