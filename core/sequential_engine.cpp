// The single-threaded engine: event loop, message delivery, and fiber switching for actors.
#include "core/sequential_engine.hpp"

#include <boost/fiber/all.hpp>
#include <cstring>
#include <sstream>

#include "core/actor.hpp"
#include "core/assert.hpp"
#include "core/fingerprint.hpp"
#include "core/rng.hpp"

namespace shardsim::core {

struct SequentialEngine::ActorSlot {
  enum class State : std::uint8_t { pending, running, waiting, done };
  enum class Wait : std::uint8_t { none, sleep, receive, call };
  EndpointId ep = 0;
  ActorBody body;
  std::unique_ptr<Actor> facade;
  boost::fibers::context* ctx = nullptr;
  StackBounds stack;
  State state = State::pending;
  Wait wait = Wait::none;
  std::uint64_t wait_token = 0;  // the timer that ends the current wait (0: none)
  std::uint64_t wait_call = 0;   // the call whose reply ends the current wait
  std::uint64_t next_token = 0;
  std::uint64_t next_call = 0;
  bool timed_out = false;
  bool cancel = false;
  std::deque<Message> mailbox;
  std::optional<Message> reply;
};

namespace {
// The fields an Envelope and a Message share, read off the event (and the call header at the
// front of the payload of calls and replies).
template <class M>
void fill_header(M& m, const Event& e, SimTime now, std::span<const std::byte> bytes) {
  m.time = now;
  m.dst = e.dst;
  m.src_lp = e.source_lp();
  m.kind = e.kind & kKindMask;
  m.is_call = (e.kind & kCallFlag) != 0;
  m.is_reply = (e.kind & kReplyFlag) != 0;
  if (m.is_call || m.is_reply) {
    std::memcpy(&m.call.call_id, bytes.data(), 8);
    std::memcpy(&m.call.reply_to, bytes.data() + 8, 4);
  }
}
}  // namespace

std::unique_ptr<Engine> make_sequential_engine(const EngineConfig& config) {
  return std::make_unique<SequentialEngine>(config);
}

SequentialEngine::SequentialEngine(const EngineConfig& config)
    : config_(config), stack_pool_(std::make_shared<StackPool>(config.limits.fiber_stack_bytes)) {
  run_context().seed = config_.seed;
  run_context().now_us = 0;
  SHARDSIM_ASSERT(config_.lookahead > Duration{});
}

SequentialEngine::~SequentialEngine() { cancel_actors(); }

LpId SequentialEngine::add_lp(std::string name) {
  SHARDSIM_ASSERT(lp_names_.size() < kMaxLps);
  lp_names_.push_back(std::move(name));
  lp_seq_.push_back(0);
  lp_hash_.push_back(fingerprint_seed(static_cast<LpId>(lp_names_.size() - 1)));
  return static_cast<LpId>(lp_names_.size() - 1);
}

EndpointId SequentialEngine::add_handler(LpId lp, Handler& handler, std::string name) {
  SHARDSIM_ASSERT(lp < lp_names_.size());
  endpoints_.push_back(EndpointSlot{lp, &handler, nullptr, std::move(name)});
  return static_cast<EndpointId>(endpoints_.size() - 1);
}

EndpointId SequentialEngine::add_actor(LpId lp, std::string name, ActorBody body, SimTime start) {
  SHARDSIM_ASSERT(lp < lp_names_.size());
  const auto ep = static_cast<EndpointId>(endpoints_.size());
  auto slot = std::make_unique<ActorSlot>();
  slot->ep = ep;
  slot->body = std::move(body);
  slot->facade = std::make_unique<Actor>(*this, ep, Rng::for_entity(config_.seed, "actor:" + name));
  endpoints_.push_back(EndpointSlot{lp, nullptr, slot.get(), std::move(name)});
  actors_.push_back(std::move(slot));
  push_event(lp, ep, std::max(start, now_), kKindStart, {}, {});
  return ep;
}

Duration SequentialEngine::resolve_delay(EndpointId from, EndpointId to, Duration delay) const {
  const bool cross_lp = endpoints_[from].lp != endpoints_[to].lp;
  if (delay == kMinDelay) return cross_lp ? config_.lookahead : Duration{};
  SHARDSIM_ASSERT_MSG(delay >= Duration{}, "negative message delay");
  SHARDSIM_ASSERT_MSG(!cross_lp || delay >= config_.lookahead, "cross-LP message faster than the lookahead");
  return delay;
}

void SequentialEngine::send_bytes(EndpointId from, EndpointId to, Duration delay, MsgKind kind,
                                  std::span<const std::byte> payload) {
  SHARDSIM_ASSERT(from < endpoints_.size());
  SHARDSIM_ASSERT(to < endpoints_.size());
  SHARDSIM_ASSERT((kind & ~kKindMask) == 0);
  push_event(endpoints_[from].lp, to, now_ + resolve_delay(from, to, delay), kind, {}, payload);
}

void SequentialEngine::send_reply_bytes(EndpointId from, const CallHeader& to_call, Duration delay, MsgKind kind,
                                        std::span<const std::byte> payload) {
  SHARDSIM_ASSERT(to_call.reply_to < endpoints_.size());
  std::byte head[kCallHeaderBytes];
  std::memcpy(head, &to_call.call_id, 8);
  std::memcpy(head + 8, &to_call.reply_to, 4);
  push_event(endpoints_[from].lp, to_call.reply_to, now_ + resolve_delay(from, to_call.reply_to, delay),
             static_cast<MsgKind>(kind | kReplyFlag), head, payload);
}

void SequentialEngine::push_event(LpId src_lp, EndpointId dst, SimTime at, MsgKind kind,
                                  std::span<const std::byte> head, std::span<const std::byte> body) {
  if (events_.size() >= config_.limits.max_pending_events) {
    limit_exceeded("pending events reached limits.max_pending_events = " +
                   std::to_string(config_.limits.max_pending_events));
  }
  Event e;
  e.time_us = at.count_us();
  e.order = make_order(src_lp, lp_seq_[src_lp]++);
  e.dst = dst;
  e.kind = kind;
  const std::size_t size = head.size() + body.size();
  SHARDSIM_ASSERT_MSG(size <= 0xFFFF, "message payload over 64 KiB");
  e.size = static_cast<std::uint16_t>(size);
  if (size <= kInlinePayloadBytes) {
    if (!body.empty()) std::memcpy(&e.word, body.data(), body.size());
  } else {
    e.word = arena_.store(head, body);
  }
  events_.push(e);
}

RunStats SequentialEngine::run(SimTime until) {
  RunContext& rc = run_context();
  rc.seed = config_.seed;
  rc.active = true;
  main_ctx_ = boost::fibers::context::active();
  stats_.interrupted = false;
  while (!events_.empty()) {
    const Event& top = events_.top();
    if (top.time_us >= until.count_us()) break;
    const Event e = top;
    events_.pop();
    now_ = SimTime::from_us(e.time_us);
    rc.now_us = e.time_us;
    if (++stats_.events > config_.limits.max_events && config_.limits.max_events != 0) {
      limit_exceeded("processed events reached limits.max_events = " + std::to_string(config_.limits.max_events));
    }
    dispatch(e);
    if ((stats_.events & 1023) == 0) {
      if (stop_requested_.load(std::memory_order_relaxed)) {
        stats_.interrupted = true;
        break;
      }
      if ((stats_.events & 16383) == 0 && progress_hook_) [[unlikely]] progress_hook_(now_, stats_.events);
    }
  }
  if (!stats_.interrupted && now_ < until) now_ = until;
  stats_.end_time = now_;
  return stats_;
}

// Out of line and cold: with no observer the hot loop only pays for the emptiness check.
void SequentialEngine::notify_observers(const Event& e, std::span<const std::byte> bytes) {
  Envelope env;
  fill_header(env, e, now_, bytes);
  env.payload = env.is_call || env.is_reply ? bytes.subspan(kCallHeaderBytes) : bytes;
  for (const MessageObserver& f : observers_) f(env);
}

void SequentialEngine::dispatch(const Event& e) {
  const EndpointSlot& ep = endpoints_[e.dst];
  const bool inline_payload = e.size <= kInlinePayloadBytes;
  const std::span<const std::byte> bytes =
      inline_payload ? std::span<const std::byte>(reinterpret_cast<const std::byte*>(&e.word), e.size)
                     : arena_.get(static_cast<std::uint32_t>(e.word), e.size);
  lp_hash_[ep.lp] = fingerprint_fold(lp_hash_[ep.lp], e, inline_payload ? e.word : payload_digest(bytes.data(), bytes.size()));
  if (e.kind != kKindStart && e.kind != kKindTimer) {
    ++stats_.messages;
    if (!observers_.empty()) [[unlikely]] notify_observers(e, bytes);
  }
  if (ep.handler != nullptr) {
    Envelope env;
    fill_header(env, e, now_, bytes);
    env.payload = env.is_call || env.is_reply ? bytes.subspan(kCallHeaderBytes) : bytes;
    ep.handler->on_message(env);
    if (!inline_payload) arena_.release(static_cast<std::uint32_t>(e.word));
    return;
  }
  deliver_to_actor(*ep.actor, e, bytes);
}

void SequentialEngine::deliver_to_actor(ActorSlot& a, const Event& e, std::span<const std::byte> bytes) {
  using State = ActorSlot::State;
  using Wait = ActorSlot::Wait;
  if (e.kind == kKindStart) {
    start_actor(a);
    return;
  }
  if (e.kind == kKindTimer) {
    if (a.state == State::waiting && e.word == a.wait_token) {
      if (a.wait == Wait::call) {
        --inflight_calls_;
        ++stats_.call_timeouts;
      }
      a.timed_out = true;
      switch_to(a);
    }
    return;  // a timer whose wait already ended
  }
  Message m;
  fill_header(m, e, now_, bytes);
  if (e.size <= kInlinePayloadBytes) {
    m.payload.assign(bytes.begin(), bytes.end());
  } else {
    m.payload = arena_.take(static_cast<std::uint32_t>(e.word), e.size);
  }
  if (m.is_call || m.is_reply) m.payload.erase(m.payload.begin(), m.payload.begin() + kCallHeaderBytes);
  if (a.state == State::done) return;
  if (m.is_reply) {
    if (a.state == State::waiting && a.wait == Wait::call && m.call.call_id == a.wait_call) {
      --inflight_calls_;
      a.reply = std::move(m);
      a.timed_out = false;
      switch_to(a);
    } else {
      ++stats_.late_replies;
    }
    return;
  }
  a.mailbox.push_back(std::move(m));
  if (a.state == State::waiting && a.wait == Wait::receive) {
    a.timed_out = false;
    switch_to(a);
  }
}

// --- fibers -------------------------------------------------------------------------------
// Exactly one of {engine loop, one actor} runs at a time. The engine resumes an actor directly
// (context::resume, no ready queue, no channel), and the actor hands control straight back when
// it waits. Only a fiber's first start and its end pass through the Boost.Fiber scheduler.

void SequentialEngine::start_actor(ActorSlot& a) {
  boost::fibers::fiber f(std::allocator_arg, PooledStackAllocator(stack_pool_), [this, &a] { fiber_main(a); });
  a.stack = stack_pool_->last_allocated();
  f.detach();
  current_ = &a;
  a.state = ActorSlot::State::running;
  void* fake_stack = asan_start_switch(a.stack);
  main_ctx_->suspend();  // the new fiber is the only ready one: it runs until it first waits
  asan_finish_switch(fake_stack, nullptr);
  current_ = nullptr;
  if (fiber_error_) std::rethrow_exception(std::exchange(fiber_error_, nullptr));
}

void SequentialEngine::fiber_main(ActorSlot& a) {
  asan_finish_switch(nullptr, &main_stack_);
  a.ctx = boost::fibers::context::active();
  try {
    a.body(*a.facade);
  } catch (const ActorCancelled&) {
  } catch (...) {
    fiber_error_ = std::current_exception();
  }
  a.state = ActorSlot::State::done;
  a.mailbox.clear();
  current_ = nullptr;
  boost::fibers::context::active()->schedule(main_ctx_);  // ending the fiber switches to the engine
  // Not ASan's `leaving for good` form (null handle): with detect_stack_use_after_return it frees
  // fake frames this function still returns through. An ended fiber's fake stack is left behind.
  asan_start_switch(main_stack_);
}

void SequentialEngine::switch_to(ActorSlot& a) {
  current_ = &a;
  a.state = ActorSlot::State::running;
  void* fake_stack = asan_start_switch(a.stack);
  a.ctx->resume();
  asan_finish_switch(fake_stack, nullptr);
  current_ = nullptr;
  if (fiber_error_) std::rethrow_exception(std::exchange(fiber_error_, nullptr));
}

void SequentialEngine::block(ActorSlot& a) {
  SHARDSIM_ASSERT_MSG(current_ == &a, "an actor may only wait on its own fiber");
  a.state = ActorSlot::State::waiting;
  void* fake_stack = asan_start_switch(main_stack_);
  main_ctx_->resume();
  asan_finish_switch(fake_stack, nullptr);
  a.wait = ActorSlot::Wait::none;
  a.wait_token = 0;
  if (a.cancel) throw ActorCancelled{};
}

void SequentialEngine::cancel_actors() {
  if (main_ctx_ == nullptr) return;
  for (auto& a : actors_) {
    if (a->state != ActorSlot::State::waiting) continue;
    a->cancel = true;
    switch_to(*a);
  }
}

SequentialEngine::ActorSlot& SequentialEngine::self_actor(EndpointId self) {
  SHARDSIM_ASSERT(self < endpoints_.size());
  ActorSlot* a = endpoints_[self].actor;
  SHARDSIM_ASSERT_MSG(a != nullptr && a == current_, "actor API called outside the actor's own fiber");
  return *a;
}

void SequentialEngine::schedule_timer(ActorSlot& a, SimTime at, std::uint64_t token) {
  const std::span<const std::byte> word(reinterpret_cast<const std::byte*>(&token), sizeof(token));
  push_event(endpoints_[a.ep].lp, a.ep, std::max(at, now_), kKindTimer, {}, word);
}

std::uint64_t SequentialEngine::actor_sleep_until(EndpointId self, SimTime t) {
  ActorSlot& a = self_actor(self);
  a.wait = ActorSlot::Wait::sleep;
  a.wait_token = ++a.next_token;
  schedule_timer(a, t, a.wait_token);
  block(a);
  return now_.count_us();
}

Message SequentialEngine::actor_receive(EndpointId self, SimTime deadline, bool& timed_out) {
  ActorSlot& a = self_actor(self);
  timed_out = false;
  if (a.mailbox.empty()) {
    a.wait = ActorSlot::Wait::receive;
    a.timed_out = false;
    if (deadline != SimTime::max()) {
      a.wait_token = ++a.next_token;
      schedule_timer(a, deadline, a.wait_token);
    }
    block(a);
    if (a.timed_out) {
      timed_out = true;
      return Message{};
    }
  }
  Message m = std::move(a.mailbox.front());
  a.mailbox.pop_front();
  return m;
}

std::optional<Message> SequentialEngine::actor_call(EndpointId self, EndpointId dst, Duration delay, MsgKind kind,
                                                    std::span<const std::byte> payload, Duration timeout) {
  ActorSlot& a = self_actor(self);
  SHARDSIM_ASSERT(dst < endpoints_.size());
  if (inflight_calls_ >= config_.limits.max_inflight_calls) {
    limit_exceeded("in-flight calls reached limits.max_inflight_calls = " +
                   std::to_string(config_.limits.max_inflight_calls));
  }
  // Call ids are per actor, so they do not depend on how LPs are spread over workers.
  const std::uint64_t call_id = (static_cast<std::uint64_t>(self) << 32) | ++a.next_call;
  std::byte head[kCallHeaderBytes];
  std::memcpy(head, &call_id, 8);
  std::memcpy(head + 8, &self, 4);
  push_event(endpoints_[self].lp, dst, now_ + resolve_delay(self, dst, delay),
             static_cast<MsgKind>(kind | kCallFlag), head, payload);
  ++inflight_calls_;
  a.wait = ActorSlot::Wait::call;
  a.wait_call = call_id;
  a.timed_out = false;
  a.wait_token = ++a.next_token;
  schedule_timer(a, now_ + timeout, a.wait_token);
  block(a);
  if (a.timed_out) return std::nullopt;
  std::optional<Message> out = std::move(a.reply);
  a.reply.reset();
  return out;
}

void SequentialEngine::fold_outcome(EndpointId self, std::uint64_t outcome_digest) {
  std::uint64_t& h = lp_hash_[endpoints_[self].lp];
  h = fingerprint_fold_outcome(h, outcome_digest);
}

std::uint64_t SequentialEngine::fingerprint() const {
  std::uint64_t h = fingerprint_seed(static_cast<LpId>(lp_hash_.size()));
  for (const std::uint64_t lp_h : lp_hash_) h = fingerprint_combine(h, lp_h);
  return h;
}

void SequentialEngine::limit_exceeded(const std::string& what) const {
  std::ostringstream os;
  os << "limit exceeded: " << what << " at sim_time=" << now_.str() << " (seed=" << config_.seed
     << "); raise it under `limits:` in the topology if the run is meant to be this large";
  throw LimitExceeded(os.str());
}

}  // namespace shardsim::core
