// Models the event loop behind one interface. Logical processes (LPs) own state; endpoints
// (run-to-completion handlers or fiber actors) live on an LP; only messages cross an LP
// boundary, and such a message takes at least the lookahead. The sequential engine implements
// it today; the conservative windowed engines (threads, MPI) implement the same contract.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/event.hpp"
#include "core/message.hpp"
#include "core/time.hpp"

namespace shardsim::core {

class Actor;
using ActorBody = std::function<void(Actor&)>;

// A run-to-completion message handler: never waits, never switches context.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void on_message(const Envelope& env) = 0;
};

struct EngineLimits {
  std::uint64_t max_pending_events = 50'000'000;
  std::uint64_t max_events = 0;  // 0: no limit
  std::uint32_t max_inflight_calls = 10'000;
  std::size_t fiber_stack_bytes = 64 * 1024;
};

struct EngineConfig {
  std::uint64_t seed = 1;
  Duration lookahead = Duration::us(1);  // minimum delay of any cross-LP message
  EngineLimits limits;
};

// Thrown when a configured limit is reached; its message names the limit and the time.
class LimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunStats {
  std::uint64_t events = 0;
  SimTime end_time;
  bool interrupted = false;  // request_stop() ended the run early
  std::uint64_t late_replies = 0;
  std::uint64_t call_timeouts = 0;
  std::uint64_t messages = 0;  // events that were messages (not an actor's start or timer)
};

// Sees every message as it is delivered, before its endpoint handles it (traces, auditors).
// The envelope's payload is valid only during the call. Observers never change the run.
using MessageObserver = std::function<void(const Envelope&)>;

// Marker for "the smallest legal delay": 0 within an LP, the lookahead across LPs.
inline constexpr Duration kMinDelay = Duration::us(-1);

class Engine {
 public:
  virtual ~Engine() = default;

  // --- building the world (also allowed during a run, from the LP that will own the endpoint)
  virtual LpId add_lp(std::string name) = 0;
  virtual EndpointId add_handler(LpId lp, Handler& handler, std::string name) = 0;
  virtual EndpointId add_actor(LpId lp, std::string name, ActorBody body, SimTime start) = 0;

  // --- messaging
  virtual void send_bytes(EndpointId from, EndpointId to, Duration delay, MsgKind kind,
                          std::span<const std::byte> payload) = 0;
  template <MessageType T>
  void send(EndpointId from, EndpointId to, Duration delay, const T& msg) {
    std::vector<std::byte>& buf = scratch();
    encode_message(msg, buf);
    send_bytes(from, to, delay, T::kKind, buf);
  }
  // Replies to a call received by a handler or an actor.
  template <MessageType T>
  void reply(EndpointId from, const CallHeader& to_call, Duration delay, const T& msg) {
    std::vector<std::byte>& buf = scratch();
    encode_message(msg, buf);
    send_reply_bytes(from, to_call, delay, T::kKind, buf);
  }
  virtual void send_reply_bytes(EndpointId from, const CallHeader& to_call, Duration delay, MsgKind kind,
                                std::span<const std::byte> payload) = 0;

  // --- running
  virtual RunStats run(SimTime until) = 0;
  virtual void request_stop() = 0;  // safe from any thread; takes effect within a few thousand events
  // Called on the running thread every few thousand events with the current time and the
  // events processed so far; for a progress display only (it must not touch the model).
  using ProgressHook = std::function<void(SimTime now, std::uint64_t events)>;
  virtual void set_progress_hook(ProgressHook hook) = 0;

  // --- observing
  virtual SimTime now() const = 0;
  virtual std::uint64_t seed() const = 0;
  virtual Duration lookahead() const = 0;
  virtual LpId lp_of(EndpointId ep) const = 0;
  virtual const std::string& endpoint_name(EndpointId ep) const = 0;
  virtual std::uint64_t fingerprint() const = 0;  // folded per LP, combined in LP order
  // Folds a model outcome (e.g. a transaction's status, reason and outputs, as a digest) into the
  // hash of the LP owning `self`, in the order that LP processes it: called by a handler or an
  // actor from its own LP during a run, so the result does not depend on thread placement.
  virtual void fold_outcome(EndpointId self, std::uint64_t outcome_digest) = 0;
  virtual std::uint64_t events_processed() const = 0;
  virtual std::size_t pending_events() const = 0;
  // Called in delivery order for every message; no observer costs one branch per event.
  virtual void add_message_observer(MessageObserver observer) = 0;

  // --- used by Actor (the fiber facade); not for model code
  virtual std::uint64_t actor_sleep_until(EndpointId self, SimTime t) = 0;
  virtual Message actor_receive(EndpointId self, SimTime deadline, bool& timed_out) = 0;
  virtual std::optional<Message> actor_call(EndpointId self, EndpointId dst, Duration delay, MsgKind kind,
                                            std::span<const std::byte> payload, Duration timeout) = 0;

 protected:
  // Encoding buffer, one per thread so that parallel engines can share this code.
  static std::vector<std::byte>& scratch() {
    thread_local std::vector<std::byte> buf;
    buf.clear();
    return buf;
  }
};

std::unique_ptr<Engine> make_sequential_engine(const EngineConfig& config);

}  // namespace shardsim::core
