// Builds the protocol-side agent populations of `agents:` (arbitrageur, liquidator, lp, searcher
// (on a home with an amm it sandwiches swaps, else it front-runs perps trades), and retail that
// trades straight to a protocol):
// one account per member (`KIND.POPULATION.MEMBER`), its capital drawn from the population's
// distributions with the member's own stream and minted at genesis on its home shard, readers
// bound to each of its shards, and mempool feeds for searchers (their shard's and every broker
// home's, where hedges toward their pool are sent). Also their part of the results.
#include <algorithm>
#include <cmath>

#include "agents/arbitrageur.hpp"
#include "agents/direct_retail.hpp"
#include "agents/liquidator.hpp"
#include "agents/lp_agent.hpp"
#include "agents/perps_searcher.hpp"
#include "agents/searcher.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {
namespace {

using agents::AgentKind;

// Retail is protocol-side when it trades straight to a protocol rather than through a broker.
bool protocol_side(const agents::AgentSpec& a) {
  const AgentKind k = a.kind;
  return k == AgentKind::arbitrageur || k == AgentKind::liquidator || k == AgentKind::lp ||
         k == AgentKind::searcher || (k == AgentKind::retail && !a.protocol.empty());
}

bool searches(AgentKind k) { return k == AgentKind::searcher; }

std::string member_name(const agents::AgentSpec& spec, std::size_t population, std::uint32_t member) {
  return std::string(agents::agent_kind_name(spec.kind)) + "." + std::to_string(population) + "." +
         std::to_string(member);
}

agents::ShardReader make_reader(shards::Shard& shard, std::uint32_t index, core::LpId lp, core::LatencyModel access) {
  const shards::ShardConfig& c = shard.config();
  agents::ShardReader r(std::move(access));
  r.shard = index;
  r.name = c.name;
  r.endpoint = shard.endpoint();
  r.lp = lp;
  r.slot = c.slot;
  r.slot_offset = c.slot_offset;
  for (std::uint32_t p = 0; p < shard.protocols().size(); ++p) {
    const protocols::Protocol& protocol = *shard.protocols()[p];
    r.protocols.push_back({p, std::string(protocol.kind()), protocol.name(), protocol.queries()});
  }
  r.fee_asset = c.fee_asset;
  if (!c.base_fee.is_zero()) r.base_fee_at = [s = &shard](core::SimTime t) { return s->config().base_fee_at(t); };
  r.call_gas = c.gas.of(protocols::TxOp::protocol_call);
  r.bridge_gas = c.gas.of(protocols::TxOp::bridge);
  shards::Shard* s = &shard;
  r.host = &s->host();
  r.oracle_price = [s](protocols::AssetId a) -> std::optional<double> {
    if (a >= s->oracles().size() || s->oracles()[a].round == 0) return std::nullopt;
    return protocols::wad_to_double(s->oracles()[a].price_wad);
  };
  r.balance = [s](protocols::AccountId who, protocols::AssetId a) { return s->ledger().balance(who, a); };
  return r;
}

std::unique_ptr<agents::ProtocolAgent> make_agent(AgentKind kind, agents::AgentContext ctx) {
  switch (kind) {
    case AgentKind::arbitrageur:
      return std::make_unique<agents::Arbitrageur>(std::move(ctx));
    case AgentKind::liquidator:
      return std::make_unique<agents::Liquidator>(std::move(ctx));
    case AgentKind::lp:
      return std::make_unique<agents::LiquidityProvider>(std::move(ctx));
    case AgentKind::searcher:
      if (ctx.shards.front().find_kind("amm") == nullptr) return std::make_unique<agents::PerpsSearcher>(std::move(ctx));
      return std::make_unique<agents::Searcher>(std::move(ctx));
    case AgentKind::retail:
      return std::make_unique<agents::DirectRetail>(std::move(ctx));
    default:
      return nullptr;
  }
}

}  // namespace

// A drawn amount of whole units as raw units: at most nine decimals, negative draws count as 0.
core::Amount drawn_amount(double whole, int decimals) {
  if (!(whole > 0)) return {};
  const int kept = std::min(decimals, 9);
  const double scaled = std::floor(whole * std::pow(10.0, kept));
  if (!(scaled < 1e36)) return {};
  return core::Amount::units(static_cast<core::i128>(scaled) * core::pow10_i128(decimals - kept));
}

void World::intern_agent_accounts() {
  for (std::size_t p = 0; p < topology_.agents.size(); ++p) {
    const agents::AgentSpec& spec = topology_.agents[p];
    if (!protocol_side(spec)) continue;
    for (std::uint32_t m = 0; m < spec.count; ++m) registry_.intern(member_name(spec, p, m));
  }
}

void World::build_protocol_agents() {
  const agents::PricePath* prices = prices_.get();
  for (std::size_t p = 0; p < topology_.agents.size(); ++p) {
    const agents::AgentSpec& spec = topology_.agents[p];
    if (!protocol_side(spec)) continue;
    for (std::uint32_t m = 0; m < spec.count; ++m) {
      agents::AgentContext ctx;
      ctx.kind = spec.kind;
      ctx.name = member_name(spec, p, m);
      ctx.account = *registry_.account(ctx.name);
      for (const std::uint32_t s : spec.shards) {
        ctx.shards.push_back(make_reader(*shards_[s], s, shard_lps_[s], access_latency_of(topology_, s)));
      }
      ctx.every = spec.every;
      ctx.min_profit_usd = spec.min_profit_usd;
      ctx.private_txs = spec.private_txs;
      ctx.protocol = spec.protocol;
      ctx.registry = &registry_;
      ctx.true_price = [prices](protocols::AssetId a, core::SimTime t) -> std::optional<double> {
        if (prices == nullptr || !prices->has(a)) return std::nullopt;
        return prices->price(a, t);
      };
      // Genesis capital on the home shard, drawn from the member's own stream.
      core::Rng rng = core::Rng::for_entity(seed_, "agent:" + ctx.name);
      if (spec.kind == AgentKind::retail) ctx.leverage = std::max(0.0, spec.leverage.sample(rng));
      for (const agents::AgentCapital& c : spec.capital) {
        const core::Amount amount = drawn_amount(c.amount.sample(rng), topology_.assets[c.asset].decimals);
        if (!amount.is_zero()) shards_[spec.shards.front()]->ledger().mint(ctx.account, c.asset, amount);
      }
      std::unique_ptr<agents::ProtocolAgent> agent = make_agent(spec.kind, std::move(ctx));
      agent->start(*engine_);
      if (searches(spec.kind)) {
        const std::uint32_t home = spec.shards.front();
        const core::EndpointId ep = *agent->endpoint_on(home);
        std::vector<std::uint32_t> feeds{home};
        for (const broker::BrokerConfig& b : topology_.brokers) {
          if (std::find(feeds.begin(), feeds.end(), b.home_shard) == feeds.end()) feeds.push_back(b.home_shard);
        }
        for (const std::uint32_t s : feeds) shards_[s]->subscribe_mempool(ep);
      }
      protocol_agents_.push_back(std::move(agent));
    }
  }
}

double World::planned_frontrun_loss_usd(protocols::AccountId victim) const {
  double loss = 0;
  for (const auto& a : protocol_agents_) {
    if (!searches(a->kind())) continue;
    const agents::AgentStats s = a->stats();
    const auto it = s.victim_loss_usd.find(victim);
    if (it != s.victim_loss_usd.end()) loss += it->second;
  }
  return loss;
}

// Per kind: members, decisions, actions, failures, realised profit, liquidations by protocol,
// and for searchers the sandwiches and the loss they planned per victim account (their estimate
// before trading; the summary's `frontrun` holds the loss measured on the chain).
nlohmann::ordered_json World::agent_results() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& a : protocol_agents_) {
    const agents::AgentStats s = a->stats();
    nlohmann::ordered_json& k = out[agents::agent_kind_name(a->kind())];
    if (k.is_null()) {
      k = {{"agents", 0}, {"decisions", 0}, {"actions", 0}, {"failed", 0}, {"profit_usd", 0.0}};
      if (a->kind() == AgentKind::liquidator) k["liquidations"] = nlohmann::ordered_json::object();
      if (searches(a->kind())) {
        k["sandwiches"] = 0;
        k["planned_frontrun_loss"] = nlohmann::ordered_json::object();
      }
    }
    k["agents"] = k["agents"].get<std::uint64_t>() + 1;
    k["decisions"] = k["decisions"].get<std::uint64_t>() + s.decisions;
    k["actions"] = k["actions"].get<std::uint64_t>() + s.actions;
    k["failed"] = k["failed"].get<std::uint64_t>() + s.failed;
    k["profit_usd"] = k["profit_usd"].get<double>() + s.profit_usd;
    for (const auto& [protocol, n] : s.liquidations) {
      k["liquidations"][protocol] = k["liquidations"].value(protocol, std::uint64_t{0}) + n;
    }
    if (!searches(a->kind())) continue;
    k["sandwiches"] = k["sandwiches"].get<std::uint64_t>() + s.sandwiches;
    for (const auto& [victim, usd] : s.victim_loss_usd) {
      const std::string& who = registry_.account_name(victim);
      k["planned_frontrun_loss"][who] = k["planned_frontrun_loss"].value(who, 0.0) + usd;
    }
  }
  return out;
}

}  // namespace shardsim::app
