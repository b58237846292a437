// Models PHOLD, the standard parallel-simulation benchmark: N LPs each start with P events;
// processing an event at LP i schedules one new event at now + 100us + Exp(mean 900us), sent to
// a uniformly random LP with probability 0.9 and to i otherwise. Handler and fiber variants.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/actor.hpp"
#include "core/engine.hpp"
#include "core/rng.hpp"

namespace shardsim::bench {

struct PholdEvent {
  static constexpr core::MsgKind kKind = 900;
};

inline constexpr core::Duration kPholdLookahead = core::Duration::us(100);
inline constexpr double kPholdMeanExtraUs = 900.0;

inline core::Duration phold_delay(core::Rng& rng) {
  return kPholdLookahead + core::Duration::us(static_cast<std::int64_t>(rng.exponential(kPholdMeanExtraUs)));
}

inline core::EndpointId phold_destination(core::Rng& rng, core::EndpointId self, std::uint32_t lps) {
  return rng.bernoulli(0.9) ? static_cast<core::EndpointId>(rng.uniform_index(lps)) : self;
}

struct PholdModel {
  struct Lp : core::Handler {
    PholdModel* model = nullptr;
    core::EndpointId self = 0;
    core::Rng rng;
    void on_message(const core::Envelope&) override {
      model->engine->send(self, phold_destination(rng, self, model->lps), phold_delay(rng), PholdEvent{});
      if (++model->processed == model->stop_after) model->engine->request_stop();
    }
  };

  core::Engine* engine = nullptr;
  std::uint32_t lps = 0;
  std::uint64_t processed = 0;
  std::uint64_t stop_after = 0;
  std::vector<Lp> handlers;

  // Builds N handler LPs (fibers = false) or N actor LPs that receive their events (fibers = true).
  void build(core::Engine& e, std::uint32_t n, std::uint32_t per_lp, std::uint64_t events, bool fibers) {
    engine = &e;
    lps = n;
    stop_after = events;
    handlers.resize(fibers ? 0 : n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const core::LpId lp = e.add_lp("lp");
      if (fibers) {
        e.add_actor(lp, "phold" + std::to_string(i), [this](core::Actor& self) {
          for (;;) {
            self.receive();
            self.send(phold_destination(self.rng(), self.id(), lps), phold_delay(self.rng()), PholdEvent{});
            if (++processed == stop_after) engine->request_stop();
          }
        }, core::SimTime{});
      } else {
        handlers[i].model = this;
        handlers[i].self = e.add_handler(lp, handlers[i], "phold");
        handlers[i].rng = core::Rng::for_entity(e.seed(), i);
      }
    }
    core::Rng seed_rng = core::Rng::for_entity(e.seed(), "phold:init");
    for (std::uint32_t i = 0; i < n; ++i) {
      for (std::uint32_t p = 0; p < per_lp; ++p) e.send(i, i, phold_delay(seed_rng), PholdEvent{});
    }
  }
};

}  // namespace shardsim::bench
