// Models payments between clients on the broker's books (see broker/obligations.hpp): within the
// broker a claim moves from payer to payee; to a client of another broker it becomes a payable
// to the clearing cycles (a receivable at the payee's broker) until a cycle's transfer settles it.
#include "broker/clearing_book.hpp"

namespace shardsim::broker {

std::optional<std::string> ClearingBook::payment_refused(std::size_t client, protocols::AssetId asset,
                                                         core::Amount amount) const {
  const auto c = static_cast<std::uint32_t>(client);
  if (ledger_.claim(key(Book::client, c, asset)) < amount) return "payment above the client's balance";
  if (!clients_[client].positions.empty() && equity(client) - value(asset, amount) < margin(client).initial) {
    return "payment would leave equity below initial margin";
  }
  return std::nullopt;
}

void ClearingBook::pay_client(std::size_t from, std::size_t to, protocols::AssetId asset, core::Amount amount) {
  post(key(Book::client, static_cast<std::uint32_t>(to), asset), key(Book::client, static_cast<std::uint32_t>(from), asset),
       amount, "payment between clients");
}

void ClearingBook::pay_out(std::size_t client, protocols::AssetId asset, core::Amount amount) {
  post(key(Book::clearing, 0, asset), key(Book::client, static_cast<std::uint32_t>(client), asset), amount,
       "payment to another broker's client");
}

void ClearingBook::pay_in(std::size_t client, protocols::AssetId asset, core::Amount amount) {
  post(key(Book::client, static_cast<std::uint32_t>(client), asset), key(Book::clearing, 0, asset), amount,
       "payment from another broker's client");
}

void ClearingBook::clearing_paid(protocols::AssetId asset, core::Amount amount) {
  post(key(Book::custody, 0, asset), key(Book::clearing, 0, asset), amount, "clearing payment sent");
}

void ClearingBook::clearing_received(protocols::AssetId asset, core::Amount amount) {
  post(key(Book::clearing, 0, asset), key(Book::custody, 0, asset), amount, "clearing payment received");
}

void ClearingBook::clearing_loss(protocols::AssetId asset, core::Amount amount) {
  post(key(Book::clearing, 0, asset), key(Book::capital, 0, asset), amount, "clearing payment failed: loss");
}

void ClearingBook::house_pay_out(protocols::AssetId asset, core::Amount amount) {
  post(key(Book::clearing, 0, asset), key(Book::trading, 0, asset), amount, "variation margin owed to another broker");
}

void ClearingBook::house_pay_in(protocols::AssetId asset, core::Amount amount) {
  post(key(Book::trading, 0, asset), key(Book::clearing, 0, asset), amount, "variation margin from another broker");
}

core::Amount ClearingBook::clearing_balance(protocols::AssetId asset) const {
  return ledger_.balance(key(Book::clearing, 0, asset));
}

}  // namespace shardsim::broker
