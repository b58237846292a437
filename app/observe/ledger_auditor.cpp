// The message-only ledger auditor: what it records per broker as messages go by, and the end
// comparison with the broker's books.
#include "app/observe/ledger_auditor.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "app/world/world.hpp"
#include "protocols/api/broker_api.hpp"
#include "protocols/api/hedge_venue.hpp"

namespace shardsim::app {
namespace {

std::string arg(const std::vector<protocols::TxArg>& args, std::string_view key) {
  for (const protocols::TxArg& a : args) {
    if (a.key == key) return a.value;
  }
  return {};
}

// An exact output as WAD whole units: its raw integer times 10^(18 - its decimals).
std::optional<protocols::i128> output_wad(const std::vector<protocols::TxOutput>& outputs, std::string_view key) {
  for (const protocols::TxOutput& o : outputs) {
    if (o.key != key || o.decimals > 18) continue;
    protocols::i128 scale = 1;
    for (int d = o.decimals; d < 18; ++d) scale *= 10;
    return o.raw * scale;
  }
  return std::nullopt;
}

std::string wad_str(protocols::i128 wad) { return core::Amount::units(wad).str(18); }

}  // namespace

std::vector<AuditedBroker> audited_brokers(const World& world) {
  std::vector<AuditedBroker> out;
  const std::size_t assets = world.registry().asset_count();
  for (std::size_t b = 0; b < world.broker_count(); ++b) {
    const broker::Broker& br = world.broker(b);
    AuditedBroker a;
    a.name = br.config().name;
    a.endpoint = br.endpoint();
    a.home = br.config().home_shard;
    a.home_shard = world.shard(a.home).endpoint();
    a.account = br.home_accounts().front();
    a.quote = br.book().quote();
    a.clearing_account = br.clearing_account();
    a.deposit_accounts.assign(br.home_accounts().begin() + 1, br.home_accounts().end() - (a.clearing_account ? 1 : 0));
    for (std::size_t c = 0; c < br.book().clients(); ++c) {
      a.client_accounts.push_back(world.registry().account(br.book().client(c).name).value_or(protocols::AccountId(-1)));
    }
    for (const broker::Venue& v : br.book().venues()) {
      const protocols::HedgeMarket& m = v.hedge->market();
      const std::string market = v.instrument.substr(v.instrument.find('.') + 1);  // NAME.MARKET
      a.venues.push_back(AuditedBroker::VenueRef{v.shard, v.protocol, v.margined(), market,
                                                 world.registry().asset_symbol(m.quote), v.instrument, v.claim()});
    }
    if (broker::issues_synths(br.config())) a.issued = std::make_pair(br.config().issuer->shard, br.config().issuer->protocol);
    a.opening_custody.assign(assets, core::Amount{});
    for (const broker::AssetAmount& x : br.config().capital) a.opening_custody[x.asset] += x.amount;
    for (const broker::AssetAmount& x : br.config().default_fund) a.opening_custody[x.asset] += x.amount;
    out.push_back(std::move(a));
  }
  return out;
}

BrokerBooks books_of(const World& world, std::size_t b) {
  const broker::Broker& br = world.broker(b);
  BrokerBooks k;
  for (protocols::AssetId a = 0; a < world.registry().asset_count(); ++a) k.custody.push_back(br.custody(a));
  const protocols::AssetId quote = br.book().quote();
  for (std::size_t v = 0; v < br.book().venues().size(); ++v) {
    k.venue_posted.push_back(br.book().ledger().balance(
        broker::LedgerKey{broker::LedgerBook::venue, static_cast<std::uint32_t>(v), quote}));
    k.hedge_wad.push_back(br.book().hedges()[v].qty_wad);
  }
  const nlohmann::ordered_json r = br.report();
  k.deposits = r["deposits"].get<std::uint64_t>();
  k.orders_filled = r["orders"]["filled"].get<std::uint64_t>();
  k.orders_rejected = r["orders"]["rejected"].get<std::uint64_t>();
  k.withdrawals_committed = r["withdrawals"]["committed"].get<std::uint64_t>();
  k.withdrawals_compensated = r["withdrawals"]["compensated"].get<std::uint64_t>();
  k.withdrawals_rejected = r["withdrawals"]["rejected"].get<std::uint64_t>();
  k.legs_sent = r["hedges"]["legs_sent"].get<std::uint64_t>();
  if (r.contains("runs")) {
    const nlohmann::ordered_json& runs = r["runs"];
    k.clients_ran = runs["clients_ran"].get<std::uint64_t>();
    k.run_withdrawals = runs["withdrawals_paid"].get<std::uint64_t>() + runs["withdrawals_refused"].get<std::uint64_t>() +
                        runs["withdrawals_compensated"].get<std::uint64_t>();
  }
  return k;
}

LedgerAuditor::LedgerAuditor(std::vector<AuditedBroker> brokers, std::vector<std::string> asset_symbols,
                             std::vector<int> decimals)
    : brokers_(std::move(brokers)), symbols_(std::move(asset_symbols)), decimals_(std::move(decimals)) {
  states_.resize(brokers_.size());
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    State& s = states_[b];
    s.custody_in.assign(symbols_.size(), core::Amount{});
    s.custody_out.assign(symbols_.size(), core::Amount{});
    s.venue_posted.assign(brokers_[b].venues.size(), core::Amount{});
    s.hedge_wad.assign(brokers_[b].venues.size(), 0);
  }
}

std::string LedgerAuditor::amount_str(protocols::AssetId asset, core::Amount amount) const {
  if (asset >= symbols_.size()) return core::i128_to_string(amount.raw()) + " units of asset " + std::to_string(asset);
  return amount.str(decimals_[asset]) + " " + symbols_[asset];
}

void LedgerAuditor::error(std::size_t b, std::string what) {
  constexpr std::size_t kMaxErrors = 20;  // the first ones say what went wrong
  if (states_[b].errors.size() < kMaxErrors) states_[b].errors.push_back(std::move(what));
}

void LedgerAuditor::on_message(const core::Envelope& env) {
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    const AuditedBroker& br = brokers_[b];
    if (env.dst == br.endpoint && env.is<protocols::ClientRequest>()) return on_request(b, env);
    if (env.dst == br.home_shard && env.is<protocols::TxRequest>()) {
      const protocols::TxRequest tx = env.as<protocols::TxRequest>();
      if (tx.from == br.account) on_submitted(b, tx);
    }
  }
  if (!env.is<protocols::TxResult>()) return;
  bool decoded = false;
  protocols::TxResult r;
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    auto& sent = states_[b].sent;
    // Results reach the saga that submitted: keyed by (its endpoint, tx id).
    auto it = sent.lower_bound({env.dst, 0});
    if (it == sent.end() || it->first.first != env.dst) continue;
    if (!decoded) {
      r = env.as<protocols::TxResult>();
      decoded = true;
    }
    it = sent.find({env.dst, r.tx_id});
    if (it != sent.end()) on_result(b, it->second, r);
  }
}

void LedgerAuditor::on_request(std::size_t b, const core::Envelope& env) {
  const protocols::ClientRequest q = env.as<protocols::ClientRequest>();
  State& s = states_[b];
  if (q.client >= brokers_[b].deposit_accounts.size()) {
    error(b, "a client request names client " + std::to_string(q.client) + ", but the broker has " +
                 std::to_string(brokers_[b].deposit_accounts.size()) + " clients");
    return;
  }
  switch (q.op) {
    case protocols::RequestOp::deposit: ++s.deposit_requests; return;
    case protocols::RequestOp::withdraw:
      if (q.amount.is_zero()) {
        s.run_clients.insert(q.client);
      } else {
        ++s.withdraw_requests;
      }
      return;
    case protocols::RequestOp::order: ++s.orders; return;
    case protocols::RequestOp::pay: return;  // moves claims on the books; the cycles' transfers are audited
  }
}

void LedgerAuditor::on_submitted(std::size_t b, const protocols::TxRequest& tx) {
  const AuditedBroker& br = brokers_[b];
  State& st = states_[b];
  Sent s;
  s.asset = tx.asset;
  s.amount = tx.amount;
  s.dry_run = (tx.flags & protocols::TxRequest::kDryRun) != 0;
  s.commit = (tx.flags & protocols::TxRequest::kCommit) != 0;
  if (tx.flags & protocols::TxRequest::kReveal) {
    if (!reveal_of(b, tx, s)) return;
  } else if (tx.op == protocols::TxOp::cross_call && br.issued &&
             *br.issued == std::make_pair(tx.to_shard, tx.protocol)) {
    const bool known = tx.protocol_op == "issue" || tx.protocol_op == "claim_fees" || tx.protocol_op == "fund_reserve";
    if (!known) error(b, "tx " + std::to_string(tx.tx_id) + " calls " + tx.protocol_op + " on the protocol the broker issues");
    if (tx.protocol_op == "fund_reserve") s.kind = TxKind::backstop;
  } else if (tx.op == protocols::TxOp::cross_call) {
    // Venue funding names no market: it is margin at the protocol, shared by its markets.
    const std::string market = arg(tx.args, "market");
    const bool funding = tx.protocol_op == "deposit";
    const auto v = std::find_if(br.venues.begin(), br.venues.end(), [&](const AuditedBroker::VenueRef& x) {
      return x.shard == tx.to_shard && x.protocol == tx.protocol && (!x.perp || funding || x.market == market);
    });
    if (v == br.venues.end()) {
      error(b, "tx " + std::to_string(tx.tx_id) + " calls " + tx.protocol_op + " on a venue the broker does not have");
      return;
    }
    s.venue = static_cast<std::size_t>(v - br.venues.begin());
    if (funding) {
      s.kind = TxKind::funding;
    } else if (tx.protocol_op == "trade" || tx.protocol_op == "swap") {
      s.kind = TxKind::leg;
      s.buy = !v->perp && arg(tx.args, "sell") == v->quote_symbol;
      if (v->perp) s.size_wad = core::Amount::parse(arg(tx.args, "size"), 18).value_or(core::Amount{}).raw();
      if (!s.dry_run) ++st.legs_sent;
    }
  } else if ((tx.op == protocols::TxOp::transfer || tx.op == protocols::TxOp::bridge) &&
             std::any_of(brokers_.begin(), brokers_.end(), [&](const AuditedBroker& o) { return o.clearing_account == tx.to; })) {
    s.kind = TxKind::clearing;  // a clearing cycle's payment to another broker
  } else if (tx.op == protocols::TxOp::transfer || tx.op == protocols::TxOp::bridge) {
    s.kind = TxKind::withdrawal;
    const auto c = std::find(br.client_accounts.begin(), br.client_accounts.end(), tx.to);
    if (c == br.client_accounts.end()) {
      error(b, "tx " + std::to_string(tx.tx_id) + " pays " + amount_str(tx.asset, tx.amount) + " to an account that is no client's");
    }
    s.client = static_cast<std::size_t>(c - br.client_accounts.begin());
    ++st.withdrawal_txs;
  }
  if (!st.sent.emplace(std::make_pair(tx.notify, tx.tx_id), s).second) {
    error(b, "tx " + std::to_string(tx.tx_id) + " was submitted twice");
  }
}

bool LedgerAuditor::reveal_of(std::size_t b, const protocols::TxRequest& tx, Sent& s) {
  const std::string id = arg(tx.args, "commitment");
  const auto c = states_[b].sent.find({tx.notify, std::strtoull(id.c_str(), nullptr, 10)});
  if (id.empty() || c == states_[b].sent.end() || !c->second.commit) {
    error(b, "tx " + std::to_string(tx.tx_id) + " reveals commitment " + id + ", which the broker never committed");
    return false;
  }
  s = c->second;
  s.amount = core::Amount{};
  s.commit = false;
  s.local_seen = s.local_ok = s.remote_seen = false;
  return true;
}

void LedgerAuditor::on_result(std::size_t b, Sent& s, const protocols::TxResult& r) {
  State& st = states_[b];
  const std::string what = s.kind == TxKind::leg        ? (s.dry_run ? "prepare vote on " : "hedge leg on ")
                           : s.kind == TxKind::funding  ? "venue funding of "
                           : s.kind == TxKind::withdrawal ? "withdrawal"
                           : s.kind == TxKind::backstop   ? "backstop payment"
                                                          : "call";
  const bool at_venue = s.kind == TxKind::leg || s.kind == TxKind::funding;
  const std::string tx = "tx " + std::to_string(r.tx_id) + " (" + what + (at_venue ? brokers_[b].venues[s.venue].name : "") + ")";
  const bool ok = r.status == protocols::TxStatus::ok;
  if (!r.remote) {
    if (s.local_seen) return error(b, tx + ": its result on the home shard was delivered twice");
    s.local_seen = true;
    s.local_ok = ok;
    if (!ok) return;
    if (s.kind == TxKind::leg || s.kind == TxKind::funding) {
      st.venue_posted[s.venue] += s.amount;
      st.custody_out[s.asset] += s.amount;
    } else if (s.kind == TxKind::clearing || s.kind == TxKind::backstop) {
      st.custody_out[s.asset] += s.amount;
    } else if (s.kind == TxKind::withdrawal) {
      st.custody_out[s.asset] += s.amount;
      st.withdrawn[{s.client, s.asset}] += s.amount;
      ++st.withdrawals_paid;
    }
    return;
  }
  if (s.remote_seen) return error(b, tx + ": its remote result (a fill) was delivered twice");
  s.remote_seen = true;
  if (!s.local_ok) return error(b, tx + ": a remote result arrived for a call that was never included");
  if (s.kind != TxKind::leg || s.dry_run || s.commit || !ok) return;
  const AuditedBroker::VenueRef& v = brokers_[b].venues[s.venue];
  std::optional<protocols::i128> filled;
  if (v.perp) {
    filled = output_wad(r.outputs, "size");
    if (filled && *filled != s.size_wad) {
      error(b, tx + ": filled " + wad_str(*filled) + " but the call asked for " + wad_str(s.size_wad));
    }
  } else if (v.claim) {
    filled = output_wad(r.outputs, "shares");  // signed: bought > 0, sold < 0
  } else {
    // A buy got amount_out of the underlying; a sell gave amount_in of it.
    filled = output_wad(r.outputs, s.buy ? "amount_out" : "amount_in");
    if (filled && !s.buy) filled = -*filled;
  }
  if (!filled) return error(b, tx + ": its result reports no fill");
  st.hedge_wad[s.venue] += *filled;
}

void LedgerAuditor::credit(std::size_t b, protocols::AccountId to, protocols::AssetId asset, core::Amount amount) {
  State& st = states_[b];
  if (brokers_[b].clearing_account == to) {
    st.custody_in[asset] += amount;  // a clearing cycle's payment from another broker
    return;
  }
  const auto& d = brokers_[b].deposit_accounts;
  const auto c = std::find(d.begin(), d.end(), to);
  if (c == d.end()) return;
  ++st.deposits;
  st.custody_in[asset] += amount;
  st.deposited[{static_cast<std::size_t>(c - d.begin()), asset}] += amount;
}

void LedgerAuditor::on_tx_included(protocols::ShardId shard, const protocols::TxRequest& tx, protocols::TxStatus status,
                                   std::uint64_t) {
  if (tx.op != protocols::TxOp::transfer || status != protocols::TxStatus::ok) return;
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    if (brokers_[b].home == shard) credit(b, tx.to, tx.asset, tx.amount);
  }
}

void LedgerAuditor::on_receipt(protocols::ShardId shard, const protocols::Receipt& r) {
  for (std::size_t b = 0; b < brokers_.size(); ++b) {
    if (brokers_[b].home == shard) credit(b, r.to, r.asset, r.amount);
  }
}

core::Amount LedgerAuditor::deposited(std::size_t b, std::size_t client, protocols::AssetId asset) const {
  const auto it = states_[b].deposited.find({client, asset});
  return it == states_[b].deposited.end() ? core::Amount{} : it->second;
}

core::Amount LedgerAuditor::withdrawn(std::size_t b, std::size_t client, protocols::AssetId asset) const {
  const auto it = states_[b].withdrawn.find({client, asset});
  return it == states_[b].withdrawn.end() ? core::Amount{} : it->second;
}

std::vector<std::string> LedgerAuditor::check(std::size_t b, const BrokerBooks& books) const {
  const AuditedBroker& br = brokers_[b];
  const State& st = states_[b];
  std::vector<std::string> out = st.errors;
  auto count = [&](const std::string& what, std::uint64_t on_books, std::uint64_t seen, const std::string& from) {
    if (on_books != seen) {
      out.push_back(what + ": " + std::to_string(on_books) + " on the books but " + std::to_string(seen) + " " + from);
    }
  };
  count("deposits credited", books.deposits, st.deposits,
        "receipts and transfers into the clients' deposit accounts on the home shard");
  count("orders filled + rejected", books.orders_filled + books.orders_rejected, st.orders, "order requests delivered");
  count("withdrawals committed + compensated + rejected (runs apart)",
        books.withdrawals_committed + books.withdrawals_compensated + books.withdrawals_rejected - books.run_withdrawals,
        st.withdraw_requests, "withdrawal requests delivered");
  count("clients that ran", books.clients_ran, st.run_clients.size(), "requests to withdraw everything delivered");
  count("withdrawals committed + compensated", books.withdrawals_committed + books.withdrawals_compensated,
        st.withdrawal_txs, "withdrawal transactions submitted");
  count("withdrawals committed", books.withdrawals_committed, st.withdrawals_paid, "withdrawals included on the home shard");
  count("hedge legs sent", books.legs_sent, st.legs_sent, "trade and swap calls submitted (not dry runs)");
  for (protocols::AssetId a = 0; a < symbols_.size(); ++a) {
    const core::Amount opening = a < br.opening_custody.size() ? br.opening_custody[a] : core::Amount{};
    const core::Amount expect = opening + st.custody_in[a] - st.custody_out[a];
    const core::Amount actual = a < books.custody.size() ? books.custody[a] : core::Amount{};
    if (actual != expect) {
      out.push_back("custody of " + symbols_[a] + ": " + amount_str(a, actual) + " on the books but " +
                    amount_str(a, expect) + " from the messages (opening " + amount_str(a, opening) + " + deposits " +
                    amount_str(a, st.custody_in[a]) + " - withdrawals and venue value " + amount_str(a, st.custody_out[a]) + ")");
    }
  }
  // Value posted, per protocol (a perp venue's margin is the protocol's, shared by its markets).
  std::map<std::pair<protocols::ShardId, std::uint32_t>, std::pair<core::Amount, core::Amount>> posted;  // books, seen
  std::map<std::pair<protocols::ShardId, std::uint32_t>, std::string> names;
  for (std::size_t v = 0; v < br.venues.size(); ++v) {
    const auto key = std::make_pair(br.venues[v].shard, br.venues[v].protocol);
    posted[key].first += v < books.venue_posted.size() ? books.venue_posted[v] : core::Amount{};
    posted[key].second += st.venue_posted[v];
    std::string& n = names[key];
    n += (n.empty() ? "" : "+") + br.venues[v].name;
  }
  for (const auto& [key, p] : posted) {
    if (p.first != p.second) {
      out.push_back("value posted at " + names[key] + ": " + amount_str(br.quote, p.first) + " on the books but " +
                    amount_str(br.quote, p.second) + " carried there by included calls");
    }
  }
  for (std::size_t v = 0; v < br.venues.size(); ++v) {
    const protocols::i128 held = v < books.hedge_wad.size() ? books.hedge_wad[v] : 0;
    if (held != st.hedge_wad[v]) {
      out.push_back("hedge on " + br.venues[v].name + ": " + wad_str(held) + " on the books but " + wad_str(st.hedge_wad[v]) +
                    " from the fills reported");
    }
  }
  for (std::string& s : out) s = "broker " + br.name + ": " + s;
  return out;
}

}  // namespace shardsim::app
