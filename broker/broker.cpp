// The broker's message handling: client requests, the slot tick (marks, client checks, batch
// hedging, the latency add-on), hedge planning and the settlement queue, insolvency, and its
// summary entry.
#include "broker/broker.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "core/assert.hpp"

namespace shardsim::broker {
namespace {

struct Tick {
  static constexpr core::MsgKind kKind = 232;
  std::uint64_t n = 0;
};

constexpr double kSecondsPerYear = 365.0 * 86'400.0;
constexpr double kTinyUnits = 1e-9;
constexpr double kMinHedgeUsd = 10;  // smaller residual exposure is left unhedged
// Above this estimated equity the exact one cannot be <= 0: the two differ by rounding far below it.
constexpr double kClearlySolventUsd = 1.0;

double round6(double x) { return std::round(x * 1e6) / 1e6; }

}  // namespace

Broker::Broker(const BrokerConfig& config, BrokerEnv env, std::vector<Instrument> instruments, std::vector<Venue> venues)
    : config_(config),
      env_(std::move(env)),
      book_(config, std::move(instruments), std::move(venues), env_.quote, env_.decimals) {
  self_ = env_.engine->add_handler(env_.lp, *this, "broker:" + config_.name);
  for (const std::string& name : env_.client_names) book_.add_client(name);
  home_accounts_.push_back(env_.account);
  for (protocols::AccountId a : env_.deposit_accounts) home_accounts_.push_back(a);
  if (env_.clearing_account) home_accounts_.push_back(*env_.clearing_account);
  venues_of_.resize(env_.decimals.size());
  for (std::size_t v = 0; v < book_.venues().size(); ++v) {
    if (!book_.venues()[v].claim()) venues_of_[book_.venues()[v].underlying].push_back(v);  // claims: claim_hedges.cpp
  }
  book_.open_capital(config_.capital, config_.default_fund);
  max_inflight_ = std::max<std::size_t>(1, config_.settlement.max_inflight);
  owed_.resize(env_.decimals.size());
}

Broker::~Broker() = default;

void Broker::start() {
  SHARDSIM_ASSERT(!started_);
  started_ = true;
  refresh_marks();
  for (const AssetAmount& a : config_.capital) capital_start_ += book_.value(a.asset, a.amount);
  start_issuer();
  // Margin at each venue, so hedges need no value of their own.
  core::Amount quote_capital;
  for (const AssetAmount& a : config_.capital) {
    if (a.asset == env_.quote) quote_capital += a.amount;
  }
  const std::size_t n = book_.venues().size();
  if (n > 0) {
    const core::Amount each = config_.hedging.venue_margin
                                  ? *config_.hedging.venue_margin
                                  : core::Amount::units(quote_capital.raw() / 5 / static_cast<core::i128>(n));
    for (std::size_t v = 0; v < n; ++v) {
      if (each > core::Amount{} && book_.venues()[v].margined()) {
        spawn("fund:" + book_.venues()[v].instrument, [this, v, each](core::Actor& a) { run_venue_funding(a, v, each); });
      }
    }
  }
  next_batch_ = env_.engine->now() + config_.hedging.every;
  next_vm_ = env_.engine->now() + env_.vm_every;
  env_.engine->send(self_, self_, env_.home_slot, Tick{});
}

void Broker::on_message(const core::Envelope& env) {
  if (on_clearing_message(env)) return;
  if (on_interbroker_message(env)) return;
  if (env.is<Tick>()) {
    tick();
    env_.engine->send(self_, self_, env_.home_slot, Tick{});
  } else if (env.is<ClientRequest>()) {
    handle(env.as<ClientRequest>());
  } else if (env.is<SnapshotMsg>()) {
    SnapshotMsg m = env.as<SnapshotMsg>();
    book_.update_snapshot(m.protocol, m.taken_at_us, std::move(m.values));
  }
}

void Broker::on_home_credit(protocols::AccountId to, protocols::AssetId asset, core::Amount amount) {
  if (env_.clearing_account && to == *env_.clearing_account) return on_clearing_credit(asset, amount);
  for (std::size_t c = 0; c < env_.deposit_accounts.size(); ++c) {
    if (env_.deposit_accounts[c] != to) continue;
    book_.deposit(c, asset, amount);
    ++deposits_;
    if (observed()) note({"deposit", c, env_.client_names[c], {}, asset, amount});
    // Sweep into the main account, which pays hedges and withdrawals (custody counts both).
    protocols::TxRequest tx;
    tx.from = to;
    tx.op = protocols::TxOp::transfer;
    tx.asset = asset;
    tx.to = env_.account;
    tx.amount = amount;
    tx.submitted_at_us = env_.engine->now().count_us();
    env_.engine->send(self_, env_.home_shard, env_.access.mean_estimate() + core::Duration::us(1), tx);
    return;
  }
}

void Broker::refresh_marks() {
  for (protocols::AssetId a = 0; a < env_.decimals.size(); ++a) {
    if (const auto p = env_.home_price(a)) book_.set_price(a, *p);
  }
}

void Broker::handle(const ClientRequest& q) {
  refresh_marks();
  switch (q.op) {
    case RequestOp::deposit:
      return;  // the client's bridge is on its way; on_home_receipt credits it
    case RequestOp::pay:
      return handle_pay(q);
    case RequestOp::pledge: {
      const std::optional<std::string> why = book_.pledge(q.client, q.instrument, q.qty_wad);
      if (observed()) {
        note({why ? "pledge_rejected" : "pledged", q.client, env_.client_names[q.client],
              why ? *why : book_.instruments()[q.instrument].descriptor->id + " qty=" + core::Amount::units(q.qty_wad).str(18), {}, {}});
      }
      if (why) ++reject_reasons_[*why];
      return;
    }
    case RequestOp::withdraw:
      if (q.amount.is_zero()) return handle_run(q);
      spawn("withdraw:" + env_.client_names[q.client], [this, q](core::Actor& a) { queue_withdrawal(a, q); });
      return;
    case RequestOp::order: {
      if (frozen_) {
        ++orders_rejected_;
        ++reject_reasons_["broker frozen (insolvent)"];
        if (observed()) note({"order_rejected", q.client, env_.client_names[q.client], "broker frozen (insolvent)", {}, {}});
        return;
      }
      const std::optional<double> limit =
          q.limit_wad != 0 ? std::optional<double>(protocols::wad_to_double(q.limit_wad)) : std::nullopt;
      const OrderOutcome o = book_.order(q.client, q.instrument, q.qty_wad, limit);
      if (!o.filled) {
        ++orders_rejected_;
        ++reject_reasons_[o.reason];
        if (observed()) note({"order_rejected", q.client, env_.client_names[q.client], o.reason, {}, {}});
        return;
      }
      ++orders_filled_;
      const core::Duration tif =
          q.time_in_force_us > 0 ? core::Duration::us(q.time_in_force_us) : config_.settlement.order_deadline;
      for (const protocols::AssetId u : book_.instruments()[q.instrument].descriptor->underlyings) owe(u, tif, "order");
      if (observed()) {
        note({"order_filled", q.client, env_.client_names[q.client],
              book_.instruments()[q.instrument].descriptor->id + " qty=" + core::Amount::units(q.qty_wad).str(18), {}, {}});
      }
      if (config_.hedging.policy == HedgePolicy::immediate || config_.hedging.policy == HedgePolicy::threshold) {
        plan_hedges(false);
      }
      return;
    }
  }
}

void Broker::tick() {
  refresh_marks();
  book_.link_snapshots();
  // The latency add-on inputs: per underlying, the expected round trip to its best venue and the
  // share of the house's exposure not yet hedged.
  std::vector<double>& house = house_delta_;
  std::vector<double>& clients = client_delta_;
  book_.house_delta(house);
  book_.client_delta(clients);
  for (protocols::AssetId u = 0; u < venues_of_.size(); ++u) {
    if (venues_of_[u].empty()) continue;
    const Venue& v = book_.venues()[venues_of_[u].front()];
    const double gross = std::abs(clients[u]);
    const double share = gross > kTinyUnits ? std::min(1.0, std::abs(house[u]) / gross) : 0.0;
    book_.set_settlement(u, v.expected_latency + v.expected_latency, share);
  }
  check_clients();  // a frozen broker still liquidates: its clients' deficits go through the waterfall
  if (!frozen_ && config_.hedging.policy == HedgePolicy::batch && env_.engine->now() >= next_batch_) {
    next_batch_ = env_.engine->now() + config_.hedging.every;
    plan_hedges(false);
  }
  check_backstop();
  // The exact equity decides; the estimate (within far less than kClearlySolventUsd of it) only
  // spares computing it every slot while the house is clearly solvent.
  const double estimate = house_equity();
  if (!frozen_ && estimate < kClearlySolventUsd && house_equity_wad() <= 0) declare_insolvent();
  if (insolvent_at_ && estimate < kClearlySolventUsd) cover_shortfall();
  if (env_.vm_every > core::Duration{} && env_.engine->now() >= next_vm_) {
    next_vm_ = env_.engine->now() + env_.vm_every;
    call_variation_margin();
  }
  health_ = capital_start_ > 0 ? house_equity() / capital_start_ : 1.0;  // published for the clients
  sample_interbroker();
  sample_latency_addon();
  sample_unhedged_exposure(house);
  dispatch();
}

// Unhedged is what the house would carry if every leg still in flight failed: its net delta with
// the in-flight legs taken out, per underlying at its mark, held since the last sample.
void Broker::sample_unhedged_exposure(const std::vector<double>& house) {
  inflight_delta_.assign(house.size(), 0.0);
  for (std::size_t v = 0; v < book_.venues().size(); ++v) {
    if (book_.venues()[v].claim()) continue;
    inflight_delta_[book_.venues()[v].underlying] += protocols::wad_to_double(book_.hedges()[v].inflight_wad);
  }
  double usd = 0;
  for (protocols::AssetId u = 0; u < house.size(); ++u) {
    if (venues_of_[u].empty()) continue;  // nowhere to hedge it: not a settlement outcome
    usd += std::abs(house[u] - inflight_delta_[u]) * book_.price(u);
  }
  const core::SimTime now = env_.engine->now();
  unhedged_usd_s_ += usd * (now - last_exposure_at_).seconds();
  unhedged_peak_usd_ = std::max(unhedged_peak_usd_, usd);
  last_exposure_at_ = now;
}

void Broker::check_clients() {
  for (std::size_t c = 0; c < book_.clients(); ++c) {
    if (!book_.below_maintenance(c)) continue;
    const DefaultOutcome d = book_.liquidate(c);
    ++liquidations_;
    if (observed()) note({"liquidation", c, env_.client_names[c], "deficit", env_.quote, d.deficit});
    // The margin call's cure period: the hedges of what the liquidation changed are due by then.
    for (protocols::AssetId u = 0; u < owed_.size(); ++u) owe(u, config_.settlement.margin_call_deadline, "margin_call");
    if (d.capital_exhausted) declare_insolvent();
  }
  if (!frozen_ && config_.hedging.policy != HedgePolicy::none && config_.hedging.policy != HedgePolicy::batch) {
    plan_hedges(false);
  }
}

void Broker::sample_latency_addon() {
  const MarginResult& m = book_.house_margin();
  addon_sum_ += m.latency_addon;
  addon_max_ = std::max(addon_max_, m.latency_addon);
  ++addon_samples_;
}

// Turns the house's net delta into one settlement per underlying: its legs go to the venue with
// the best expected execution (cost + latency add-on), split into children; each settlement
// carries its value at risk and its deadline for the ordering policy.
void Broker::plan_hedges(bool unwind_all) {
  if ((config_.hedging.policy == HedgePolicy::none || frozen_) && !unwind_all) return;
  if (!unwind_all && env_.engine->now() < retry_after_) return;  // backing off after a failure
  std::vector<double>& target = hedge_target_;
  target.assign(env_.decimals.size(), 0.0);
  if (unwind_all) {
    for (std::size_t v = 0; v < book_.venues().size(); ++v) {
      const HedgeHolding& h = book_.hedges()[v];
      if (book_.venues()[v].claim()) continue;
      target[book_.venues()[v].underlying] -= protocols::wad_to_double(h.qty_wad + h.inflight_wad);
    }
  } else {
    book_.house_delta(house_delta_);
    for (std::size_t u = 0; u < house_delta_.size(); ++u) target[u] = -house_delta_[u] - ib_.delta(static_cast<protocols::AssetId>(u));
  }
  // One settlement per underlying, so that the ordering policy chooses between exposures.
  bool planned = false;
  for (protocols::AssetId u = 0; u < target.size(); ++u) {
    if (venues_of_[u].empty() || std::abs(target[u]) < kTinyUnits) continue;
    const double price = book_.price(u);
    if (price <= 0) continue;
    if (std::abs(target[u]) * price < kMinHedgeUsd) continue;  // dust a venue's rounding can never fill
    if (!unwind_all && config_.hedging.policy == HedgePolicy::threshold && std::abs(target[u]) * price < config_.hedging.band_usd) continue;
    if (!unwind_all) target[u] = hedge_with_counterparty(u, target[u]);  // the rest goes to a venue
    const double notional = std::abs(target[u]) * price;
    if (notional < kMinHedgeUsd) continue;
    const double sigma = u < env_.vol_annual.size() ? env_.vol_annual[u] : 0.0;
    const std::size_t best = best_venue(u, sigma);
    Settlement s;
    s.id = next_settlement_++;
    s.created = env_.engine->now();
    // Value at risk while it waits: the exposure, its volatility over the venue's expected round trip.
    const double t = 2.0 * book_.venues()[best].expected_latency.seconds() / kSecondsPerYear;
    s.risk_usd = notional * sigma * std::sqrt(t) * config_.margin.latency_z;
    // Its deadline: the earliest of its causes' (orders, margin calls) and the risk budget's.
    s.due = Due{s.created + config_.settlement.timeout, "timeout"};
    if (config_.settlement.risk_budget_usd > 0) {
      s.due = Due{s.created + deadline_budget(notional * sigma * config_.margin.latency_z), "risk_budget"};
    }
    if (owed_[u] && (config_.settlement.risk_budget_usd <= 0 || owed_[u]->at < s.due.at)) s.due = *owed_[u];
    const i128 total = protocols::double_to_wad(target[u]);
    const auto n = static_cast<i128>(std::max<std::uint32_t>(1, config_.hedging.split));
    const double mark = book_.mark(book_.venue_instrument(best));
    for (i128 k = 0; k < n; ++k) {
      const i128 part = k + 1 == n ? total - (total / n) * (n - 1) : total / n;
      if (part != 0) s.legs.push_back(Leg{best, part, mark});
    }
    if (s.legs.empty()) continue;
    for (const Leg& l : s.legs) {
      book_.hedge_sent(l.venue, l.qty_wad);
      netting_gross_ += std::abs(protocols::wad_to_double(l.qty_wad)) * l.decision_mark;
    }
    queue_.push_back(std::move(s));
    owed_[u].reset();
    planned = true;
  }
  planned = plan_claim_hedges(unwind_all) || planned;
  if (planned) dispatch();
}

// A cause (an order, a margin call) wants the hedge of underlying `u` settled within `within`.
void Broker::owe(protocols::AssetId u, core::Duration within, const char* cause) {
  if (within <= core::Duration{} || u >= owed_.size() || venues_of_[u].empty()) return;
  const core::SimTime at = env_.engine->now() + within;
  if (!owed_[u] || at < owed_[u]->at) owed_[u] = Due{at, cause};
}

// How long an exposure whose loss grows as `usd_per_sqrt_year` x sqrt(wait) may wait before its
// expected loss reaches the risk budget; the timeout when there is no budget.
core::Duration Broker::deadline_budget(double usd_per_sqrt_year) const {
  const double budget = config_.settlement.risk_budget_usd;
  if (budget <= 0 || usd_per_sqrt_year <= 0) return config_.settlement.timeout;
  const double ratio = budget / usd_per_sqrt_year;
  const double seconds = std::clamp(ratio * ratio * kSecondsPerYear, env_.home_slot.seconds(), 86'400.0);
  return core::Duration::us(static_cast<std::int64_t>(seconds * 1e6));
}

// The venue for underlying `u` with the best expected execution: cost + latency add-on.
std::size_t Broker::best_venue(protocols::AssetId u, double sigma) const {
  std::size_t best = venues_of_[u].front();
  double best_cost = 0;
  bool first = true;
  for (const std::size_t v : venues_of_[u]) {
    const Venue& venue = book_.venues()[v];
    const double t = 2.0 * venue.expected_latency.seconds() / kSecondsPerYear;
    const double cost = venue.cost_rate() + sigma * std::sqrt(t) * config_.margin.latency_z;
    if (first || cost < best_cost) {
      best = v;
      best_cost = cost;
      first = false;
    }
  }
  return best;
}

void Broker::order_queue() {
  auto by = [&](auto less) { std::stable_sort(queue_.begin(), queue_.end(), less); };
  switch (config_.settlement.ordering) {
    case SettlementOrdering::fifo:
      return;
    case SettlementOrdering::risk_first:
      return by([](const Settlement& a, const Settlement& b) { return a.risk_usd > b.risk_usd; });
    case SettlementOrdering::deadline:
      return by([](const Settlement& a, const Settlement& b) { return a.due.at < b.due.at; });
    case SettlementOrdering::netted_batch: {
      // Hold everything queued as one batch and send only the net leg per venue.
      // Withdrawals are not netted: they keep their place after the batch.
      const auto hedges_end =
          std::stable_partition(queue_.begin(), queue_.end(), [](const Settlement& s) { return !s.withdrawal; });
      std::deque<Settlement> withdrawals(std::make_move_iterator(hedges_end), std::make_move_iterator(queue_.end()));
      queue_.erase(hedges_end, queue_.end());
      if (queue_.size() < 2) {
        for (Settlement& w : withdrawals) queue_.push_back(std::move(w));
        return;
      }
      Settlement merged = queue_.front();
      std::map<std::size_t, Leg> net;
      for (const Settlement& s : queue_) {
        merged.risk_usd = std::max(merged.risk_usd, s.risk_usd);
        if (s.due.at < merged.due.at) merged.due = s.due;
        for (const Leg& l : s.legs) {
          Leg& n = net.try_emplace(l.venue, Leg{l.venue, 0, l.decision_mark}).first->second;
          n.qty_wad += l.qty_wad;
        }
      }
      merged.legs.clear();
      for (const auto& [v, l] : net) merged.legs.push_back(l);
      queue_.clear();
      queue_.push_back(std::move(merged));
      for (Settlement& w : withdrawals) queue_.push_back(std::move(w));
      return;
    }
  }
}

void Broker::dispatch() {
  if (queue_.empty()) return;
  order_queue();
  while (!queue_.empty() && inflight_ < max_inflight_) {
    Settlement s = std::move(queue_.front());
    queue_.pop_front();
    if (s.withdrawal) {
      ++inflight_;
      spawn("withdraw:" + env_.client_names[s.withdrawal->client], [this, s](core::Actor& a) { run_withdrawal(a, s); });
      continue;
    }
    // Legs netted away (netted_batch) settle at once with nothing sent.
    std::erase_if(s.legs, [](const Leg& l) { return l.qty_wad == 0; });
    if (s.legs.empty()) continue;
    for (const Leg& l : s.legs) netting_net_ += std::abs(protocols::wad_to_double(l.qty_wad)) * l.decision_mark;
    ++inflight_;
    ++sagas_.sent;
    ++sagas_.pending;
    if (observed()) note({"settlement_started", s.id, {}, std::to_string(s.legs.size()) + " leg(s)", {}, {}});
    spawn("settle:" + std::to_string(s.id), [this, s](core::Actor& a) { run_settlement(a, s); });
  }
}

void Broker::declare_insolvent() {
  if (insolvent_at_) return;
  insolvent_at_ = env_.engine->now();
  frozen_ = true;
  if (observed()) note({"insolvent", 0, {}, {}, {}, {}});
  queue_.clear();
  plan_hedges(true);  // unwind every hedge: how a broker failure reaches the venues
}

// An insolvent house's equity below 0 goes through the rest of the waterfall (its fund, the
// clients' contributions, socialised), which brings it back to 0; each slot takes what is new.
void Broker::cover_shortfall() {
  const i128 equity = house_equity_wad();
  if (equity >= 0) return;
  const core::Amount shortfall = book_.usd_wad_to_quote(-equity, Toward::ceil);
  if (shortfall <= core::Amount{}) return;
  if (!shortfall_at_) shortfall_at_ = env_.engine->now();
  book_.absorb_house_shortfall(shortfall);
}

void Broker::force_default() {
  book_.wipe_capital();
  declare_insolvent();
}

i128 Broker::house_equity_wad() const {
  return book_.house_equity_wad(Toward::floor) + issuer_equity_wad() - private_cost_wad_ - hedge_gas_wad_ + interbroker_value_wad();
}

double Broker::house_equity() const {
  return book_.capital_value() + book_.realised_value() + book_.house_unrealised() + issuer_equity() - private_cost_ - hedge_gas_usd_ +
         interbroker_value();
}

core::Amount Broker::custody(protocols::AssetId asset) const {
  return book_.ledger().balance(BrokerLedger::Key{Book::custody, 0, asset});
}

nlohmann::ordered_json Broker::waterfall_report() const {
  const WaterfallTotals& w = book_.waterfall();
  const auto usd = [this](core::Amount x) { return round6(book_.quote_to_usd(x)); };
  return {{"client_deficits_usd", usd(w.client_deficits)},
          {"house_shortfall_usd", usd(w.house_shortfall)},
          {"defaulter_margin_usd", usd(w.defaulter_margin)},
          {"defaulter_contribution_usd", usd(w.defaulter_contribution)},
          {"house_capital_usd", usd(w.house_capital)},
          {"broker_fund_usd", usd(w.broker_fund)},
          {"member_contributions_usd", usd(w.member_contributions)},
          {"socialised_usd", usd(w.socialised)},
          {"beyond_capital_usd", usd(w.beyond_capital())},
          {"capital_written_off_usd", usd(w.capital_written_off)},
          {"client_contributions_held_usd", usd(book_.client_contributions_held())}};
}

nlohmann::ordered_json Broker::report() const {
  using nlohmann::ordered_json;
  ordered_json j;
  j["name"] = config_.name;
  j["home"] = env_.home_shard_id;
  j["clients"] = book_.clients();
  j["vertically_integrated"] = config_.vertically_integrated;
  j["policy"] = {{"hedging", policy_name(config_.hedging.policy)},
                 {"privacy", privacy_name(config_.hedging.privacy)},
                 {"atomicity", atomicity_name(config_.settlement.atomicity)},
                 {"ordering", ordering_name(config_.settlement.ordering)}};
  const double equity = house_equity();
  j["capital_start"] = round6(capital_start_);
  j["capital_end"] = round6(equity);
  j["pnl"] = round6(equity - capital_start_);
  j["fees"] = round6(book_.fees_earned());
  issuer_report(j);
  double gross = 0, net = 0;
  for (std::size_t c = 0; c < book_.clients(); ++c) {
    const MarginResult& m = book_.margin(c);
    gross += m.gross;
    net += m.initial;
  }
  const MarginResult& house = book_.house_margin();
  j["margin"] = {{"gross", round6(gross)},
                 {"net", round6(net)},
                 {"efficiency", net > 0 ? round6(gross / net) : (gross > 0 ? -1.0 : 1.0)},
                 {"house_net", round6(house.initial)},
                 {"latency_addon_avg", round6(addon_samples_ ? addon_sum_ / static_cast<double>(addon_samples_) : 0.0)},
                 {"latency_addon_max", round6(addon_max_)}};
  j["orders"] = {{"filled", orders_filled_}, {"rejected", orders_rejected_}, {"crossed_units", round6(book_.crossed_units())}};
  ordered_json reasons = ordered_json::object();
  for (const auto& [r, n] : reject_reasons_) reasons[r] = n;
  j["orders"]["reject_reasons"] = reasons;
  j["hedges"] = {{"sent", sagas_.sent},
                 {"committed", sagas_.committed},
                 {"compensated", sagas_.compensated},
                 {"timed_out", sagas_.timed_out},
                 {"pending", sagas_.pending},
                 {"legs_sent", sagas_.legs_sent},
                 {"legs_filled", sagas_.legs_filled},
                 {"legs_failed", sagas_.legs_failed},
                 {"unwinds", sagas_.unwinds},
                 {"unwinds_failed", sagas_.unwinds_failed},
                 {"prepares", sagas_.prepares},
                 {"aborts", sagas_.aborts},
                 {"lock_releases", sagas_.lock_releases},
                 {"commit_resends", sagas_.commit_resends}};
  ordered_json positions = ordered_json::array();
  for (std::size_t v = 0; v < book_.venues().size(); ++v) {
    const HedgeHolding& h = book_.hedges()[v];
    positions.push_back({{"venue", book_.venues()[v].instrument},
                         {"qty", core::Amount::units(h.qty_wad).str(18)},
                         {"in_flight", core::Amount::units(h.inflight_wad).str(18)},
                         {"entry", round6(h.entry)}});
  }
  j["hedges"]["positions"] = positions;
  j["netting"] = {{"gross_notional", round6(netting_gross_)}, {"net_notional", round6(netting_net_)}};
  // Committed settlements only; a failed one is a failure (hedges.compensated), not a latency.
  j["settlement_latency_ms"] = {{"count", settlement_latency_us_.count()},
                                {"p50", static_cast<double>(settlement_latency_us_.percentile(50)) / 1000.0},
                                {"p99", static_cast<double>(settlement_latency_us_.percentile(99)) / 1000.0}};
  j["settlement"] = {{"max_inflight", max_inflight_},
                     {"timeout_ms", static_cast<double>(config_.settlement.timeout.count_us()) / 1000.0},
                     {"deadline_misses", sagas_.deadline_misses},
                     {"deadline_misses_by_cause", nlohmann::ordered_json::object()},
                     {"failed_p50_ms", static_cast<double>(failed_settlement_us_.percentile(50)) / 1000.0},
                     {"unhedged_exposure_usd_s", round6(unhedged_usd_s_)},
                     {"unhedged_peak_usd", round6(unhedged_peak_usd_)}};
  for (const auto& [cause, n] : sagas_.misses_by_cause) j["settlement"]["deadline_misses_by_cause"][cause] = n;
  j["latency_loss"] = round6(latency_loss_);
  j["slippage_paid"] = round6(slippage_);
  j["private_cost"] = round6(private_cost_);
  j["hedge_gas_usd"] = round6(hedge_gas_usd_);
  j["frontrun_loss"] = 0.0;  // measured on the chain: app/observe's FrontrunMonitor fills it in
  j["deposits"] = deposits_;
  j["withdrawals"] = {{"committed", withdrawals_committed_},
                      {"compensated", withdrawals_compensated_},
                      {"rejected", withdrawals_rejected_}};
  j["liquidations"] = liquidations_;
  // The waterfall (ClearingBook::waterfall): one set of figures for the summary, the cascade and
  // the time series. bad_debt = client deficits + the house's shortfall beyond its capital.
  j["bad_debt"] = round6(book_.bad_debt());
  j["default_fund_used"] = round6(book_.default_fund_used());
  j["socialised"] = round6(book_.socialised());
  j["shortfall"] = round6(book_.quote_to_usd(book_.waterfall().house_shortfall));
  j["waterfall"] = waterfall_report();
  j["insolvent"] = insolvent_at_.has_value();
  j["insolvent_at_s"] = insolvent_at_ ? ordered_json(insolvent_at_->count_us() / 1'000'000.0) : ordered_json(nullptr);
  if (env_.clearing_house || clearing_.payments_internal + clearing_.payments_rejected > 0) j["clearing"] = clearing_report();
  if (env_.clients_may_run || runs_.clients_ran > 0) j["runs"] = runs_report();
  if (counterparty_ || !ib_.empty()) j["interbroker"] = interbroker_report();
  j["ledger_postings"] = book_.ledger().postings();
  return j;
}

}  // namespace shardsim::broker
