// Tests core/sequential_engine and core/actor: handler delivery order, fiber semantics of sleep,
// receive, call and timeout on the virtual clock, lookahead enforcement, limits, determinism.
#include "core/sequential_engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/actor.hpp"

namespace shardsim::core {
namespace {

struct Ping {
  static constexpr MsgKind kKind = 20;
  std::int64_t value = 0;
};
struct Text {
  static constexpr MsgKind kKind = 21;
  std::string text;
  void encode(ByteWriter& w) const { w.str(text); }
  static Text decode(ByteReader& r) { return Text{r.str()}; }
};

EngineConfig config(Duration lookahead = Duration::ms(10)) {
  EngineConfig c;
  c.seed = 7;
  c.lookahead = lookahead;
  return c;
}

struct Recorder : Handler {
  std::vector<std::string>* log;
  std::string name;
  Recorder(std::vector<std::string>* l, std::string n) : log(l), name(std::move(n)) {}
  void on_message(const Envelope& env) override {
    log->push_back(name + "@" + env.time.str() + ":" + std::to_string(env.as<Ping>().value));
  }
};

TEST(SequentialEngine, HandlersSeeEventsInKeyOrderWithTies) {
  SequentialEngine e(config());
  std::vector<std::string> log;
  const LpId a = e.add_lp("a");
  const LpId b = e.add_lp("b");
  Recorder ra(&log, "ra"), rb(&log, "rb");
  const EndpointId ea = e.add_handler(a, ra, "ra");
  const EndpointId eb = e.add_handler(b, rb, "rb");
  // Same time from two LPs: the lower source LP goes first, then source sequence.
  e.send(eb, ea, Duration::ms(20), Ping{2});
  e.send(ea, eb, Duration::ms(20), Ping{1});
  e.send(ea, eb, Duration::ms(20), Ping{3});
  e.send(ea, ea, Duration::ms(5), Ping{0});
  e.run(SimTime::from_us(Duration::s(1).count_us()));
  const std::vector<std::string> want{"ra@5ms:0", "rb@20ms:1", "rb@20ms:3", "ra@20ms:2"};
  EXPECT_EQ(log, want);
  EXPECT_EQ(e.events_processed(), 4u);
}

TEST(SequentialEngine, LargePayloadsRoundTrip) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  std::string got;
  struct Catch : Handler {
    std::string* out;
    void on_message(const Envelope& env) override { *out = env.as<Text>().text; }
  } h;
  h.out = &got;
  const EndpointId ep = e.add_handler(a, h, "h");
  e.send(ep, ep, Duration::ms(1), Text{std::string(300, 'x') + "end"});
  e.run(SimTime::from_us(1'000'000));
  EXPECT_EQ(got.size(), 303u);
  EXPECT_EQ(got.substr(300), "end");
}

TEST(SequentialEngine, ActorSleepsOnVirtualClock) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  std::vector<std::int64_t> wakes;
  e.add_actor(a, "sleeper", [&](Actor& self) {
    wakes.push_back(self.now().count_us());
    self.sleep_for(Duration::s(2));
    wakes.push_back(self.now().count_us());
    self.sleep_until(SimTime::from_us(Duration::s(5).count_us()));
    wakes.push_back(self.now().count_us());
  }, SimTime::from_us(1'000'000));
  e.run(SimTime::from_us(Duration::s(10).count_us()));
  EXPECT_EQ(wakes, (std::vector<std::int64_t>{1'000'000, 3'000'000, 5'000'000}));
}

TEST(SequentialEngine, ReceiveWaitsAndQueuesInArrivalOrder) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  const LpId b = e.add_lp("b");
  std::vector<std::string> log;
  const EndpointId rx = e.add_actor(b, "rx", [&](Actor& self) {
    for (int i = 0; i < 3; ++i) {
      Message m = self.receive();
      log.push_back(std::to_string(m.as<Ping>().value) + "@" + m.time.str());
    }
    auto none = self.receive_for(Duration::s(1));
    log.push_back(none ? "msg" : "timeout@" + self.now().str());
  }, SimTime{});
  e.add_actor(a, "tx", [&](Actor& self) {
    self.send(rx, Duration::ms(50), Ping{1});
    self.send(rx, Duration::ms(10), Ping{2});
    self.sleep_for(Duration::ms(100));
    self.send(rx, Ping{3});  // minimum legal delay: the lookahead
  }, SimTime{});
  e.run(SimTime::from_us(Duration::s(10).count_us()));
  const std::vector<std::string> want{"2@10ms", "1@50ms", "3@110ms", "timeout@1.11s"};
  EXPECT_EQ(log, want);
}

TEST(SequentialEngine, CallReturnsReplyOrTimesOut) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  const LpId b = e.add_lp("b");
  // A handler server that answers after 30ms, except for value 0 which it ignores.
  struct Server : Handler {
    Engine* eng;
    EndpointId self = 0;
    void on_message(const Envelope& env) override {
      ASSERT_TRUE(env.is_call);
      const auto p = env.as<Ping>();
      if (p.value != 0) eng->reply(self, env.call, Duration::ms(30), Ping{p.value * 10});
    }
  } server;
  server.eng = &e;
  server.self = e.add_handler(b, server, "server");
  std::vector<std::string> log;
  e.add_actor(a, "client", [&](Actor& self) {
    auto r1 = self.call(server.self, Ping{4}, Duration::s(1));
    log.push_back(r1 ? std::to_string(r1->as<Ping>().value) + "@" + self.now().str() : "timeout");
    auto r2 = self.call(server.self, Ping{0}, Duration::ms(200));
    log.push_back(r2 ? "reply" : "timeout@" + self.now().str());
    // The reply comes at 10+30=40ms after sending; a 35ms timeout fires first, the reply is late.
    auto r3 = self.call(server.self, Ping{5}, Duration::ms(35));
    log.push_back(r3 ? "reply" : "timeout@" + self.now().str());
    self.sleep_for(Duration::s(1));
  }, SimTime{});
  const RunStats st = e.run(SimTime::from_us(Duration::s(10).count_us()));
  const std::vector<std::string> want{"40@40ms", "timeout@240ms", "timeout@275ms"};
  EXPECT_EQ(log, want);
  EXPECT_EQ(st.call_timeouts, 2u);
  EXPECT_EQ(st.late_replies, 1u);
}

TEST(SequentialEngine, ActorToActorCallWithMailboxInterleaving) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  const LpId b = e.add_lp("b");
  std::vector<std::string> log;
  const EndpointId server = e.add_actor(b, "server", [&](Actor& self) {
    for (;;) {
      Message m = self.receive();
      if (m.is_call) self.reply(m, Duration::ms(10), Ping{m.as<Ping>().value + 1});
    }
  }, SimTime{});
  e.add_actor(a, "client", [&](Actor& self) {
    self.send(self.id(), Duration::ms(5), Ping{99});  // arrives while the call is pending
    auto r = self.call(server, Ping{1}, Duration::s(1));
    log.push_back("reply " + std::to_string(r->as<Ping>().value) + "@" + self.now().str());
    Message queued = self.receive();  // kept in the mailbox during the call
    log.push_back("queued " + std::to_string(queued.as<Ping>().value) + "@" + queued.time.str());
  }, SimTime{});
  e.run(SimTime::from_us(Duration::s(2).count_us()));
  const std::vector<std::string> want{"reply 2@20ms", "queued 99@5ms"};
  EXPECT_EQ(log, want);
}

TEST(SequentialEngine, EngineDestructionUnwindsWaitingActors) {
  bool unwound = false;
  {
    SequentialEngine e(config());
    const LpId a = e.add_lp("a");
    e.add_actor(a, "forever", [&](Actor& self) {
      struct Guard {
        bool* flag;
        ~Guard() { *flag = true; }
      } g{&unwound};
      self.receive();
    }, SimTime{});
    e.run(SimTime::from_us(1'000));
    EXPECT_FALSE(unwound);
  }
  EXPECT_TRUE(unwound);
}

TEST(SequentialEngine, ActorExceptionPropagatesToRun) {
  SequentialEngine e(config());
  const LpId a = e.add_lp("a");
  e.add_actor(a, "thrower", [](Actor& self) {
    self.sleep_for(Duration::ms(1));
    throw std::runtime_error("model bug");
  }, SimTime{});
  EXPECT_THROW(e.run(SimTime::from_us(1'000'000)), std::runtime_error);
}

TEST(SequentialEngine, PendingEventLimitIsAClearError) {
  EngineConfig c = config();
  c.limits.max_pending_events = 3;
  SequentialEngine e(c);
  const LpId a = e.add_lp("a");
  Recorder r(nullptr, "r");
  const EndpointId ep = e.add_handler(a, r, "r");
  for (int i = 0; i < 3; ++i) e.send(ep, ep, Duration::ms(1), Ping{i});
  try {
    e.send(ep, ep, Duration::ms(1), Ping{4});
    FAIL() << "expected LimitExceeded";
  } catch (const LimitExceeded& ex) {
    EXPECT_NE(std::string(ex.what()).find("limits.max_pending_events = 3"), std::string::npos) << ex.what();
  }
}

TEST(SequentialEngine, EventAndCallLimitsAreClearErrors) {
  EngineConfig c = config();
  c.limits.max_events = 5;
  SequentialEngine e(c);
  const LpId a = e.add_lp("a");
  e.add_actor(a, "ticker", [](Actor& self) {
    for (;;) self.sleep_for(Duration::ms(1));
  }, SimTime{});
  EXPECT_THROW(e.run(SimTime::from_us(1'000'000)), LimitExceeded);

  EngineConfig c2 = config();
  c2.limits.max_inflight_calls = 1;
  SequentialEngine e2(c2);
  const LpId a2 = e2.add_lp("a");
  struct Silent : Handler {
    void on_message(const Envelope&) override {}
  } silent;
  const EndpointId s = e2.add_handler(a2, silent, "silent");
  for (int i = 0; i < 2; ++i) {
    e2.add_actor(a2, "caller" + std::to_string(i), [s](Actor& self) { self.call(s, Ping{1}, Duration::s(1)); },
                 SimTime{});
  }
  EXPECT_THROW(e2.run(SimTime::from_us(1'000'000)), LimitExceeded);
}

std::uint64_t ping_pong_fingerprint(std::uint64_t seed) {
  EngineConfig c = config();
  c.seed = seed;
  SequentialEngine e(c);
  const LpId a = e.add_lp("a");
  const LpId b = e.add_lp("b");
  std::vector<EndpointId> eps;
  for (LpId lp : {a, b}) {
    eps.push_back(e.add_actor(lp, "p" + std::to_string(lp), [&eps, lp](Actor& self) {
      for (int i = 0; i < 50; ++i) {
        const auto d = Duration::ms(10) + Duration::us(static_cast<std::int64_t>(self.rng().uniform_index(5000)));
        self.send(eps[1 - lp], d, Ping{i});
        self.receive();
      }
    }, SimTime{}));
  }
  e.run(SimTime::from_us(Duration::h(1).count_us()));
  return e.fingerprint();
}

TEST(SequentialEngine, FingerprintIsAFunctionOfTheSeed) {
  EXPECT_EQ(ping_pong_fingerprint(1), ping_pong_fingerprint(1));
  EXPECT_NE(ping_pong_fingerprint(1), ping_pong_fingerprint(2));
}

// Two LPs with one silent handler each; `folds` are (LP index, outcome digest) in call order.
std::uint64_t fingerprint_after_folds(const std::vector<std::pair<int, std::uint64_t>>& folds) {
  struct Silent : Handler {
    void on_message(const Envelope&) override {}
  };
  SequentialEngine e(config());
  Silent ha, hb;
  const EndpointId eps[2] = {e.add_handler(e.add_lp("a"), ha, "ha"), e.add_handler(e.add_lp("b"), hb, "hb")};
  for (const auto& [lp, digest] : folds) e.fold_outcome(eps[lp], digest);
  return e.fingerprint();
}

// An outcome lands in its own LP's hash: the order across LPs does not matter (so the fingerprint
// cannot depend on how LPs are spread over threads), the order within one LP and the values do.
TEST(SequentialEngine, OutcomesFoldIntoTheirOwnLpsHash) {
  const std::uint64_t base = fingerprint_after_folds({{0, 11}, {1, 22}});
  EXPECT_EQ(base, fingerprint_after_folds({{1, 22}, {0, 11}}));
  EXPECT_NE(base, fingerprint_after_folds({}));
  EXPECT_NE(base, fingerprint_after_folds({{0, 22}, {1, 11}}));
  EXPECT_NE(base, fingerprint_after_folds({{0, 11}, {1, 23}}));
  EXPECT_NE(fingerprint_after_folds({{0, 1}, {0, 2}}), fingerprint_after_folds({{0, 2}, {0, 1}}));
}

TEST(SequentialEngineDeath, CrossLpSendBelowLookaheadIsAnInvariantBreach) {
  EXPECT_DEATH(
      {
        SequentialEngine e(config(Duration::ms(10)));
        const LpId a = e.add_lp("a");
        const LpId b = e.add_lp("b");
        Recorder r(nullptr, "r");
        const EndpointId ea = e.add_handler(a, r, "ra");
        const EndpointId eb = e.add_handler(b, r, "rb");
        e.send(ea, eb, Duration::ms(1), Ping{1});
      },
      "cross-LP message faster than the lookahead.*seed=7 sim_time=0s");
}

}  // namespace
}  // namespace shardsim::core
