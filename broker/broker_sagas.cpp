// The broker's sagas, each in its own fiber on the broker's LP: hedge settlements (optimistic,
// two-phase whose prepare votes lock what each commit touches, or yanking each venue to the broker's
// filled when others failed, venue funding and client withdrawals. A transaction a saga sends
// expires at the saga's deadline, so a timed-out leg is known never to execute later; a call
// already on its way to another shard cannot be recalled, so the saga waits for its result
// (exactly once) and counts the timeout.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "broker/broker.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {
namespace {

constexpr core::Duration kResultGrace = core::Duration::ms(1);  // local results arrive at inclusion
constexpr int kCommitResends = 3;  // two_phase / yank: commits sent again after a loss, within the locks' life

template <class Leg>
bool split_children(const std::vector<Leg>& legs) {
  for (const Leg& l : legs) {
    if (l.venue != legs.front().venue || (l.qty_wad > 0) != (legs.front().qty_wad > 0)) return false;
  }
  return legs.size() > 1;
}

}  // namespace

void Broker::spawn(std::string name, std::function<void(core::Actor&)> body) {
  env_.engine->add_actor(env_.lp, "broker:" + config_.name + ":" + name, std::move(body), env_.engine->now());
}

protocols::TxRequest Broker::cross_call(const Venue& v, std::string op, std::vector<protocols::TxArg> args,
                                        core::Amount value, std::uint8_t flags, core::SimTime expires) const {
  return cross_call_to(v.shard, v.protocol, std::move(op), std::move(args), value, flags, expires);
}

protocols::TxRequest Broker::cross_call_to(protocols::ShardId shard, std::uint32_t protocol, std::string op,
                                           std::vector<protocols::TxArg> args, core::Amount value, std::uint8_t flags,
                                           core::SimTime expires) const {
  protocols::TxRequest tx;
  tx.from = env_.account;
  tx.op = protocols::TxOp::cross_call;
  tx.to = env_.account;
  tx.to_shard = shard;
  tx.asset = env_.quote;
  tx.amount = value;
  tx.protocol = protocol;
  tx.protocol_op = std::move(op);
  tx.args = std::move(args);
  tx.flags = flags;
  tx.expires_at_us = expires.count_us();
  return tx;
}

void Broker::submit(core::Actor& self, protocols::TxRequest& tx, std::uint64_t tx_id) {
  tx.tx_id = tx_id;
  tx.notify = self.id();
  tx.submitted_at_us = self.now().count_us();
  self.send(env_.home_shard, env_.access.sample(self.rng()), tx);
}

// Sends one trade per leg and collects the outcome of each: filled (with its fill and the
// venue's mark) or failed. Legs not included on the home shard by `deadline` have expired.
// Children of a split hedge (consecutive legs on one venue) go out `split_spacing` apart. Under
// commit_reveal each leg is first a commit carrying the leg's value (id base + i); once it is
// included the reveal follows (id base + n + i) and its result is the fill. A prepare vote is
// never committed: it runs on a copy and reveals nothing, so it goes privately.
std::vector<Broker::LegResult> Broker::execute_legs(core::Actor& self, const std::vector<Leg>& legs, bool dry_run,
                                                    core::SimTime deadline, bool& timed_out) {
  const HedgePrivacy privacy = config_.hedging.privacy;
  const bool sealed = privacy == HedgePrivacy::commit_reveal && !dry_run;
  if (privacy == HedgePrivacy::private_flow) self.sleep_for(config_.hedging.private_delay);
  const bool locking = dry_run && config_.settlement.atomicity != Atomicity::optimistic;
  const bool hidden = privacy == HedgePrivacy::private_flow || (dry_run && privacy == HedgePrivacy::commit_reveal);
  const std::uint8_t flags = static_cast<std::uint8_t>((dry_run ? protocols::TxRequest::kDryRun : 0) |
                                                       (hidden ? protocols::TxRequest::kPrivate : 0) |
                                                       (locking ? lock_flags() : 0));
  const std::size_t n = legs.size();
  const std::uint64_t base = next_tx_;
  next_tx_ += sealed ? 2 * n : n;
  std::vector<core::Amount> carried(n), needed(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!dry_run && i > 0 && config_.hedging.split > 1 && legs[i].venue == legs[i - 1].venue) {
      self.sleep_for(config_.hedging.split_spacing);
    }
    protocols::TxRequest tx = leg_call(legs[i], flags, deadline, needed[i]);
    // A prepare's lock outlives the prepare phase by the commit phase and its resends; the commit
    // consumes it, an abort releases it, and it lapses if neither arrives.
    if (locking) tx.lock_until_us = lock_end(deadline).count_us();
    if (!dry_run && !needed[i].is_zero()) {
      // Quote already sitting at the venue (from a swap that reverted) pays first.
      core::Amount& idle = idle_quote_[legs[i].venue];
      const core::Amount used = std::min(idle, needed[i]);
      idle -= used;
      carried[i] = needed[i] - used;
      tx.amount = carried[i];
    } else {
      carried[i] = needed[i];
    }
    if (sealed) seal(self, tx);
    submit(self, tx, base + i);
    if (!dry_run) ++sagas_.legs_sent;
    if (!dry_run && privacy == HedgePrivacy::private_flow) {
      charge_private_fee(legs[i].qty_wad, legs[i].decision_mark);
    }
  }
  std::vector<LegResult> out(n);
  std::vector<std::uint8_t> state(n, 0);  // 0 waiting, 1 included (remote pending), 2 done
  std::size_t open = n;
  bool expired = false;
  auto done = [&](std::size_t i, core::Amount idle) {
    state[i] = 2;
    --open;
    if (!dry_run) idle_quote_[legs[i].venue] += idle;
  };
  while (open > 0) {
    if (!expired && self.now() >= deadline + kResultGrace) {
      // Past the deadline: what is not included never will be; what is in flight will report.
      expired = true;
      for (std::size_t i = 0; i < n; ++i) {
        if (state[i] == 0) {
          out[i].lost = !dry_run;  // never included: it will never run
          done(i, needed[i] - carried[i]);  // the idle part never moved
        }
      }
      if (open > 0) timed_out = true;
      if (dry_run) break;  // a prepare vote that is late is a no: abort (a dry run changed nothing)
      continue;
    }
    const std::optional<core::Message> m =
        expired ? std::optional<core::Message>(self.receive()) : self.receive_for(deadline + kResultGrace - self.now());
    if (!m) continue;
    if (!m->is<protocols::TxResult>()) continue;
    const protocols::TxResult r = m->as<protocols::TxResult>();
    if (r.tx_id < base || r.tx_id >= base + (sealed ? 2 * n : n)) continue;  // a late result of an earlier phase
    const bool reveal = r.tx_id >= base + n;
    const std::size_t i = r.tx_id - base - (reveal ? n : 0);
    if (!r.remote) charge_gas(r.fee_paid);
    if (state[i] == 2) continue;
    const bool ok = r.status == protocols::TxStatus::ok;
    if (!r.remote && reveal) {
      if (!ok) done(i, needed[i]);  // the commit carried the value: all of it waits at the venue
      continue;
    }
    if (!r.remote) {
      if (!ok) {
        out[i].lost = !dry_run && r.block_height == 0;  // refused before a block: it never ran
        done(i, needed[i] - carried[i]);
        continue;
      }
      state[i] = 1;
      if (!carried[i].is_zero()) book_.send_to_venue(legs[i].venue, carried[i]);
      if (sealed) send_reveal(self, legs[i], r.tx_id, base + n + i, deadline);
      continue;
    }
    if (sealed && !reveal) {  // the venue recorded the commitment (its reveal reports the fill)
      if (!ok) done(i, needed[i]);
      continue;
    }
    if (!ok) {
      done(i, needed[i]);  // all of it waits at the venue
      continue;
    }
    state[i] = 2;
    --open;
    if (dry_run) {
      out[i].filled = true;  // a yes vote: the venue ran the trade on a copy and reported nothing
      continue;
    }
    out[i] = leg_result(legs[i], r);
    if (!needed[i].is_zero()) idle_quote_[legs[i].venue] += needed[i] - out[i].quote_spent;
  }
  return out;
}

// USD per unit of the asset a venue's prices are in (a spot pool's quote; 1 for a USD venue).
double Broker::venue_unit_usd(const protocols::HedgeMarket& m) const {
  return m.price_asset && book_.price(*m.price_asset) > 0 ? book_.price(*m.price_asset) : 1.0;
}

// The venue's prices are in its price asset (a spot pool's quote) or USD; the broker's marks are USD.
protocols::HedgeOrder Broker::leg_order(const Leg& leg) const {
  const double unit_usd = venue_unit_usd(book_.venues()[leg.venue].hedge->market());
  return protocols::HedgeOrder{leg.qty_wad, protocols::double_to_wad(leg.decision_mark / unit_usd),
                               protocols::double_to_wad(config_.hedging.max_slippage)};
}

protocols::TxRequest Broker::leg_call(const Leg& leg, std::uint8_t flags, core::SimTime expires, core::Amount& value) const {
  const Venue& v = book_.venues()[leg.venue];
  protocols::HedgeCall c = v.hedge->call(leg_order(leg));
  value = c.value;
  return cross_call(v, std::move(c.op), std::move(c.args), value, flags, expires);
}

// The fill as the venue reads it from the call's exact outputs; a successful call whose outputs
// say nothing readable is a defect of the venue, not a market outcome.
Broker::LegResult Broker::leg_result(const Leg& leg, const protocols::TxResult& r) const {
  const Venue& v = book_.venues()[leg.venue];
  const std::optional<protocols::HedgeFill> fill = v.hedge->fill(leg_order(leg), r.outputs);
  SHARDSIM_ASSERT_MSG(fill.has_value(), "hedge venue: a filled call's outputs do not give its fill");
  const protocols::HedgeMarket& m = v.hedge->market();
  const double unit_usd = venue_unit_usd(m);
  LegResult out;
  out.filled = true;
  out.filled_wad = fill->qty_wad;
  out.quote_spent = fill->quote_spent;
  // In USD: a spot venue's quote price quantised once, as every price the book pays with.
  out.avg_wad = m.price_asset ? protocols::mul_div(fill->avg_price_wad, book_.price_wad(*m.price_asset) > 0
                                                                            ? book_.price_wad(*m.price_asset)
                                                                            : protocols::kWadUnit,
                                                   protocols::kWadUnit)
                              : fill->avg_price_wad;
  out.avg = protocols::wad_to_double(out.avg_wad);
  const double own = book_.mark(*book_.instrument_index(v.instrument));
  out.mark = fill->mark_wad ? protocols::wad_to_double(*fill->mark_wad) * unit_usd
                            : (std::isfinite(own) ? own : leg.decision_mark);
  return out;
}

// A compensation must happen: it is retried, a slot apart, until the reverse trade fills (or the
// attempts run out, which is reported as a failed unwind and leaves the leg as a hedge).
void Broker::unwind(core::Actor& self, const Leg& leg, const LegResult& filled) {
  constexpr int kAttempts = 30;
  const Leg back{leg.venue, -filled.filled_wad, filled.avg};
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) self.sleep_for(env_.home_slot);
    book_.hedge_sent(back.venue, back.qty_wad);
    bool late = false;
    const std::vector<LegResult> r = execute_legs(self, {back}, false, self.now() + config_.settlement.timeout, late);
    book_.hedge_settled_exact(back.venue, back.qty_wad, r[0].filled ? std::optional<i128>(r[0].avg_wad) : std::nullopt,
                        r[0].filled_wad);
    if (r[0].filled) {
      ++sagas_.unwinds;
      if (observed()) note({"unwind_filled", 0, book_.venues()[back.venue].instrument, "qty=" + core::Amount::units(r[0].filled_wad).str(18), {}, {}});
      return;
    }
  }
  ++sagas_.unwinds_failed;
  if (observed()) note({"unwind_failed", 0, book_.venues()[back.venue].instrument, {}, {}, {}});
}

void Broker::run_settlement(core::Actor& self, Settlement s) {
  bool timed_out = false;
  std::vector<Leg> legs = std::move(s.legs);
  auto fail_leg = [&](const Leg& l) {
    book_.hedge_settled(l.venue, l.qty_wad, std::nullopt);
    ++sagas_.legs_failed;
    if (observed()) note({"hedge_failed", s.id, book_.venues()[l.venue].instrument, "qty=" + core::Amount::units(l.qty_wad).str(18), {}, {}});
  };
  // two_phase: prepare votes lock what each commit touches; yank: they move each venue to the
  // broker's shard (no one else can use it) until the commit brings it back.
  bool aborted = false;
  const bool locking = config_.settlement.atomicity != Atomicity::optimistic;
  const core::SimTime prepare_deadline = self.now() + config_.settlement.timeout;
  if (locking) {
    ++sagas_.prepares;
    const std::vector<LegResult> votes = execute_legs(self, legs, true, prepare_deadline, timed_out);
    for (const LegResult& v : votes) aborted = aborted || !v.filled;
  }
  std::size_t filled = 0;
  if (aborted) {
    ++sagas_.aborts;
    if (observed()) note({"prepare_aborted", s.id, {}, {}, {}, {}});
    release_locks(self, legs);
    for (const Leg& l : legs) fail_leg(l);
  } else {
    std::vector<LegResult> results = execute_legs(self, legs, false, self.now() + config_.settlement.timeout, timed_out);
    // Every leg voted yes and holds its lock: a commit that never reached a block (dropped,
    // expired) is sent again while the locks last, as a two-phase coordinator does, rather than
    // unwinding the legs that committed.
    for (int resend = 0; locking && resend < kCommitResends; ++resend) {
      std::vector<std::size_t> lost;
      for (std::size_t i = 0; i < legs.size(); ++i) {
        if (results[i].lost) lost.push_back(i);
      }
      const core::SimTime deadline = self.now() + config_.settlement.timeout;
      if (lost.empty() || deadline > lock_end(prepare_deadline)) break;
      std::vector<Leg> again;
      for (const std::size_t i : lost) again.push_back(legs[i]);
      bool late = false;
      const std::vector<LegResult> retried = execute_legs(self, again, false, deadline, late);
      sagas_.commit_resends += lost.size();
      for (std::size_t k = 0; k < lost.size(); ++k) results[lost[k]] = retried[k];
    }
    for (std::size_t i = 0; i < legs.size(); ++i) {
      const Leg& l = legs[i];
      if (!results[i].filled) {
        fail_leg(l);
        continue;
      }
      ++filled;
      ++sagas_.legs_filled;
      const double q = protocols::wad_to_double(results[i].filled_wad);
      book_.hedge_settled_exact(l.venue, l.qty_wad, results[i].avg_wad, results[i].filled_wad);
      if (observed()) {
        note({"hedge_filled", s.id, book_.venues()[l.venue].instrument,
              "qty=" + core::Amount::units(results[i].filled_wad).str(18) + " avg=" + std::to_string(results[i].avg), {}, {}});
      }
      latency_loss_ += q * (results[i].mark - l.decision_mark);
      slippage_ += q * (results[i].avg - results[i].mark);
    }
    // Children of one split hedge are parts of one order, not legs of an atomic trade: the
    // filled ones stand and the unfilled rest is planned again.
    if (filled > 0 && filled < legs.size() && !split_children(legs)) {
      for (std::size_t i = 0; i < legs.size(); ++i) {
        if (results[i].filled) unwind(self, legs[i], results[i]);
      }
    }
  }
  const bool committed = filled == legs.size() && !legs.empty();
  if (committed) {
    ++sagas_.committed;
    backoff_ = {};
  } else {
    ++sagas_.compensated;
    // Back off before planning again: one slot, doubling to 64 slots while failures go on.
    backoff_ = backoff_ == core::Duration{} ? env_.home_slot : std::min(backoff_ + backoff_, env_.home_slot * 64);
    retry_after_ = self.now() + backoff_;
  }
  if (timed_out) ++sagas_.timed_out;
  if (observed()) {
    note({committed ? "settlement_committed" : "settlement_compensated", s.id, {}, timed_out ? "timed out" : "", {}, {}});
  }
  (committed ? settlement_latency_us_ : failed_settlement_us_).add((self.now() - s.created).count_us());
  --sagas_.pending;
  settlement_ended(self, s);
}

// Frees the settlement's place in flight, counts a missed deadline by its cause, and sends what
// waits.
void Broker::settlement_ended(core::Actor& self, const Settlement& s) {
  if (self.now() > s.due.at) {
    ++sagas_.deadline_misses;
    ++sagas_.misses_by_cause[s.due.cause];
  }
  --inflight_;
  dispatch();
}

// A withdrawal waits out the broker's processing delay, then queues as a settlement due at its
// promised time (`deadlines.withdrawal` after the request; none: its timeout after it queues).
void Broker::queue_withdrawal(core::Actor& self, ClientRequest q) {
  const core::SimTime requested = self.now();
  self.sleep_for(config_.limits.withdrawal_delay);
  Settlement s;
  s.id = next_settlement_++;
  s.created = self.now();
  s.due = config_.settlement.withdrawal_deadline > core::Duration{}
              ? Due{requested + config_.settlement.withdrawal_deadline, "withdrawal"}
              : Due{s.created + config_.settlement.timeout, "timeout"};
  s.withdrawal = q;
  queue_.push_back(std::move(s));
  dispatch();
}

// How long a prepare's lock lasts: its phase, then a commit phase and each of its resends.
core::SimTime Broker::lock_end(core::SimTime prepare_deadline) const {
  return prepare_deadline + config_.settlement.timeout * (1 + kCommitResends);
}

// What a prepare asks of the venue it reaches: lock the object its commit touches (two_phase) or
// take the whole venue (yank), and whether others then wait or revert.
std::uint8_t Broker::lock_flags() const {
  std::uint8_t f = config_.settlement.lock_wait ? protocols::TxRequest::kLockWait : 0;
  if (config_.settlement.atomicity == Atomicity::yank) f |= protocols::TxRequest::kYank;
  return f;
}

// A payment from the broker's main account: a transfer on its home shard, a bridge to another.
protocols::TxRequest Broker::payout(protocols::AccountId to, protocols::ShardId shard, protocols::AssetId asset,
                                    core::Amount amount, core::SimTime expires) const {
  protocols::TxRequest tx;
  tx.from = env_.account;
  tx.asset = asset;
  tx.amount = amount;
  tx.to = to;
  if (shard == env_.home_shard_id) {
    tx.op = protocols::TxOp::transfer;
  } else {
    tx.op = protocols::TxOp::bridge;
    tx.to_shard = shard;
  }
  tx.expires_at_us = expires.count_us();
  return tx;
}

// A two-phase abort: every venue the prepare reached is told to release the broker's lock (sent
// after the prepare on the same channel, so it never overtakes it), fire and forget; a lock that
// a release misses lapses at its deadline.
void Broker::release_locks(core::Actor& self, const std::vector<Leg>& legs) {
  std::vector<std::size_t> venues;
  for (const Leg& l : legs) {
    if (std::find(venues.begin(), venues.end(), l.venue) == venues.end()) venues.push_back(l.venue);
  }
  for (const std::size_t v : venues) {
    core::Amount none;
    Leg probe{v, 1, 0};
    const auto flags = static_cast<std::uint8_t>(protocols::TxRequest::kDryRun | protocols::TxRequest::kUnlock | lock_flags());
    protocols::TxRequest tx = leg_call(probe, flags, self.now() + config_.settlement.timeout, none);
    tx.amount = core::Amount{};
    tx.tx_id = next_tx_++;
    tx.notify = protocols::kNoEndpoint;
    tx.submitted_at_us = self.now().count_us();
    self.send(env_.home_shard, env_.access.sample(self.rng()), tx);
    ++sagas_.lock_releases;
  }
}

void Broker::run_withdrawal(core::Actor& self, Settlement s) {
  const ClientRequest q = *s.withdrawal;
  refresh_marks();
  const std::optional<std::string> refused =
      frozen_ ? std::optional<std::string>("broker frozen (insolvent)") : book_.reserve_withdrawal(q.client, q.asset, q.amount);
  if (refused) {
    ++withdrawals_rejected_;
    ++reject_reasons_[*refused];
    if (observed()) note({"withdrawal_rejected", q.client, env_.client_names[q.client], *refused, q.asset, q.amount});
    run_withdrawal_ended(q, false, true);
    --inflight_;  // refused, not late: no deadline to meet
    dispatch();
    return;
  }
  const core::SimTime expires = self.now() + config_.settlement.timeout;
  protocols::TxRequest tx = payout(env_.client_accounts[q.client], q.shard, q.asset, q.amount, expires);
  const bool ok = included_ok(self, tx, expires);
  if (ok) {
    book_.complete_withdrawal(q.client, q.asset, q.amount);
    ++withdrawals_committed_;
  } else {
    book_.release_withdrawal(q.client, q.asset, q.amount);
    ++withdrawals_compensated_;
  }
  run_withdrawal_ended(q, ok, false);
  if (observed()) note({ok ? "withdrawal_committed" : "withdrawal_compensated", q.client, env_.client_names[q.client], {}, q.asset, q.amount});
  settlement_ended(self, s);
}

// Retried a slot apart until the deposit is included on the home shard (a halt or dropped
// transactions must not leave a venue without margin for the whole run).
void Broker::run_venue_funding(core::Actor& self, std::size_t venue, core::Amount amount) {
  constexpr int kAttempts = 1000;
  const Venue& v = book_.venues()[venue];
  for (int attempt = 0; attempt < kAttempts && !frozen_; ++attempt) {
    if (attempt > 0) self.sleep_for(env_.home_slot);
    const core::SimTime expires = self.now() + config_.settlement.timeout;
    protocols::TxRequest tx = cross_call(v, "deposit", {protocols::TxArg{"amount", amount.str(env_.decimals[env_.quote])}},
                                         amount, 0, expires);
    if (included_ok(self, tx, expires)) {
      book_.send_to_venue(venue, amount);
      if (observed()) note({"venue_funded", venue, v.instrument, {}, env_.quote, amount});
      return;
    }
  }
}

bool Broker::included_ok(core::Actor& self, protocols::TxRequest& tx, core::SimTime expires) {
  const std::uint64_t id = next_tx_++;
  submit(self, tx, id);
  for (;;) {
    const std::optional<core::Message> m = self.receive_for(expires + kResultGrace - self.now());
    if (!m) return false;  // expired: never included
    if (!m->is<protocols::TxResult>()) continue;
    const protocols::TxResult& r = m->as<protocols::TxResult>();
    if (r.tx_id != id || r.remote) continue;  // a call's remote outcome comes later; not this one's business
    return r.status == protocols::TxStatus::ok;
  }
}

}  // namespace shardsim::broker
