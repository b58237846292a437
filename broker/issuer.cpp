// Models the issuer side of a vertically integrated broker: it is the staker behind the debt pool
// of the synthetics protocol it issues (collateral staked at genesis from its capital, sUSD issued
// against it at a configured c-ratio once it has a mark), it claims its share of the protocol's
// exchange fees on chain every `claim_every`, and when its snapshot of the protocol (arriving with
// link latency) shows the debt pool above its collateral and reserve it pays into the protocol's
// backstop reserve from its own custody, up to `backstop_max`. Its equity at marks adds the stake's
// debt drift (sUSD issued less its current share of the pool) and its fees; the capital claims
// already carry the staked collateral and the backstop paid.
#include <algorithm>
#include <cmath>

#include "broker/broker.hpp"

namespace shardsim::broker {
namespace {

constexpr core::Duration kRemoteWaitMax = core::Duration::h(24);  // a call's outcome always comes back; this bounds the wait
constexpr i128 kBackstopMinUsdWad = protocols::kWadUnit;          // 1 USD: smaller shortfalls are rounding, not a run on the peg

using Key = BrokerLedger::Key;
using Book = BrokerLedger::Book;
constexpr std::uint32_t kStake = 0, kSusdHeld = 1, kIssued = 2, kFeesClaimed = 3;

}  // namespace

protocols::TxRequest Broker::issuer_call(std::string op, std::vector<protocols::TxArg> args, core::Amount value,
                                         core::SimTime expires) const {
  const IssuerConfig& c = *config_.issuer;
  return cross_call_to(c.shard, c.protocol, std::move(op), std::move(args), value, 0, expires);
}

std::optional<protocols::TxResult> Broker::remote_outcome(core::Actor& self, protocols::TxRequest& tx,
                                                          core::SimTime expires, const std::function<void()>& on_included) {
  const std::uint64_t id = next_tx_++;
  issuer_.call_inflight = true;
  struct Done {
    IssuerState& s;
    ~Done() { s.call_inflight = false; }
  } done{issuer_};
  submit(self, tx, id);
  bool included = false;
  const core::SimTime give_up = expires + kRemoteWaitMax;
  for (;;) {
    const core::SimTime until = included ? give_up : expires + core::Duration::ms(1);
    if (self.now() >= until) return std::nullopt;
    const std::optional<core::Message> m = self.receive_for(until - self.now());
    if (!m) return std::nullopt;
    if (!m->is<protocols::TxResult>()) continue;
    protocols::TxResult r = m->as<protocols::TxResult>();
    if (r.tx_id != id) continue;
    if (!r.remote) {
      charge_gas(r.fee_paid);
      if (r.status != protocols::TxStatus::ok) return std::nullopt;
      included = true;
      if (on_included) on_included();
      continue;
    }
    return r;
  }
}

// The stake is booked at once (the world staked it at genesis); issuing and claiming need marks.
void Broker::start_issuer() {
  if (!issues_synths(config_)) return;
  const IssuerConfig& c = *config_.issuer;
  book_.ledger().move(Key{Book::capital, 0, c.collateral}, Key{Book::issuer, kStake, c.collateral}, c.stake,
                      "capital staked at the issued protocol");
  if (c.c_ratio_wad > 0) spawn("issuer:issue", [this](core::Actor& a) { run_issue(a); });
  if (c.claim_every > core::Duration{}) spawn("issuer:claims", [this](core::Actor& a) { run_fee_claims(a); });
}

void Broker::run_issue(core::Actor& self) {
  const IssuerConfig& c = *config_.issuer;
  while (!issuer_.stake_marked) self.sleep_for(env_.home_slot);  // the home oracle's first SNX price
  const int d = env_.decimals[c.susd];
  const double value = book_.value(c.collateral, c.stake) / protocols::wad_to_double(c.c_ratio_wad);
  protocols::i128 unit = 1;
  for (int i = 0; i < d; ++i) unit *= 10;
  const core::Amount amount = core::Amount::units(static_cast<protocols::i128>(std::floor(value)) * unit);  // whole sUSD
  if (amount.raw() <= 0) return;
  const core::SimTime expires = self.now() + config_.settlement.timeout;
  protocols::TxRequest tx = issuer_call("issue", {protocols::TxArg{"amount", amount.str(d)}}, {}, expires);
  const std::optional<protocols::TxResult> r = remote_outcome(self, tx, expires);
  if (!r || r->status != protocols::TxStatus::ok) {
    ++issuer_.issue_failures;
    return;
  }
  book_.ledger().move(Key{Book::issuer, kIssued, c.susd}, Key{Book::issuer, kSusdHeld, c.susd}, amount, "sUSD issued against the stake");
  if (observed()) note({"issuer_issued", 0, config_.issuer_of, {}, c.susd, amount});
}

void Broker::run_fee_claims(core::Actor& self) {
  const IssuerConfig& c = *config_.issuer;
  const std::string key = "staker." + env_.account_name + ".fees";
  for (;;) {
    self.sleep_for(c.claim_every);
    const protocols::ProtocolSnapshot* s = book_.snapshot(env_.issued_protocol);
    if (s == nullptr || !(s->get(key).value_or(0) > 0)) continue;
    const core::SimTime expires = self.now() + config_.settlement.timeout;
    protocols::TxRequest tx = issuer_call("claim_fees", {}, {}, expires);
    const std::optional<protocols::TxResult> r = remote_outcome(self, tx, expires);
    if (!r || r->status != protocols::TxStatus::ok) continue;
    for (const protocols::TxOutput& o : r->outputs) {
      if (o.key != "claimed" || o.raw <= 0) continue;
      const core::Amount claimed = core::Amount::units(o.raw);
      book_.ledger().move(Key{Book::issuer, kFeesClaimed, c.susd}, Key{Book::issuer, kSusdHeld, c.susd}, claimed,
                          "issuer fees claimed");
      ++issuer_.claims;
      if (observed()) note({"issuer_fees_claimed", issuer_.claims, config_.issuer_of, {}, c.susd, claimed});
    }
  }
}

// The debt pool above its collateral and reserve, from the last snapshot: what the broker tops
// up the reserve with (never more than its budget left, nor than its custody holds).
void Broker::check_backstop() {
  if (!issues_synths(config_)) return;
  const IssuerConfig& c = *config_.issuer;
  // The stake enters capital_start at its first mark (the home oracle has no price at genesis).
  if (!issuer_.stake_marked && book_.price(c.collateral) > 0) {
    issuer_.stake_marked = true;
    issuer_.stake_start_usd = book_.value(c.collateral, c.stake);
    capital_start_ += issuer_.stake_start_usd;
  }
  if (frozen_ || issuer_.backstop_inflight) return;
  if (issuer_.backstop_paid >= c.backstop_max) return;
  const protocols::ProtocolSnapshot* s = book_.snapshot(env_.issued_protocol);
  if (s == nullptr || s->taken_at_us < issuer_.backstop_settled_us) return;
  // The snapshot's figures quantised once; the shortfall rounded up (the reserve's side).
  const auto wad = [&](std::string_view k) { return protocols::double_to_wad(s->get(k).value_or(0)); };
  const i128 backing = usd_wad_of(wad("total_collateral"), wad("collateral_price"), Toward::floor) + wad("reserve_value");
  const i128 shortfall = wad("total_debt") - backing;
  if (shortfall <= kBackstopMinUsdWad) return;
  core::Amount amount = book_.usd_wad_to_quote(shortfall, Toward::ceil);
  amount = std::min({amount, c.backstop_max - issuer_.backstop_paid,
                     book_.ledger().balance(Key{Book::custody, 0, env_.quote})});
  if (amount.raw() <= 0) return;
  issuer_.backstop_inflight = true;
  spawn("issuer:backstop", [this, amount](core::Actor& a) { run_backstop(a, amount); });
}

void Broker::run_backstop(core::Actor& self, core::Amount amount) {
  const core::SimTime expires = self.now() + config_.settlement.timeout;
  protocols::TxRequest tx =
      issuer_call("fund_reserve", {protocols::TxArg{"amount", amount.str(env_.decimals[env_.quote])}}, amount, expires);
  // The value leaves custody once the call is included at home, whatever the remote outcome: a
  // loss of capital, exact in the quote asset. The remote outcome says the reserve has it.
  remote_outcome(self, tx, expires, [&] {
    book_.ledger().move(Key{Book::custody, 0, env_.quote}, Key{Book::capital, 0, env_.quote}, amount,
                        "backstop paid into the issued protocol's reserve");
    issuer_.backstop_paid += amount;
    ++issuer_.backstops;
    if (observed()) note({"issuer_backstop", issuer_.backstops, config_.issuer_of, {}, env_.quote, amount});
  });
  issuer_.backstop_settled_us = self.now().count_us();
  issuer_.backstop_inflight = false;
}

// Beyond the capital claims: the sUSD it holds less its share of the debt pool, and the fees it
// has claimed or may claim. 0 for a broker that does not issue.
double Broker::issuer_equity() const {
  if (!issues_synths(config_)) return 0;
  const IssuerConfig& c = *config_.issuer;
  const int d = env_.decimals[c.susd];
  const double held = book_.ledger().balance(Key{Book::issuer, kSusdHeld, c.susd}).to_double(d);
  const protocols::ProtocolSnapshot* s = book_.snapshot(env_.issued_protocol);
  if (s == nullptr) return held;
  const std::string key = "staker." + env_.account_name;
  const double total_shares = s->get("total_shares").value_or(0);
  const double shares = s->get(key + ".shares").value_or(0);
  const double debt = total_shares > 0 ? shares / total_shares * s->get("total_debt").value_or(0) : 0.0;
  return held - debt + s->get(key + ".fees").value_or(0);
}

// issuer_equity exactly: the sUSD held at 1 USD, the debt share and the fees from the snapshot's
// figures quantised once (debt rounded up, the rest down).
i128 Broker::issuer_equity_wad() const {
  if (!issues_synths(config_)) return 0;
  const IssuerConfig& c = *config_.issuer;
  const core::Amount held_units = book_.ledger().balance(Key{Book::issuer, kSusdHeld, c.susd});
  const i128 held = units_to_usd_wad(held_units, env_.decimals[c.susd], protocols::kWadUnit, Toward::floor);
  const protocols::ProtocolSnapshot* s = book_.snapshot(env_.issued_protocol);
  if (s == nullptr) return held;
  const std::string key = "staker." + env_.account_name;
  const auto wad = [&](const std::string& k) { return protocols::double_to_wad(s->get(k).value_or(0)); };
  const i128 total_shares = wad("total_shares");
  const i128 debt = total_shares > 0 ? mul_div_toward(wad(key + ".shares"), wad("total_debt"), total_shares, Toward::ceil) : 0;
  return held - debt + wad(key + ".fees");
}

// What the issuer side lost since the start: the stake's value change, the debt's drift, the
// backstop paid, less the fees it earned (claimed or claimable).
double Broker::issuer_loss() const {
  if (!issues_synths(config_)) return 0;
  const IssuerConfig& c = *config_.issuer;
  const double stake_now = book_.value(c.collateral, book_.ledger().balance(Key{Book::issuer, kStake, c.collateral}));
  return issuer_.stake_start_usd - stake_now - issuer_equity() + book_.quote_to_usd(issuer_.backstop_paid);
}

void Broker::issuer_report(nlohmann::ordered_json& j) const {
  auto round6 = [](double x) { return std::round(x * 1e6) / 1e6; };
  j["issuer_loss"] = round6(issuer_loss());
  if (!issues_synths(config_)) {
    j["issuer_fees"] = 0.0;
    return;
  }
  const IssuerConfig& c = *config_.issuer;
  const int d = env_.decimals[c.susd];
  const double claimed = book_.ledger().claim(Key{Book::issuer, kFeesClaimed, c.susd}).to_double(d);
  const protocols::ProtocolSnapshot* s = book_.snapshot(env_.issued_protocol);
  const double claimable = s ? s->get("staker." + env_.account_name + ".fees").value_or(0) : 0.0;
  j["issuer_fees"] = round6(claimed + claimable);
  j["issuer"] = {{"stake_value_start_usd", round6(issuer_.stake_start_usd)},
                 {"stake_value_usd", round6(book_.value(c.collateral, book_.ledger().balance(Key{Book::issuer, kStake, c.collateral})))},
                 {"susd_issued", round6(book_.ledger().claim(Key{Book::issuer, kIssued, c.susd}).to_double(d))},
                 {"debt_drift_usd", round6(-issuer_equity() + claimed + claimable)},
                 {"fees_claimed_usd", round6(claimed)},
                 {"fee_claims", issuer_.claims},
                 {"backstop_paid_usd", round6(book_.quote_to_usd(issuer_.backstop_paid))},
                 {"backstops", issuer_.backstops},
                 {"issue_failures", issuer_.issue_failures}};
}

}  // namespace shardsim::broker
