// Models the topology's `agents:` populations as plain data: each entry is a kind, a count, and
// parameter distributions every agent of the population draws its own values from (with its own
// RNG stream), e.g. `{kind: basis_trader, count: 50, broker: prime, leverage: {uniform: [5, 10]}}`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/time.hpp"

namespace shardsim::agents {

// A number drawn per agent: `5`, `{uniform: [5, 10]}`, `{lognormal: {median: 2k, sigma: 1}}`,
// `{normal: {mean: 0, stddev: 1}}`.
struct Distribution {
  enum class Kind : std::uint8_t { constant, uniform, lognormal, normal };
  Kind kind = Kind::constant;
  double a = 0;  // constant value; uniform low; lognormal median; normal mean
  double b = 0;  // uniform high; lognormal sigma; normal stddev
  static Distribution constant(double v) { return Distribution{Kind::constant, v, 0}; }
  double sample(core::Rng& rng) const;  // agents/distribution.cpp (in-house draws only)
};

// `run: {health_below: 50%, rumour_delay: 30s}` on a broker-client population: when a member
// sees its broker's published health (house equity over the capital it started with) below
// `health_below`, it waits out `rumour_delay`, then closes everything and withdraws it all.
struct RunSpec {
  double health_below = 0;
  core::Duration rumour_delay;
};

enum class AgentKind : std::uint8_t { retail, basis_trader, hedger, arbitrageur, liquidator, searcher, lp };
const char* agent_kind_name(AgentKind k);

struct AgentCapital {
  std::uint32_t asset = 0;  // index into the topology's assets
  Distribution amount;      // whole units of the asset
};

struct AgentSpec {
  AgentKind kind = AgentKind::retail;
  std::uint32_t count = 1;                 // >= 1
  std::size_t line = 0;
  std::optional<std::uint32_t> broker;     // retail, basis_trader, hedger: trade through it (index into brokers)
  std::string protocol;                    // retail without a broker: the perps or amm protocol it trades on
  std::vector<std::uint32_t> shards;       // `shard:` or `shards:`: where it acts; the first is its home
                                           // (retail on a protocol: that protocol's shard)
  std::vector<AgentCapital> capital;       // per agent, minted at genesis (on the broker's home for broker clients)
  Distribution leverage = Distribution::constant(1);  // notional / capital (retail, basis_trader, hedger)
  core::Duration every = core::Duration::min(1);      // mean time between decisions (exponential gaps)
  std::vector<std::string> instruments;    // broker clients: instruments traded (empty: the kind's default)
  core::Duration time_in_force;            // broker clients: how soon their orders' hedges must settle (0: broker default)
  double min_profit_usd = 0;               // arbitrageur, liquidator, searcher: act only above this after gas
  bool private_txs = false;                // `privacy: private`: its transactions go by a private relay, never to a feed
  std::optional<RunSpec> run;              // broker clients: run on the broker when its health falls
};

}  // namespace shardsim::agents
