// Draws of a population parameter, from the agent's own stream (no std:: distributions).
#include <cmath>

#include "agents/agent_config.hpp"

namespace shardsim::agents {

double Distribution::sample(core::Rng& rng) const {
  switch (kind) {
    case Kind::constant: return a;
    case Kind::uniform: return a + (b - a) * rng.uniform01();
    case Kind::lognormal: return a * std::exp(b * rng.normal(0.0, 1.0));
    case Kind::normal: return a + b * rng.normal(0.0, 1.0);
  }
  return a;
}

const char* agent_kind_name(AgentKind k) {
  switch (k) {
    case AgentKind::retail: return "retail";
    case AgentKind::basis_trader: return "basis_trader";
    case AgentKind::hedger: return "hedger";
    case AgentKind::arbitrageur: return "arbitrageur";
    case AgentKind::liquidator: return "liquidator";
    case AgentKind::searcher: return "searcher";
    case AgentKind::lp: return "lp";
  }
  return "?";
}

}  // namespace shardsim::agents
