// Models a client's default on the broker's books: the liquidation of its positions at the marks
// and the loss waterfall behind it (the defaulter's margin and contribution, the house's capital,
// the broker's fund, the members' contributions, then socialised), and the house's own shortfall
// taken through the same layers. Amounts are exact quote units (exact_money.hpp).
#include <algorithm>

#include "broker/clearing_book.hpp"
#include "broker/waterfall.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {
DefaultOutcome ClearingBook::liquidate(std::size_t client) {
  Client& cl = clients_[client];
  const auto c = static_cast<std::uint32_t>(client);
  // The client's quote margin before anything closes: consumed whole if it defaults.
  const core::Amount margin_before = std::max(ledger_.claim(key(Book::client, c, quote_)), core::Amount{});
  i128 notional_wad = 0;
  const std::vector<ClientPosition> open = cl.positions;
  for (const ClientPosition& p : open) {
    const double m = mark(p.instrument);
    if (p.pledged) {
      // Collateral taken over at the mark, credited rounded down (the client receives it).
      const i128 m_wad = std::isfinite(m) && m > 0 ? quantise_price(m) : 0;
      post(key(Book::client, c, quote_), key(Book::trading, 0, quote_),
           usd_wad_to_quote(usd_wad_of(p.qty_wad, m_wad, kToClient), kToClient), "pledged collateral seized at the mark");
      seized_wad_[p.instrument] += p.qty_wad;
      instrument_changed(p.instrument);
      continue;
    }
    // Each mark is quantised once; a position with no mark closes at its entry (no P&L).
    const i128 m_wad = std::isfinite(m) ? quantise_price(m) : p.entry_mark_wad;
    notional_wad += usd_wad_of(abs_wad(p.qty_wad), abs_wad(m_wad), kFromClient);
    book_fill(client, p.instrument, -p.qty_wad, m_wad);
  }
  std::erase_if(cl.positions, [](const ClientPosition& x) { return x.pledged; });
  client_changed_at_[client] = ++epoch_;
  ++cl.stats.liquidations;
  // Charged in full: what the client cannot pay becomes part of its deficit (the waterfall).
  const i128 fee_wad = rate_of(config_.liquidation_fee_wad, notional_wad, kFromClient);
  post(key(Book::fees, 0, quote_), key(Book::client, c, quote_), usd_wad_to_quote(fee_wad, kFromClient),
       "liquidation fee");
  return absorb(client, margin_before);
}

std::vector<core::Amount> ClearingBook::member_funds(std::optional<std::size_t> defaulter) const {
  std::vector<core::Amount> out(clients_.size());
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    if (defaulter && i == *defaulter) continue;
    out[i] = std::max(ledger_.claim(key(Book::client_fund, static_cast<std::uint32_t>(i), quote_)), core::Amount{});
  }
  return out;
}

void ClearingBook::post_members(const std::vector<core::Amount>& taken, Book from, std::string_view memo) {
  for (std::size_t i = 0; i < taken.size(); ++i) {
    if (taken[i].is_zero()) continue;
    post(key(from, 0, quote_), key(Book::client_fund, static_cast<std::uint32_t>(i), quote_), taken[i], memo);
    waterfall_.member_contributions += taken[i];
  }
}

core::Amount ClearingBook::client_contributions_held() const {
  core::Amount sum;
  for (const core::Amount x : member_funds(std::nullopt)) sum += x;
  return sum;
}

// Spec §6: the client's collateral (every asset, taken over at the mark), then its own
// default-fund contribution, broker capital, the broker's default fund, the other clients'
// contributions pro rata, then socialised.
DefaultOutcome ClearingBook::absorb(std::size_t client, core::Amount margin_before) {
  const auto c = static_cast<std::uint32_t>(client);
  DefaultOutcome out;
  const core::Amount owed = ledger_.balance(key(Book::client, c, quote_));  // > 0: the client owes
  if (owed <= core::Amount{}) return out;
  core::Amount seized_quote;
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) {
    if (a == quote_) continue;
    const core::Amount claim = ledger_.claim(key(Book::client, c, a));
    if (claim <= core::Amount{}) continue;
    post(key(Book::capital, 0, a), key(Book::client, c, a), claim, "collateral seized");
    // Credited to the client at the mark, rounded down (the client receives it).
    const i128 seized_wad = units_to_usd_wad(claim, decimals_[a], price_wad(a), kToClient);
    const core::Amount credit = usd_wad_to_quote(seized_wad, kToClient);
    post(key(Book::client, c, quote_), key(Book::trading, 0, quote_), credit, "collateral seized at the mark");
    seized_quote += credit;
  }
  const core::Amount deficit = ledger_.balance(key(Book::client, c, quote_));
  if (deficit <= core::Amount{}) return out;
  WaterfallLayers layers;
  layers.client_fund = std::max(ledger_.claim(key(Book::client_fund, c, quote_)), core::Amount{});
  // The house's equity: its quote books plus its capital in other assets at the marks, which
  // includes the collateral just seized (paid for out of the quote trading book above).
  core::Amount house = ledger_.claim(key(Book::capital, 0, quote_)) + ledger_.claim(key(Book::fees, 0, quote_)) +
                       ledger_.claim(key(Book::trading, 0, quote_));
  // Valued down (floor): in the house's favour, its capital absorbs no more than it is worth.
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) {
    if (a == quote_) continue;
    const i128 usd_wad = units_to_usd_wad(ledger_.claim(key(Book::capital, 0, a)), decimals_[a], price_wad(a), Toward::floor);
    house += usd_wad_to_quote(usd_wad, Toward::floor);
  }
  layers.broker_capital = std::max(house, core::Amount{});
  layers.broker_fund = std::max(ledger_.claim(key(Book::default_fund, 0, quote_)), core::Amount{});
  layers.member_funds = member_funds(client);
  const WaterfallResult w = absorb_loss(deficit, layers);
  const BrokerLedger::Key debt = key(Book::bad_debt, 0, quote_);
  post(key(Book::client, c, quote_), debt, deficit, "client default");
  if (!w.from_client_fund.is_zero()) {
    post(debt, key(Book::client_fund, c, quote_), w.from_client_fund, "absorbed by the defaulter's contribution");
  }
  post(debt, key(Book::capital, 0, quote_), w.from_capital, "absorbed by capital");
  post(debt, key(Book::default_fund, 0, quote_), w.from_broker_fund, "absorbed by the default fund");
  post_members(w.from_members, Book::bad_debt, "absorbed by the members' contributions");
  post(debt, key(Book::socialised, 0, quote_), w.socialised, "socialised");
  out.deficit = deficit;
  out.from_capital = w.from_capital;
  out.from_default_fund = w.from_client_fund + w.from_broker_fund;
  for (const core::Amount m : w.from_members) out.from_default_fund += m;
  out.socialised = w.socialised;
  out.capital_exhausted = w.capital_exhausted;
  waterfall_.client_deficits += deficit;
  waterfall_.defaulter_margin += margin_before + seized_quote;
  waterfall_.defaulter_contribution += w.from_client_fund;
  waterfall_.house_capital += w.from_capital;
  waterfall_.broker_fund += w.from_broker_fund;
  waterfall_.socialised += w.socialised;
  return out;
}

// The house's loss beyond its capital: the broker's fund, the clients' contributions, socialised;
// each layer pays into capital, which brings the house's equity back to 0.
void ClearingBook::absorb_house_shortfall(core::Amount shortfall) {
  if (shortfall <= core::Amount{}) return;
  WaterfallLayers layers;
  layers.broker_fund = std::max(ledger_.claim(key(Book::default_fund, 0, quote_)), core::Amount{});
  layers.member_funds = member_funds(std::nullopt);
  const WaterfallResult w = absorb_loss(shortfall, layers);
  const BrokerLedger::Key capital = key(Book::capital, 0, quote_);
  post(capital, key(Book::default_fund, 0, quote_), w.from_broker_fund, "house shortfall: default fund");
  post_members(w.from_members, Book::capital, "house shortfall: the clients' contributions");
  post(capital, key(Book::socialised, 0, quote_), w.socialised, "house shortfall: socialised");
  waterfall_.house_shortfall += shortfall;
  waterfall_.broker_fund += w.from_broker_fund;
  waterfall_.socialised += w.socialised;
}

void ClearingBook::wipe_capital() {
  for (protocols::AssetId a = 0; a < decimals_.size(); ++a) {
    const core::Amount c = ledger_.claim(key(Book::capital, 0, a));
    if (c.is_zero()) continue;
    post(key(Book::bad_debt, 0, a), key(Book::capital, 0, a), c, "capital wiped");
    waterfall_.capital_written_off +=
        a == quote_ ? c : usd_wad_to_quote(units_to_usd_wad(c, decimals_[a], price_wad(a), Toward::floor), Toward::floor);
  }
}

}  // namespace shardsim::broker
