// Builds the agent populations that trade through a broker (retail, basis_trader, hedger): one
// BrokerClientAgent per member on the broker's home LP, its capital drawn from the population's
// distributions with the member's own stream and minted at genesis on the home shard, and its
// instruments resolved against what the broker clears.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {
namespace {

bool is_client_kind(agents::AgentKind k) {
  return k == agents::AgentKind::retail || k == agents::AgentKind::basis_trader || k == agents::AgentKind::hedger;
}

bool is_venue(const broker::Broker& br, std::size_t i) { return br.book().instruments()[i].venue.has_value(); }

// An outcome claim has none: 0 (its ClientInstrument says it is a claim).
protocols::AssetId underlying(const broker::Broker& br, std::size_t i) {
  const auto& u = br.book().instruments()[i].descriptor->underlyings;
  return u.empty() ? 0 : u.front();
}

// The instruments a member trades when the population names none: retail every instrument with a
// single underlying; basis_trader a non-perp and a perp on one underlying from two protocols;
// hedger the perp of an asset it holds.
std::vector<std::size_t> default_instruments(const broker::Broker& br, const agents::AgentSpec& a,
                                             const std::vector<protocols::AssetId>& held,
                                             const std::vector<std::uint32_t>& marked) {
  const auto& insts = br.book().instruments();
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < insts.size(); ++i) {
    const auto& d = *insts[i].descriptor;
    if (d.underlyings.size() != 1) continue;
    if (std::find(marked.begin(), marked.end(), d.underlyings[0]) == marked.end()) continue;  // no home feed
    if (a.kind == agents::AgentKind::retail) out.push_back(i);
    if (a.kind == agents::AgentKind::hedger && is_venue(br, i) &&
        std::find(held.begin(), held.end(), d.underlyings[0]) != held.end()) {
      return {i};
    }
    if (a.kind == agents::AgentKind::basis_trader && !is_venue(br, i)) {
      for (std::size_t j = 0; j < insts.size(); ++j) {
        if (is_venue(br, j) && underlying(br, j) == d.underlyings[0] && insts[j].descriptor->protocol != d.protocol) {
          return {i, j};
        }
      }
    }
  }
  return out;
}

}  // namespace

std::string World::client_agent_name(std::size_t population, std::uint32_t member) const {
  return std::string(agents::agent_kind_name(topology_.agents[population].kind)) + "." + std::to_string(population) + "." +
         std::to_string(member);
}

void World::build_broker_clients() {
  for (std::size_t p = 0; p < topology_.agents.size(); ++p) {
    const agents::AgentSpec& a = topology_.agents[p];
    if (!a.broker || !is_client_kind(a.kind)) continue;
    broker::Broker& br = *brokers_[*a.broker];
    const broker::BrokerConfig& cfg = br.config();
    const std::vector<std::string> clients = broker_clients(*a.broker);
    std::vector<std::size_t> named;
    for (const std::string& id : a.instruments) {
      const auto idx = br.book().instrument_index(id);
      // The loader checks it against the same list (load_instruments.cpp): reaching this is a defect.
      if (!idx) throw std::logic_error("agents trade an instrument the broker does not clear: " + id);
      named.push_back(*idx);
    }
    const shards::Shard* home = shards_[cfg.home_shard].get();
    const auto price = oracle_reader(cfg.home_shard);
    const std::vector<std::uint32_t> marked = topology_.shards[cfg.home_shard].oracles->assets;
    for (std::uint32_t m = 0; m < a.count; ++m) {
      agents::BrokerClientConfig c;
      c.name = client_agent_name(p, m);
      c.kind = a.kind;
      c.broker = br.endpoint();
      c.client = static_cast<std::uint32_t>(std::find(clients.begin(), clients.end(), c.name) - clients.begin());
      c.home_shard = home->endpoint();
      c.account = *registry_.account(c.name);
      c.deposit_account = *registry_.account("broker:" + cfg.name + ":" + c.name);
      core::Rng draw = core::Rng::for_entity(seed_, c.name + ":params");
      std::vector<protocols::AssetId> held;
      for (const agents::AgentCapital& k : a.capital) {
        const int d = topology_.assets[k.asset].decimals;
        const core::Amount amount = drawn_amount(k.amount.sample(draw), d);
        if (amount.is_zero()) continue;
        c.capital.emplace_back(k.asset, amount);
        held.push_back(k.asset);
        shards_[cfg.home_shard]->ledger().mint(c.account, k.asset, amount);  // genesis
      }
      for (const AssetSpec& s : topology_.assets) c.decimals.push_back(s.decimals);
      c.leverage = std::max(0.0, a.leverage.sample(draw));
      c.time_in_force = a.time_in_force;
      c.every = a.every;
      c.run = a.run;
      c.health_every = topology_.shards[cfg.home_shard].slot;
      c.home_shard_id = cfg.home_shard;
      for (const std::size_t i : named.empty() ? default_instruments(br, a, held, marked) : named) {
        const bool claim = br.book().instruments()[i].descriptor->outcome.has_value();
        c.instruments.push_back(agents::ClientInstrument{static_cast<std::uint32_t>(i), underlying(br, i), claim});
      }
      // The broker quotes its marks to its clients (both run on its home LP).
      c.broker_mark = [&br](std::uint32_t i) -> std::optional<double> {
        const double m = br.book().mark(i);
        return std::isfinite(m) && br.book().claim_open(i) ? std::optional<double>(m) : std::nullopt;
      };
      client_agents_.push_back(std::make_unique<agents::BrokerClientAgent>(*engine_, shard_lps_[cfg.home_shard], std::move(c),
                                                                           price, access_latency_of(topology_, cfg.home_shard),
                                                                           [&br] { return br.published_health(); }));
    }
  }
}

}  // namespace shardsim::app
