// Models the single-threaded engine: one future event list, events processed in key order,
// handlers called in place and actors resumed as fibers on this thread.
// Ownership: the engine and every fiber it starts belong to the thread that calls run().
#pragma once

#include <atomic>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/event_set.hpp"
#include "core/fiber_stack.hpp"
#include "core/payload_arena.hpp"

namespace boost::fibers {
class context;
}

namespace shardsim::core {

class SequentialEngine final : public Engine {
 public:
  explicit SequentialEngine(const EngineConfig& config);
  ~SequentialEngine() override;

  LpId add_lp(std::string name) override;
  EndpointId add_handler(LpId lp, Handler& handler, std::string name) override;
  EndpointId add_actor(LpId lp, std::string name, ActorBody body, SimTime start) override;

  void send_bytes(EndpointId from, EndpointId to, Duration delay, MsgKind kind,
                  std::span<const std::byte> payload) override;
  void send_reply_bytes(EndpointId from, const CallHeader& to_call, Duration delay, MsgKind kind,
                        std::span<const std::byte> payload) override;

  RunStats run(SimTime until) override;
  void request_stop() override { stop_requested_.store(true, std::memory_order_relaxed); }
  void set_progress_hook(ProgressHook hook) override { progress_hook_ = std::move(hook); }

  SimTime now() const override { return now_; }
  std::uint64_t seed() const override { return config_.seed; }
  Duration lookahead() const override { return config_.lookahead; }
  LpId lp_of(EndpointId ep) const override { return endpoints_[ep].lp; }
  const std::string& endpoint_name(EndpointId ep) const override { return endpoints_[ep].name; }
  std::uint64_t fingerprint() const override;
  void fold_outcome(EndpointId self, std::uint64_t outcome_digest) override;
  std::uint64_t events_processed() const override { return stats_.events; }
  std::size_t pending_events() const override { return events_.size(); }
  void add_message_observer(MessageObserver observer) override { observers_.push_back(std::move(observer)); }
  // Bytes held for pending events: the event list plus out-of-line payloads.
  std::size_t event_memory_bytes() const { return events_.capacity_bytes() + arena_.capacity_bytes(); }

  std::uint64_t actor_sleep_until(EndpointId self, SimTime t) override;
  Message actor_receive(EndpointId self, SimTime deadline, bool& timed_out) override;
  std::optional<Message> actor_call(EndpointId self, EndpointId dst, Duration delay, MsgKind kind,
                                    std::span<const std::byte> payload, Duration timeout) override;

 private:
  struct ActorSlot;
  struct EndpointSlot {
    LpId lp = 0;
    Handler* handler = nullptr;
    ActorSlot* actor = nullptr;
    std::string name;
  };

  void push_event(LpId src_lp, EndpointId dst, SimTime at, MsgKind kind, std::span<const std::byte> head,
                  std::span<const std::byte> body);
  Duration resolve_delay(EndpointId from, EndpointId to, Duration delay) const;
  void dispatch(const Event& e);
  [[gnu::noinline, gnu::cold]] void notify_observers(const Event& e, std::span<const std::byte> bytes);
  void deliver_to_actor(ActorSlot& a, const Event& e, std::span<const std::byte> bytes);
  void start_actor(ActorSlot& a);
  void switch_to(ActorSlot& a);
  void block(ActorSlot& a);
  void fiber_main(ActorSlot& a);
  void schedule_timer(ActorSlot& a, SimTime at, std::uint64_t token);
  void cancel_actors();
  ActorSlot& self_actor(EndpointId self);
  [[noreturn]] void limit_exceeded(const std::string& what) const;

  EngineConfig config_;
  EventSet events_;
  PayloadArena arena_;
  std::vector<std::string> lp_names_;
  std::vector<std::uint64_t> lp_seq_;
  std::vector<std::uint64_t> lp_hash_;
  std::vector<EndpointSlot> endpoints_;
  std::deque<std::unique_ptr<ActorSlot>> actors_;
  SimTime now_;
  RunStats stats_;
  std::uint32_t inflight_calls_ = 0;
  std::atomic<bool> stop_requested_{false};
  ProgressHook progress_hook_;
  boost::fibers::context* main_ctx_ = nullptr;
  ActorSlot* current_ = nullptr;
  std::exception_ptr fiber_error_;
  std::shared_ptr<StackPool> stack_pool_;
  StackBounds main_stack_;
  std::vector<MessageObserver> observers_;
};

}  // namespace shardsim::core
