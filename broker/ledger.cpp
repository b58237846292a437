// Models the prime broker's double-entry books (see ledger.hpp): postings, balances and the audit
// that every asset's balances sum to exactly 0.
#include "broker/ledger.hpp"

#include "core/assert.hpp"

namespace shardsim::broker {

void BrokerLedger::move(Key from, Key to, core::Amount amount, std::string_view memo) {
  SHARDSIM_ASSERT_MSG(from.asset == to.asset, "a ledger posting must stay within one asset");
  balances_[from] -= amount;
  balances_[to] += amount;
  ++postings_;
  if (journal_on_) journal_.push_back(Posting{from, to, amount, std::string(memo)});
}

core::Amount BrokerLedger::balance(Key key) const {
  const auto it = balances_.find(key);
  return it == balances_.end() ? core::Amount{} : it->second;
}

core::Amount BrokerLedger::sum(protocols::AssetId asset) const {
  core::Amount total;
  for (const auto& [key, amount] : balances_)
    if (key.asset == asset) total += amount;
  return total;
}

std::optional<std::string> BrokerLedger::audit() const {
  std::map<protocols::AssetId, core::Amount> sums;
  for (const auto& [key, amount] : balances_) sums[key.asset] += amount;
  for (const auto& [asset, total] : sums) {
    if (!total.is_zero())
      return "broker ledger: balances of asset " + std::to_string(asset) + " sum to " +
             core::i128_to_string(total.raw()) + " units, not 0";
  }
  return std::nullopt;
}

std::string_view to_string(BrokerLedger::Book book) {
  using B = BrokerLedger::Book;
  switch (book) {
    case B::custody: return "custody";
    case B::venue: return "venue";
    case B::in_transit: return "in_transit";
    case B::client: return "client";
    case B::client_fund: return "client_fund";
    case B::capital: return "capital";
    case B::default_fund: return "default_fund";
    case B::fees: return "fees";
    case B::trading: return "trading";
    case B::bad_debt: return "bad_debt";
    case B::socialised: return "socialised";
    case B::clearing: return "clearing";
    case B::issuer: return "issuer";
  }
  return "?";
}

}  // namespace shardsim::broker
