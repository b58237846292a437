// Models an actor: model code that waits, written as plain blocking code (SimGrid S4U style)
// and run as a Boost.Fiber fiber on the virtual clock. Every wait suspends the fiber until the
// engine delivers the event it waits for; the real clock is never consulted.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "core/engine.hpp"
#include "core/rng.hpp"

namespace shardsim::core {

// Thrown inside an actor when the engine shuts down while the actor still waits. Model code
// must let it propagate (never swallow it with catch (...)).
struct ActorCancelled {};

class Actor {
 public:
  Actor(Engine& engine, EndpointId self, Rng rng) : engine_(engine), self_(self), rng_(rng) {}

  EndpointId id() const { return self_; }
  LpId lp() const { return engine_.lp_of(self_); }
  const std::string& name() const { return engine_.endpoint_name(self_); }
  SimTime now() const { return engine_.now(); }
  Rng& rng() { return rng_; }
  Engine& engine() { return engine_; }

  void sleep_for(Duration d) { engine_.actor_sleep_until(self_, now() + d); }
  void sleep_until(SimTime t) { engine_.actor_sleep_until(self_, t); }

  // Next message in arrival order; waits as long as it takes.
  Message receive() {
    bool timed_out = false;
    return engine_.actor_receive(self_, SimTime::max(), timed_out);
  }
  // Next message, or nothing if none arrives within `timeout`.
  std::optional<Message> receive_for(Duration timeout) {
    bool timed_out = false;
    Message m = engine_.actor_receive(self_, now() + timeout, timed_out);
    if (timed_out) return std::nullopt;
    return m;
  }

  template <MessageType T>
  void send(EndpointId dst, Duration delay, const T& msg) { engine_.send(self_, dst, delay, msg); }
  template <MessageType T>
  void send(EndpointId dst, const T& msg) { engine_.send(self_, dst, kMinDelay, msg); }
  template <MessageType T>
  void reply(const Message& request, Duration delay, const T& msg) {
    engine_.reply(self_, request.call, delay, msg);
  }

  // Sends `request` to `dst` and waits for its reply. Returns the reply message, or nothing when
  // `timeout` passes first (a reply that arrives later is dropped and counted).
  template <MessageType Req>
  std::optional<Message> call(EndpointId dst, const Req& request, Duration timeout, Duration delay = kMinDelay) {
    std::vector<std::byte> buf;
    encode_message(request, buf);
    return engine_.actor_call(self_, dst, delay, Req::kKind, buf, timeout);
  }

 private:
  Engine& engine_;
  EndpointId self_;
  Rng rng_;
};

}  // namespace shardsim::core
