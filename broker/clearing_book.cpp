// The broker's books: collateral, positions, the pre-trade check, crossing and client risk (the
// default waterfall is in clearing_book_default.cpp, the house in clearing_book_house.cpp). Money
// moves only through the ledger, in exact quote units computed with integer arithmetic from
// prices quantised once to a WAD and rounded in the house's favour
// (exact_money.hpp); marks and risk are doubles (DESIGN §4 allows floating point in risk models).
#include "broker/clearing_book.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "broker/waterfall.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {
ClearingBook::ClearingBook(const BrokerConfig& config, std::vector<Instrument> instruments, std::vector<Venue> venues,
                           protocols::AssetId quote, std::vector<int> decimals)
    : config_(config),
      instruments_(std::move(instruments)),
      venues_(std::move(venues)),
      quote_(quote),
      decimals_(std::move(decimals)),
      prices_(decimals_.size(), 0.0),
      price_dependents_(decimals_.size()),
      settle_time_(decimals_.size()),
      unhedged_fraction_(decimals_.size(), 0.0),
      hedges_(venues_.size()),
      net_client_wad_(instruments_.size(), 0),
      seized_wad_(instruments_.size(), 0),
      instrument_changed_at_(instruments_.size(), 0),
      settlement_changed_at_(decimals_.size(), 0) {
  for (const Venue& v : venues_) {
    const auto i = instrument_index(v.instrument);
    SHARDSIM_ASSERT_MSG(i.has_value(), "a hedge venue must be one of the broker's instruments");
    venue_instrument_.push_back(*i);
  }
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    const protocols::InstrumentDescriptor& d = *instruments_[i].descriptor;
    const std::size_t f = feed_index(d.protocol);
    feed_of_.push_back(f);
    feeds_[f].instruments.push_back(i);
    for (const protocols::AssetId u : d.underlyings) {
      SHARDSIM_ASSERT_MSG(u < decimals_.size(), "an instrument's underlying must be an asset of the book");
      std::vector<std::size_t>& deps = price_dependents_[u];
      if (deps.empty() || deps.back() != i) deps.push_back(i);
    }
  }
}

std::size_t ClearingBook::add_client(std::string name) {
  clients_.push_back(Client{std::move(name), {}, {}});
  client_changed_at_.push_back(++epoch_);
  money_changed_at_.push_back(epoch_);
  collateral_.push_back(0.0);
  collateral_epoch_.push_back(0);
  margin_cache_.emplace_back();
  return clients_.size() - 1;
}

std::size_t ClearingBook::feed_index(std::string_view protocol) {
  for (std::size_t f = 0; f < feeds_.size(); ++f) {
    if (feeds_[f].protocol == protocol) return f;
  }
  feeds_.push_back(Feed{std::string(protocol), {}, false, false, {}});
  return feeds_.size() - 1;
}

std::optional<std::size_t> ClearingBook::instrument_index(std::string_view id) const {
  for (std::size_t i = 0; i < instruments_.size(); ++i) {
    if (instruments_[i].descriptor->id == id) return i;
  }
  return std::nullopt;
}

void ClearingBook::set_price(protocols::AssetId asset, double usd) {
  if (asset >= prices_.size() || std::bit_cast<std::uint64_t>(prices_[asset]) == std::bit_cast<std::uint64_t>(usd)) return;
  prices_[asset] = usd;
  prices_changed_at_ = ++epoch_;
  for (const std::size_t i : price_dependents_[asset]) instrument_changed(i);
}

void ClearingBook::post(BrokerLedger::Key from, BrokerLedger::Key to, core::Amount amount, std::string_view memo) {
  ledger_.move(from, to, amount, memo);
  for (const BrokerLedger::Key& k : {from, to}) {
    if (k.book == Book::client && k.owner < money_changed_at_.size()) money_changed_at_[k.owner] = ++epoch_;
  }
}

double ClearingBook::mark(std::size_t instrument) const {
  if (marks_epoch_ < prices_changed_at_ || marks_.size() != instruments_.size()) {
    marks_.resize(instruments_.size());
    for (std::size_t i = 0; i < instruments_.size(); ++i) marks_[i] = mark_at_prices(i);
    marks_epoch_ = epoch_;
  }
  return marks_[instrument];
}

double ClearingBook::mark_at_prices(std::size_t instrument) const {
  if (const auto a = instruments_[instrument].mark_asset; a && price(*a) > 0) return price(*a);
  const protocols::InstrumentDescriptor& d = *instruments_[instrument].descriptor;
  if (d.mark_by_revalue) {
    // Non-linear: one unit revalued at the marks, once its snapshot shows every value it reads.
    const protocols::ProtocolSnapshot* s = instrument_snapshot(instrument);
    if (s == nullptr) return std::nan("");
    for (const std::string& k : d.snapshot_keys.value_or(std::vector<std::string>{})) {
      if (!s->get(k)) return std::nan("");
    }
    for (const protocols::AssetId u : d.underlyings) {
      if (price(u) <= 0) return std::nan("");
    }
    return d.revalue(1.0, *s, prices_);
  }
  double m = 0;
  for (std::size_t k = 0; k < d.underlyings.size(); ++k) {
    const double p = price(d.underlyings[k]);
    if (p <= 0) return std::nan("");
    m += d.deltas_per_unit[k] * p;
  }
  return m;
}

void ClearingBook::update_snapshot(std::string_view protocol, std::int64_t taken_at_us,
                                   std::vector<std::pair<std::string, double>> values) {
  Feed& f = feeds_[feed_index(protocol)];
  f.received = true;
  f.snapshot.taken_at_us = taken_at_us;  // revaluation reads only the values
  if (f.linked) stamp_snapshot_change(f, f.snapshot.values, values);
  f.snapshot.values = std::move(values);
}

// Stamps each instrument of `f` that reads a value that differs between the two snapshots (bit
// for bit: -0 and +0 differ), or every one when the keys differ or an instrument's are unknown.
void ClearingBook::stamp_snapshot_change(const Feed& f, const SnapshotValues& before, const SnapshotValues& after) {
  const auto same_bits = [](double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); };
  bool same_keys = before.size() == after.size();
  bool any_value = false;
  for (std::size_t k = 0; k < before.size() && same_keys; ++k) {
    same_keys = before[k].first == after[k].first;
    any_value = any_value || !same_bits(before[k].second, after[k].second);
  }
  if (same_keys && !any_value) return;
  for (const std::size_t i : f.instruments) {
    const auto& reads = instruments_[i].descriptor->snapshot_keys;
    bool changed = !same_keys || !reads;
    for (std::size_t r = 0; !changed && r < reads->size(); ++r) {
      for (std::size_t k = 0; k < before.size(); ++k) {
        if (before[k].first != (*reads)[r]) continue;
        changed = !same_bits(before[k].second, after[k].second);
        break;
      }
    }
    if (changed) instrument_changed(i);
  }
}

void ClearingBook::instrument_changed(std::size_t instrument) {
  instrument_changed_at_[instrument] = ++epoch_;
  // A mark read from the snapshot moved: the cached marks (and collateral values) are stale.
  if (instruments_[instrument].descriptor->mark_by_revalue) prices_changed_at_ = epoch_;
}

bool ClearingBook::claim_open(std::size_t instrument) const {
  const auto& claim = instruments_[instrument].descriptor->outcome;
  const protocols::ProtocolSnapshot* s = instrument_snapshot(instrument);
  return claim && s != nullptr && s->get(claim->open_key).value_or(0.0) > 0;
}

i128 ClearingBook::net_client_wad(std::size_t instrument) const { return net_client_wad_[instrument]; }

void ClearingBook::link_snapshots() {
  for (Feed& f : feeds_) {
    if (!f.received || f.linked) continue;
    f.linked = true;
    for (const std::size_t i : f.instruments) instrument_changed(i);
  }
}

const protocols::ProtocolSnapshot* ClearingBook::snapshot(std::string_view protocol) const {
  for (const Feed& f : feeds_) {
    if (f.protocol == protocol) return f.received ? &f.snapshot : nullptr;
  }
  return nullptr;
}

const protocols::ProtocolSnapshot* ClearingBook::instrument_snapshot(std::size_t instrument) const {
  const Feed& f = feeds_[feed_of_[instrument]];
  return f.linked ? &f.snapshot : nullptr;
}

void ClearingBook::set_settlement(protocols::AssetId underlying, core::Duration expected, double unhedged_fraction) {
  if (settle_time_[underlying] == expected && unhedged_fraction_[underlying] == unhedged_fraction) return;
  settle_time_[underlying] = expected;
  unhedged_fraction_[underlying] = unhedged_fraction;
  settlement_changed_at_[underlying] = ++epoch_;
}

i128 ClearingBook::price_wad(protocols::AssetId asset) const {
  const double p = price(asset);
  return p > 0 && std::isfinite(p) ? quantise_price(p) : 0;
}

core::Amount ClearingBook::usd_wad_to_quote(i128 usd_wad, Toward t) const {
  const i128 p = price_wad(quote_);
  return usd_wad_to_units(usd_wad, decimals_[quote_], p > 0 ? p : protocols::kWadUnit, t);
}

double ClearingBook::quote_to_usd(core::Amount amount) const { return value(quote_, amount); }

double ClearingBook::value(protocols::AssetId asset, core::Amount amount) const {
  const double p = price(asset) > 0 ? price(asset) : (asset == quote_ ? 1.0 : 0.0);
  return amount.to_double(decimals_[asset]) * p;
}

// ---- money ----------------------------------------------------------------------------------

void ClearingBook::open_capital(const std::vector<AssetAmount>& capital, const std::vector<AssetAmount>& fund) {
  for (const AssetAmount& a : capital) post(key(Book::capital, 0, a.asset), key(Book::custody, 0, a.asset), a.amount, "capital");
  for (const AssetAmount& a : fund) {
    post(key(Book::default_fund, 0, a.asset), key(Book::custody, 0, a.asset), a.amount, "default fund");
  }
}

void ClearingBook::deposit(std::size_t client, protocols::AssetId asset, core::Amount amount) {
  const auto c = static_cast<std::uint32_t>(client);
  post(key(Book::client, c, asset), key(Book::custody, 0, asset), amount, "deposit");
  if (asset != quote_ || config_.client_contribution_wad <= 0 || amount <= core::Amount{}) return;
  // The client's share set aside into the default fund (rounded down: the client keeps the rest).
  const core::Amount share = core::Amount::units(
      protocols::mul_div(amount.raw(), config_.client_contribution_wad, protocols::kWadUnit, protocols::Round::down));
  post(key(Book::client_fund, c, asset), key(Book::client, c, asset), share, "default-fund contribution");
}

std::optional<std::string> ClearingBook::reserve_withdrawal(std::size_t client, protocols::AssetId asset,
                                                            core::Amount amount) {
  const auto c = static_cast<std::uint32_t>(client);
  if (ledger_.claim(key(Book::client, c, asset)) < amount) return "withdrawal above the client's balance";
  if (ledger_.balance(key(Book::custody, 0, asset)) < amount) return "broker custody short of the asset";
  if (!clients_[client].positions.empty() && equity(client) - value(asset, amount) < margin(client).initial) {
    return "withdrawal would leave equity below initial margin";
  }
  post(key(Book::in_transit, c, asset), key(Book::client, c, asset), amount, "withdrawal reserved");
  return std::nullopt;
}

void ClearingBook::release_withdrawal(std::size_t client, protocols::AssetId asset, core::Amount amount) {
  const auto c = static_cast<std::uint32_t>(client);
  post(key(Book::client, c, asset), key(Book::in_transit, c, asset), amount, "withdrawal released");
}

void ClearingBook::complete_withdrawal(std::size_t client, protocols::AssetId asset, core::Amount amount) {
  const auto c = static_cast<std::uint32_t>(client);
  post(key(Book::custody, 0, asset), key(Book::in_transit, c, asset), amount, "withdrawal sent");
}

void ClearingBook::send_to_venue(std::size_t venue, core::Amount amount) {
  post(key(Book::custody, 0, quote_), key(Book::venue, static_cast<std::uint32_t>(venue), quote_), amount,
               "venue margin");
}

// ---- orders ---------------------------------------------------------------------------------

ClientPosition* ClearingBook::find(std::size_t client, std::size_t instrument) {
  for (ClientPosition& p : clients_[client].positions) {
    if (p.instrument == instrument && !p.pledged) return &p;
  }
  return nullptr;
}

OrderOutcome ClearingBook::order(std::size_t client, std::size_t instrument, i128 qty_wad, std::optional<double> limit) {
  OrderOutcome out;
  Client& cl = clients_[client];
  ++cl.stats.orders;
  auto reject = [&](std::string why) {
    ++cl.stats.rejected;
    out.reason = std::move(why);
    return out;
  };
  if (qty_wad == 0) return reject("zero quantity");
  const protocols::InstrumentDescriptor& desc = *instruments_[instrument].descriptor;
  if (!desc.cleared()) return reject("instrument not cleared (no delta)");
  const double m = mark(instrument);
  if (!std::isfinite(m)) return reject("no mark for the instrument on the broker's home shard");
  if (desc.outcome && !claim_open(instrument)) return reject("market closed for trading");
  if (limit && (qty_wad > 0 ? m > *limit : m < *limit)) return reject("mark beyond limit");
  const ClientPosition* held = find(client, instrument);
  const i128 before = held ? held->qty_wad : 0;
  const i128 after = before + qty_wad;
  if (config_.limits.position_notional_max && abs_wad(after) > abs_wad(before)) {
    const AssetAmount& cap = *config_.limits.position_notional_max;
    if (std::abs(to_units(after)) * std::abs(m) > value(cap.asset, cap.amount)) return reject("position limit");
  }
  const double qty = to_units(qty_wad);
  const i128 m_wad = quantise_price(m);  // the fill's mark, once: everything it pays derives from it
  const core::Amount fee = order_fee(qty_wad, m_wad);
  // Pre-trade check: the portfolio with the order included must be covered by equity after fee.
  work_legs_ = cl.positions;
  bool merged = false;
  for (ClientPosition& p : work_legs_) {
    if (p.instrument == instrument && !p.pledged) {
      p.qty_wad = after;
      p.qty = to_units(after);
      merged = true;
    }
  }
  if (!merged) work_legs_.push_back(ClientPosition{instrument, qty_wad, m_wad, m, to_units(qty_wad)});
  margin_positions(work_legs_, 1.0, work_positions_);
  portfolio_margin(work_positions_, prices_, config_.margin, scratch_, trial_margin_);
  const double initial_after = trial_margin_.initial;
  // The portfolio before the order is priced only when equity does not cover the one after it.
  if (equity(client) - quote_to_usd(fee) < initial_after &&
      initial_after > (cl.positions.empty() ? 0.0 : margin(client).initial)) {
    return reject("insufficient margin");
  }
  const double net_before = std::abs(to_units(net_client_wad_[instrument]));
  book_fill(client, instrument, qty_wad, m_wad);
  const double net_after = std::abs(to_units(net_client_wad_[instrument]));
  out.crossed = std::max(0.0, (std::abs(qty) + net_before - net_after) / 2);
  crossed_units_ += out.crossed;
  post(key(Book::fees, 0, quote_), key(Book::client, static_cast<std::uint32_t>(client), quote_), fee, "order fee");
  out.filled = true;
  out.mark = m;
  out.mark_wad = m_wad;
  out.fee = fee;
  return out;
}

std::optional<std::string> ClearingBook::pledge(std::size_t client, std::size_t instrument, i128 qty_wad) {
  if (qty_wad <= 0) return "pledge of a quantity not above 0";
  if (!instruments_[instrument].descriptor->collateral) return "instrument not accepted as collateral";
  if (!std::isfinite(mark(instrument))) return "no mark for the instrument on the broker's home shard";
  Client& cl = clients_[client];
  auto it = std::find_if(cl.positions.begin(), cl.positions.end(),
                         [&](const ClientPosition& p) { return p.pledged && p.instrument == instrument; });
  if (it == cl.positions.end()) {
    cl.positions.push_back(ClientPosition{instrument, 0, 0, 0.0, 0.0, true});
    it = cl.positions.end() - 1;
  }
  it->qty_wad += qty_wad;
  it->qty = to_units(it->qty_wad);
  client_changed_at_[client] = ++epoch_;
  return std::nullopt;
}

i128 ClearingBook::pledged_wad(std::size_t instrument) const {
  i128 total = seized_wad_[instrument];
  for (const Client& cl : clients_) {
    for (const ClientPosition& p : cl.positions) {
      if (p.pledged && p.instrument == instrument) total += p.qty_wad;
    }
  }
  return total;
}

// rate x |qty| x |mark|, each step rounded up: the client pays it.
core::Amount ClearingBook::order_fee(i128 qty_wad, i128 mark_wad) const {
  const i128 notional_wad = usd_wad_of(abs_wad(qty_wad), abs_wad(mark_wad), kFromClient);
  return usd_wad_to_quote(rate_of(config_.order_fee_wad, notional_wad, kFromClient), kFromClient);
}

void ClearingBook::book_fill(std::size_t client, std::size_t instrument, i128 qty_wad, i128 mark_wad) {
  net_client_wad_[instrument] += qty_wad;
  client_changed_at_[client] = ++epoch_;
  Client& cl = clients_[client];
  ClientPosition* p = find(client, instrument);
  const double mark = protocols::wad_to_double(mark_wad);
  if (p == nullptr) {
    cl.positions.push_back(ClientPosition{instrument, qty_wad, mark_wad, mark, to_units(qty_wad)});
    return;
  }
  const i128 before = p->qty_wad;
  const i128 after = before + qty_wad;
  if ((before > 0) == (qty_wad > 0)) {
    p->entry_mark_wad = average_entry_wad(p->entry_mark_wad, abs_wad(before), mark_wad, abs_wad(qty_wad),
                                          entry_rounding(before > 0, kToClient));
  } else {
    const i128 closed = std::min(abs_wad(before), abs_wad(qty_wad));
    const i128 pnl_wad = realised_usd_wad(before > 0 ? closed : -closed, mark_wad, p->entry_mark_wad, kToClient);
    // The house pays the client's gain (or collects its loss) in the quote asset.
    post(key(Book::client, static_cast<std::uint32_t>(client), quote_), key(Book::trading, 0, quote_),
         usd_wad_to_quote(pnl_wad, kToClient), "realised p&l");
    if (after != 0 && (after > 0) != (before > 0)) p->entry_mark_wad = mark_wad;  // flipped: the rest opens at the mark
  }
  p->entry_mark = protocols::wad_to_double(p->entry_mark_wad);
  p->qty_wad = after;
  p->qty = to_units(after);
  if (after == 0) std::erase_if(cl.positions, [&](const ClientPosition& x) { return x.qty_wad == 0; });
}

// ---- client risk ----------------------------------------------------------------------------

double ClearingBook::unrealised(const ClientPosition& p) const {
  const double m = mark(p.instrument);
  return std::isfinite(m) ? p.qty * (m - p.entry_mark) : 0.0;
}

double ClearingBook::collateral_value(std::size_t client) const {
  if (collateral_epoch_[client] >= money_changed_at_[client] && collateral_epoch_[client] >= prices_changed_at_) {
    return collateral_[client];
  }
  double e = 0;
  const auto c = static_cast<std::uint32_t>(client);
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) {
    const core::Amount claim = ledger_.claim(key(Book::client, c, a));
    if (!claim.is_zero()) e += value(a, claim);
  }
  collateral_[client] = e;
  collateral_epoch_[client] = epoch_;
  return e;
}

double ClearingBook::equity(std::size_t client) const {
  double e = collateral_value(client);
  for (const ClientPosition& p : clients_[client].positions) e += unrealised(p);
  return e;
}

protocols::AssetId ClearingBook::settlement_asset(std::size_t instrument) const {
  const auto& underlyings = instruments_[instrument].descriptor->underlyings;
  return underlyings.empty() ? 0 : underlyings[0];
}

void ClearingBook::margin_positions(const std::vector<ClientPosition>& positions, double sign,
                                    std::vector<Position>& out) const {
  out.clear();
  for (const ClientPosition& p : positions) {
    Position x;
    x.instrument = instruments_[p.instrument].descriptor;
    x.quantity = sign * p.qty;
    x.snapshot = instrument_snapshot(p.instrument);
    const protocols::AssetId u = settlement_asset(p.instrument);
    x.unhedged_quantity = p.pledged ? 0.0 : std::abs(x.quantity) * unhedged_fraction_[u];  // a pledge is no house exposure
    x.expected_settlement = settle_time_[u];
    out.push_back(x);
  }
}

const MarginResult& ClearingBook::margin(std::size_t client) const {
  MarginCache& m = margin_cache_[client];
  const std::vector<ClientPosition>& positions = clients_[client].positions;
  bool full = !m.valid || client_changed_at_[client] > m.epoch;
  bool latency = false;
  for (std::size_t j = 0; j < positions.size() && !full; ++j) {
    full = instrument_changed_at_[positions[j].instrument] > m.epoch;
    latency = latency || settlement_changed_at_[settlement_asset(positions[j].instrument)] > m.epoch;
  }
  if (full) {
    margin_positions(positions, 1.0, m.positions);
    portfolio_margin(m.positions, prices_, config_.margin, scratch_, m.result);
    m.legs = scratch_.legs;
  } else if (latency) {
    // As margin_positions sets them: only these two inputs changed.
    for (std::size_t j = 0; j < positions.size(); ++j) {
      Position& x = m.positions[j];
      const protocols::AssetId u = settlement_asset(positions[j].instrument);
      x.unhedged_quantity = positions[j].pledged ? 0.0 : std::abs(x.quantity) * unhedged_fraction_[u];
      x.expected_settlement = settle_time_[u];
    }
    refresh_latency(m.result, m.positions, m.legs, config_.margin);
  }
  m.valid = true;
  m.epoch = epoch_;
  return m.result;
}

MarginResult ClearingBook::margin_from_scratch(std::size_t client) const {
  std::vector<Position> positions;
  margin_positions(clients_[client].positions, 1.0, positions);
  return portfolio_margin(positions, prices_, config_.margin);
}

bool ClearingBook::below_maintenance(std::size_t client) const {
  if (clients_[client].positions.empty()) return false;
  return equity(client) < margin(client).maintenance;
}

}  // namespace shardsim::broker
