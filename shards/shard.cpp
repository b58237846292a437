// Block production, transaction execution and cross-shard receipts of one shard.
#include "shards/shard.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "shards/outcome_digest.hpp"

namespace shardsim::shards {

using protocols::Receipt;
using protocols::TxOp;
using protocols::TxRequest;
using protocols::TxStatus;

namespace {
constexpr std::size_t kDeferredMax = 64;  // misfits skipped per block before the block is closed
constexpr const char* kLockedReason = "locked by a two-phase prepare";
constexpr const char* kYankedReason = "venue yanked to another shard";
const std::string kWholeVenue = "*";  // a yank's object: every operation of the protocol
}

Shard::Shard(core::Engine& engine, core::LpId lp, ShardConfig config, const core::LinkTable& links,
             const protocols::Registry& registry, std::uint64_t seed)
    : engine_(engine),
      self_(engine.add_handler(lp, *this, "shard:" + config.name)),
      config_(std::move(config)),
      links_(links),
      rng_(core::Rng::for_entity(seed, "shard:" + config_.name)),
      ledger_(registry.asset_count()),
      mempool_(config_.mempool_capacity),
      oracles_(registry.asset_count()),
      host_(ledger_, oracles_, registry) {}

std::uint32_t Shard::add_protocol(std::unique_ptr<protocols::Protocol> protocol) {
  protocols_.push_back(std::move(protocol));
  return static_cast<std::uint32_t>(protocols_.size() - 1);
}

void Shard::connect(std::vector<core::EndpointId> shard_endpoints) {
  shard_eps_ = std::move(shard_endpoints);
  channel_last_arrival_.assign(shard_eps_.size(), core::SimTime::zero());
}

void Shard::start() {
  engine_.send(self_, self_, config_.first_block() - engine_.now(), BlockTick{});
  for (std::uint32_t i = 0; i < config_.logged_faults.size(); ++i) {
    const TimeWindow& w = config_.logged_faults[i].window;
    engine_.send(self_, self_, w.start - engine_.now(), FaultEdge{i, 1});
    engine_.send(self_, self_, w.end - engine_.now(), FaultEdge{i, 0});
  }
}

void Shard::on_message(const core::Envelope& env) {
  switch (env.kind) {
    case BlockTick::kKind:
      build_block();
      engine_.send(self_, self_, config_.slot, BlockTick{});
      return;
    case TxRequest::kKind:
      admit(env.as<TxRequest>());
      return;
    case Receipt::kKind:
      arrive(Transit{env.as<Receipt>(), std::nullopt});  // senders keep channels FIFO
      return;
    case protocols::CallReceipt::kKind: {
      auto c = env.as<protocols::CallReceipt>();
      arrive(Transit{c.receipt, std::move(c.call)});
      return;
    }
    case Resend::kKind:
      resend(env.as<Resend>().receipt_id);
      return;
    case ResultHome::kKind: {
      const auto home = env.as<ResultHome>();
      engine_.send(self_, home.notify, core::kMinDelay, home.result);  // arrived: to the caller
      return;
    }
    case FaultEdge::kKind: {
      const auto edge = env.as<FaultEdge>();
      const FaultLogSpec& f = config_.logged_faults[edge.logged_index];
      fault_log_.push_back(FaultLogEntry{env.time.count_us(), f.fault_index, edge.start != 0, f.label});
      return;
    }
    default:
      SHARDSIM_ASSERT_MSG(false, "shard received a message of unknown kind");
  }
}

void Shard::ResultHome::encode(core::ByteWriter& w) const {
  w.pod(notify);
  result.encode(w);
}

Shard::ResultHome Shard::ResultHome::decode(core::ByteReader& r) {
  ResultHome h;
  h.notify = r.pod<core::EndpointId>();
  h.result = protocols::TxResult::decode(r);
  return h;
}

bool Shard::drop_submission() {
  const core::SimTime now = engine_.now();
  for (const TxDropWindow& d : config_.tx_drops) {
    if (d.window.contains(now) && rng_.bernoulli(d.probability)) return true;
  }
  return false;
}

void Shard::admit(TxRequest tx) {
  if (drop_submission()) {
    ++stats_.txs_dropped;  // lost before the mempool: no value moved, the sender times out
    engine_.fold_outcome(self_, tx_outcome_digest(tx, std::nullopt, 0, {}, {}, {}));
    lost(tx, std::nullopt);
    return;
  }
  if (mempool_.full()) {
    ++stats_.txs_refused;
    engine_.fold_outcome(self_, tx_outcome_digest(tx, TxStatus::refused_mempool_full, 0, {}, {}, {}));
    lost(tx, TxStatus::refused_mempool_full);
    notify(tx, TxStatus::refused_mempool_full, {});
    return;
  }
  const std::int64_t now_us = engine_.now().count_us();
  for (const core::EndpointId sub : subscribers_) {
    if (tx.flags & TxRequest::kPrivate) break;
    const bool local = engine_.lp_of(sub) == engine_.lp_of(self_);
    const core::Duration delay = local ? config_.mempool_observe_delay
                                       : std::max(config_.mempool_observe_delay, engine_.lookahead());
    engine_.send(self_, sub, delay, protocols::MempoolSeen{config_.id, now_us, feed_copy(tx)});
  }
  mempool_.push(std::move(tx), now_us);
  stats_.mempool_max = std::max(stats_.mempool_max, mempool_.size());
}

// What the public feed shows of `tx`: a commit's payload is a hash, unless its intent leaked.
TxRequest Shard::feed_copy(const TxRequest& tx) {
  if ((tx.flags & TxRequest::kCommit) == 0 || (tx.flags & TxRequest::kLeaked) != 0) return tx;
  TxRequest hidden = tx;
  hidden.args = {protocols::TxArg{"commitment", std::to_string(tx.tx_id)}};
  return hidden;
}

void Shard::build_block() {
  if (config_.halted_at(engine_.now())) {
    ++stats_.blocks_skipped_halted;  // no block: transactions and receipts keep queueing
    return;
  }
  ++height_;
  ++stats_.blocks;
  for (auto& p : protocols_) {
    host_.begin(engine_.now(), height_);
    p->on_block(host_);  // time-driven mechanics: accrual, funding
  }
  for (const Commitments::Due& d : commitments_.due(height_)) execute_call(d.receipt, d.call);  // reveals first
  consume_receipts();
  include_transactions();
  while (!held_for_finality_.empty() && held_for_finality_.front().release_height <= height_) {
    dispatch_receipt(held_for_finality_.front().transit);
    held_for_finality_.pop_front();
  }
}

// Takes arrived receipts in arrival order (FIFO within every channel), up to the block's quota.
void Shard::consume_receipts() {
  std::uint32_t quota = config_.receipts_per_block;
  while (quota > 0 && !inbound_.empty()) {
    const Transit t = std::move(inbound_.front());
    inbound_.pop_front();
    const Receipt& r = t.receipt;
    ledger_.receive_in(r.to, r.asset, r.amount);
    if (t.call) execute_call(r, *t.call);
    stats_.cross_shard_latency_us.add(engine_.now().count_us() - r.emitted_at_us);
    ++stats_.receipts_consumed;
    for (const ReceiptObserver& f : on_receipt_) f(r, engine_.now());
    --quota;
  }
}

void Shard::include_transactions() {
  std::uint64_t gas_left = config_.gas_per_block;
  std::vector<PendingTx> deferred, waiting;
  while (!mempool_.empty() && deferred.size() < kDeferredMax) {
    PendingTx p = mempool_.pop_best();
    if (p.tx.op == TxOp::protocol_call) {
      // Touching an object a prepare locked, or a venue yanked away, with `wait`: it stays
      // pending for a later block.
      LockTable* table = nullptr;
      const LockTable::Lock* lock = blocker(p.tx.protocol, p.tx.protocol_op, p.tx.args, p.tx.from, table);
      if (lock != nullptr && lock->wait) {
        ++table->stats().blocked_waits;
        waiting.push_back(std::move(p));
        continue;
      }
    }
    const std::uint64_t gas = config_.gas.of(p.tx.op);
    if (gas > gas_left) {
      deferred.push_back(std::move(p));
      continue;
    }
    gas_left -= execute(p, gas);
  }
  for (PendingTx& p : deferred) mempool_.reinsert(std::move(p));
  for (PendingTx& p : waiting) mempool_.reinsert(std::move(p));
  stats_.gas_utilization_sum +=
      static_cast<double>(config_.gas_per_block - gas_left) / static_cast<double>(config_.gas_per_block);
}

std::uint64_t Shard::execute(const PendingTx& pending, std::uint64_t gas) {
  const TxRequest& tx = pending.tx;
  if (tx.expires_at_us != 0 && engine_.now().count_us() > tx.expires_at_us) {
    ++stats_.txs_refused;
    engine_.fold_outcome(self_, tx_outcome_digest(tx, TxStatus::refused_expired, 0, {}, {}, {}));
    lost(tx, TxStatus::refused_expired);
    notify(tx, TxStatus::refused_expired, {});
    return 0;
  }
  core::Amount fee_paid;
  if (!charge_fee(tx, gas, fee_paid)) {
    ++stats_.txs_refused;
    engine_.fold_outcome(self_, tx_outcome_digest(tx, TxStatus::refused_fee, 0, {}, {}, {}));
    lost(tx, TxStatus::refused_fee);
    notify(tx, TxStatus::refused_fee, {});
    return 0;
  }
  std::string reason;
  outputs_.clear();
  const TxStatus status = apply(tx, reason);
  ++stats_.txs_included;
  if (status != TxStatus::ok) ++stats_.txs_reverted;
  // A ledger op (transfer, bridge) reverts without a protocol's reason: counted by its status.
  if (!reason.empty() || status != TxStatus::ok) ++stats_.revert_reasons[reason.empty() ? protocols::tx_status_text(status) : reason];
  stats_.inclusion_delay_us.add(engine_.now().count_us() - tx.submitted_at_us);
  engine_.fold_outcome(self_, tx_outcome_digest(tx, status, height_, fee_paid, reason, outputs_));
  for (const TxObserver& f : on_tx_) f(tx, status, height_);
  notify(tx, status, fee_paid, std::move(reason));
  return gas;
}

// Base fee (times any gas spike in force) is burned, the priority fee goes to the shard's
// validator. A reverted transaction still pays; one that cannot pay is refused before it touches
// any state.
bool Shard::charge_fee(const TxRequest& tx, std::uint64_t gas, core::Amount& fee_paid) {
  const core::i128 g = static_cast<core::i128>(gas);
  const core::Amount base = core::Amount::units(config_.base_fee_at(engine_.now()).raw() * g);
  const core::Amount tip = core::Amount::units(tx.priority_fee.raw() * g);
  if (base.is_zero() && tip.is_zero()) return true;
  SHARDSIM_ASSERT(config_.fee_asset.has_value());
  const protocols::AssetId fee_asset = *config_.fee_asset;
  if (ledger_.balance(tx.from, fee_asset) < base + tip) return false;
  SHARDSIM_ASSERT(ledger_.burn(tx.from, fee_asset, base));
  SHARDSIM_ASSERT(ledger_.transfer(tx.from, config_.validator, fee_asset, tip));
  fee_paid = base + tip;
  return true;
}

TxStatus Shard::apply(const TxRequest& tx, std::string& reason) {
  switch (tx.op) {
    case TxOp::transfer:
      if (tx.amount <= core::Amount{} || tx.asset >= ledger_.asset_count()) return TxStatus::reverted_invalid;
      return ledger_.transfer(tx.from, tx.to, tx.asset, tx.amount) ? TxStatus::ok
                                                                     : TxStatus::reverted_insufficient_balance;
    case TxOp::bridge:
      if (tx.amount <= core::Amount{} || tx.to_shard == config_.id || tx.to_shard >= shard_eps_.size() ||
          tx.asset >= ledger_.asset_count()) {
        return TxStatus::reverted_invalid;
      }
      if (!ledger_.send_out(tx.from, tx.asset, tx.amount)) return TxStatus::reverted_insufficient_balance;
      emit_receipt(tx);
      return TxStatus::ok;
    case TxOp::oracle_update:
      if (tx.asset >= oracles_.size() || tx.price_wad <= 0) return TxStatus::reverted_invalid;
      oracles_[tx.asset] = OracleValue{tx.price_wad, engine_.now().count_us(), oracles_[tx.asset].round + 1};
      ++stats_.oracle_updates;
      return TxStatus::ok;
    case TxOp::protocol_call:
      return apply_protocol(tx, reason);
    case TxOp::cross_call:
      // A call to this shard's own protocols (a broker homed beside its venues) takes the same
      // path with no link: the receipt arrives at once and the call runs after this block.
      if (tx.to_shard >= shard_eps_.size() || tx.amount < core::Amount{} || tx.asset >= ledger_.asset_count()) {
        return TxStatus::reverted_invalid;
      }
      if (!ledger_.send_out(tx.from, tx.asset, tx.amount)) return TxStatus::reverted_insufficient_balance;
      emit_receipt(tx);
      return TxStatus::ok;
  }
  return TxStatus::reverted_invalid;
}

// A protocol operation runs against the journalled host; a revert (or an arithmetic overflow,
// which a contract would also revert on) undoes every ledger change it made.
TxStatus Shard::apply_protocol(const TxRequest& tx, std::string& reason) {
  if (tx.protocol >= protocols_.size()) {
    reason = "unknown protocol";
    return TxStatus::reverted_protocol;
  }
  LockTable* table = nullptr;
  if (blocker(tx.protocol, tx.protocol_op, tx.args, tx.from, table) != nullptr) {
    ++table->stats().blocked_reverted;
    reason = table == &yanks_ ? kYankedReason : kLockedReason;
    return TxStatus::reverted_protocol;
  }
  host_.begin(engine_.now(), height_);
  protocols::OpResult result =
      protocols::execute(*protocols_[tx.protocol], host_, tx.from, tx.protocol_op, protocols::OpArgs(tx.args));
  if (result.ok) {
    outputs_ = std::move(result.outputs);
    if (tx.protocol_op == "liquidate") ++stats_.liquidations[protocols_[tx.protocol]->name()];
    op_ran({tx.protocol, tx.from, tx.protocol_op, tx.args, TxStatus::ok, outputs_, false});
    return TxStatus::ok;
  }
  host_.rollback();
  reason = result.reason.empty() ? "reverted" : result.reason;
  op_ran({tx.protocol, tx.from, tx.protocol_op, tx.args, TxStatus::reverted_protocol, outputs_, false});
  return TxStatus::reverted_protocol;
}

void Shard::emit_receipt(const TxRequest& tx) {
  Receipt r;
  SHARDSIM_ASSERT_MSG(next_receipt_ < (1ULL << 40), "receipt id: the per-shard counter overflows its 40 bits");
  r.receipt_id = (static_cast<std::uint64_t>(config_.id) << 40) | next_receipt_++;
  r.src = config_.id;
  r.dst = tx.to_shard;
  r.src_height = height_;
  r.emitted_at_us = engine_.now().count_us();
  r.to = tx.to;
  r.asset = tx.asset;
  r.amount = tx.amount;
  ++stats_.receipts_emitted;
  Transit t{r, std::nullopt};
  if (tx.op == TxOp::cross_call) {
    t.call = protocols::CrossCall{tx.from,   tx.protocol,        tx.protocol_op, tx.args, tx.notify,
                                  tx.tx_id, tx.submitted_at_us, tx.flags,       tx.lock_until_us};
  }
  if (config_.receipts_finalized) {
    held_for_finality_.push_back(HeldReceipt{height_ + config_.finality_blocks, std::move(t)});
  } else {
    dispatch_receipt(t);
  }
}

// A call executes on arrival, as its sender, against the journalled host; the outcome goes to
// the submitter over the channel back (the value already credited stays here either way: undoing
// a failed leg is the caller's saga's business).
void Shard::execute_call(const Receipt& r, const protocols::CrossCall& call) {
  if (call.flags & (TxRequest::kCommit | TxRequest::kReveal)) return commit_or_reveal(r, call);
  std::string reason;
  std::vector<protocols::TxOutput> outputs;
  const TxStatus status = run_call(call, reason, outputs);
  finish_call(r, call, status, std::move(reason), std::move(outputs));
}

// A commit is recorded (its result says only that); a reveal runs its stored call now if the
// commitment is mature, else at the start of its maturity block; a bad one reverts.
void Shard::commit_or_reveal(const Receipt& r, const protocols::CrossCall& call) {
  std::optional<std::string> bad;
  if (call.flags & TxRequest::kCommit) {
    bad = commitments_.commit(call, height_);
  } else {
    std::optional<Commitments::Due> now;
    bad = commitments_.reveal(r, call, height_, now);
    if (now) return execute_call(now->receipt, now->call);
    if (!bad) return;  // held
  }
  finish_call(r, call, bad ? TxStatus::reverted_protocol : TxStatus::ok, bad.value_or(""), {});
}

void Shard::finish_call(const Receipt& r, const protocols::CrossCall& call, TxStatus status, std::string reason,
                        std::vector<protocols::TxOutput> outputs) {
  if (!reason.empty()) ++stats_.revert_reasons[reason];
  ++stats_.calls_executed;
  engine_.fold_outcome(self_, call_outcome_digest(r, call, status, height_, reason, outputs));
  for (const CallObserver& f : on_call_) f(r, call, status, outputs);
  if (call.notify == protocols::kNoEndpoint) return;
  protocols::TxResult res;
  res.tx_id = call.tx_id;
  res.status = status;
  res.block_height = height_;
  res.included_at_us = engine_.now().count_us();
  res.submitted_at_us = call.submitted_at_us;
  res.reason = std::move(reason);
  res.remote = true;
  res.outputs = std::move(outputs);
  send_result_home(r.src, call.notify, res);
}

std::optional<LockTable::Object> Shard::lock_object(std::uint32_t protocol, std::string_view op,
                                                   const std::vector<protocols::TxArg>& args) const {
  if (protocol >= protocols_.size()) return std::nullopt;
  std::optional<std::string> object = protocols_[protocol]->lock_object(op, protocols::OpArgs(args));
  if (!object) return std::nullopt;
  return LockTable::Object{protocol, std::move(*object)};
}

// What stops `from` running `op` on protocol `protocol` now: the venue yanked away (every op), or
// a prepare's lock on the object the op touches; `table` says which.
const LockTable::Lock* Shard::blocker(std::uint32_t protocol, std::string_view op, const std::vector<protocols::TxArg>& args,
                                      protocols::AccountId from, LockTable*& table) {
  if (!locks_.any() && !yanks_.any()) return nullptr;  // the usual case: nothing to look up
  const core::SimTime now = engine_.now();
  if (const LockTable::Lock* y = yanks_.blocking(LockTable::Object{protocol, kWholeVenue}, from, now)) {
    table = &yanks_;
    return y;
  }
  const std::optional<LockTable::Object> object = lock_object(protocol, op, args);
  const LockTable::Lock* l = object ? locks_.blocking(*object, from, now) : nullptr;
  table = &locks_;
  return l;
}

// A prepare vote (kDryRun) runs on a copy of the protocol, so that nothing of it survives, and on
// success locks the object the commit will touch when it asks to; the holder's commit consumes
// its lock, its release (kUnlock) frees it; anyone else touching a locked object reverts (a call
// cannot wait: its value has already arrived).
TxStatus Shard::run_call(const protocols::CrossCall& call, std::string& reason, std::vector<protocols::TxOutput>& outputs) {
  if (call.protocol >= protocols_.size()) {
    reason = "unknown protocol";
    return TxStatus::reverted_protocol;
  }
  const core::SimTime now = engine_.now();
  const bool yank = (call.flags & TxRequest::kYank) != 0;
  // What this call's own lock is on: a yank takes the whole venue, a prepare the object its op
  // touches (looked up only when the call takes or releases a lock).
  auto own_object = [&]() -> std::optional<LockTable::Object> {
    if (yank) return LockTable::Object{call.protocol, kWholeVenue};
    return lock_object(call.protocol, call.op, call.args);
  };
  LockTable& own = yank ? yanks_ : locks_;
  if ((call.flags & TxRequest::kUnlock) != 0) {
    if (const auto object = own_object()) own.end(*object, call.from, now, false);
    return TxStatus::ok;
  }
  LockTable* table = nullptr;
  if (blocker(call.protocol, call.op, call.args, call.from, table) != nullptr) {
    ++((call.flags & TxRequest::kDryRun) != 0 ? table->stats().refused : table->stats().blocked_reverted);
    reason = table == &yanks_ ? kYankedReason : kLockedReason;
    return TxStatus::reverted_protocol;
  }
  host_.begin(now, height_);
  const bool dry_run = (call.flags & TxRequest::kDryRun) != 0;
  std::unique_ptr<protocols::Protocol> trial = dry_run ? protocols_[call.protocol]->clone() : nullptr;
  protocols::Protocol& target = dry_run ? *trial : *protocols_[call.protocol];
  protocols::OpResult result = protocols::execute(target, host_, call.from, call.op, protocols::OpArgs(call.args));
  TxStatus status = TxStatus::ok;
  if (!result.ok) {
    host_.rollback();
    status = TxStatus::reverted_protocol;
    reason = result.reason.empty() ? "reverted" : result.reason;
  } else if (dry_run) {
    host_.rollback();  // a prepare vote: it would succeed; the ledger is as before, the clone dropped
    const std::optional<LockTable::Object> object = call.lock_until_us > now.count_us() ? own_object() : std::nullopt;
    if (object && !own.take(*object, call.from, now, core::SimTime::from_us(call.lock_until_us),
                            (call.flags & TxRequest::kLockWait) != 0)) {
      status = TxStatus::reverted_protocol;
      reason = yank ? kYankedReason : kLockedReason;
    }
  } else {
    outputs = std::move(result.outputs);
    if (call.op == "liquidate") ++stats_.liquidations[protocols_[call.protocol]->name()];
  }
  if (!dry_run) {
    // The commit consumes its lock; a yanked venue's state comes back with it.
    if (yanks_.any()) yanks_.end(LockTable::Object{call.protocol, kWholeVenue}, call.from, now, true);
    if (locks_.any()) {
      if (const auto touched = lock_object(call.protocol, call.op, call.args)) locks_.end(*touched, call.from, now, true);
    }
    op_ran({call.protocol, call.from, call.op, call.args, status, outputs, true});
  }
  return status;
}

// A call's result rides the channel back to the calling shard like any receipt (FIFO, latency
// spikes, partitions) and reaches `notify` when it arrives there: directly at that time when
// `notify` lives on the calling shard's LP, else handed on by the calling shard.
void Shard::send_result_home(protocols::ShardId src, core::EndpointId notify, const protocols::TxResult& res) {
  const core::Duration delay = channel_arrival(src) - engine_.now();
  if (engine_.lp_of(notify) == engine_.lp_of(shard_eps_[src])) {
    engine_.send(self_, notify, delay, res);
  } else {
    engine_.send(self_, shard_eps_[src], delay, ResultHome{notify, res});
  }
}

// Sends a receipt over its channel. Under a receipt_drop fault the sender awaits an
// acknowledgement: a transmission lost, or one arriving later than the timeout (so that its
// acknowledgement cannot beat it), is sent again when the timeout fires, the timeout doubling with
// every resend; the receiver drops the copy it has already seen.
void Shard::dispatch_receipt(const Transit& t, std::uint32_t resends) {
  const Receipt& r = t.receipt;
  const bool guarded = std::any_of(config_.receipt_drops.begin(), config_.receipt_drops.end(),
                                   [&](const ReceiptDropWindow& d) { return d.to == r.dst && d.window.contains(engine_.now()); });
  const bool lost = guarded && drop_receipt(r.dst);
  bool late = false;
  if (lost) {
    ++stats_.receipts_dropped;
  } else {
    const core::Duration delay = channel_arrival(r.dst) - engine_.now();
    late = guarded && delay > resend_timeout(r.dst, resends);
    if (t.call) {
      engine_.send(self_, shard_eps_[r.dst], delay, protocols::CallReceipt{r, *t.call});
    } else {
      engine_.send(self_, shard_eps_[r.dst], delay, r);
    }
  }
  if (!lost && !late) return;
  awaiting_resend_.insert_or_assign(r.receipt_id, Unacknowledged{t, resends});
  engine_.send(self_, self_, resend_timeout(r.dst, resends), Resend{r.receipt_id});
}

bool Shard::drop_receipt(protocols::ShardId dst) {
  bool lost = false;
  for (const ReceiptDropWindow& d : config_.receipt_drops) {
    if (d.to == dst && d.window.contains(engine_.now()) && rng_.bernoulli(d.rate)) lost = true;
  }
  return lost;
}

// The retransmission timeout: one expected round trip on the link, doubled for every resend
// before (exponential backoff, up to 64 round trips).
core::Duration Shard::resend_timeout(protocols::ShardId dst, std::uint32_t resends) const {
  constexpr std::uint32_t kMaxDoublings = 6;
  const core::Duration one_way = links_.get(config_.id, dst).mean_estimate();
  const core::Duration round_trip = std::max(one_way + one_way, engine_.lookahead());
  return core::Duration::us(round_trip.count_us() << std::min(resends, kMaxDoublings));
}

void Shard::resend(std::uint64_t receipt_id) {
  const auto it = awaiting_resend_.find(receipt_id);
  SHARDSIM_ASSERT_MSG(it != awaiting_resend_.end(), "resend of a receipt that is not awaiting one");
  const Unacknowledged u = std::move(it->second);
  awaiting_resend_.erase(it);
  ++stats_.receipts_resent;
  dispatch_receipt(u.transit, u.resends + 1);
}

void Shard::arrive(Transit t) {
  if (config_.dedup_receipts && !seen_receipts_.insert(t.receipt.receipt_id).second) {
    ++stats_.receipts_duplicate;  // a resent copy of a receipt already here: credited once
    return;
  }
  inbound_.push_back(std::move(t));
}

// Link latency, then fault adjustments, then never before an earlier message of the same channel
// (FIFO).
core::SimTime Shard::channel_arrival(protocols::ShardId dst) {
  const core::Duration latency = dst == config_.id ? core::Duration{} : links_.get(config_.id, dst).sample(rng_);
  const core::SimTime arrival = std::max(arrival_with_faults(dst, latency), channel_last_arrival_[dst]);
  channel_last_arrival_[dst] = arrival;
  return arrival;
}

core::SimTime Shard::arrival_with_faults(protocols::ShardId dst, core::Duration latency) const {
  const core::SimTime now = engine_.now();
  for (const LatencySpikeWindow& s : config_.latency_spikes) {
    if (s.to == dst && s.window.contains(now)) {
      latency = core::Duration::us(static_cast<std::int64_t>(static_cast<double>(latency.count_us()) * s.factor)) + s.add;
    }
  }
  core::SimTime arrival = now + latency;
  // A partition separating the two shards pauses the receipt for as long as it overlaps.
  for (const PartitionWindow& p : config_.partitions) {
    if (p.group_of_shard[config_.id] == p.group_of_shard[dst]) continue;
    if (p.window.end <= now || p.window.start >= arrival) continue;
    arrival = arrival + (p.window.end - std::max(now, p.window.start));
  }
  return arrival;
}

void Shard::notify(const TxRequest& tx, TxStatus status, core::Amount fee_paid, std::string reason) {
  if (tx.notify == protocols::kNoEndpoint) return;
  protocols::TxResult res;
  res.tx_id = tx.tx_id;
  res.status = status;
  const bool included = status != TxStatus::refused_fee && status != TxStatus::refused_mempool_full &&
                        status != TxStatus::refused_expired;
  res.block_height = included ? height_ : 0;
  res.included_at_us = included ? engine_.now().count_us() : 0;
  res.submitted_at_us = tx.submitted_at_us;
  res.fee_paid = fee_paid;
  res.reason = std::move(reason);
  if (status == TxStatus::ok) res.outputs = std::move(outputs_);
  engine_.send(self_, tx.notify, core::kMinDelay, res);
}

}  // namespace shardsim::shards
