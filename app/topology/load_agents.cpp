// Reads `agents:` into agents::AgentSpec: populations of one kind with a count and per-agent
// parameter distributions. Broker clients (retail, basis_trader, hedger) name a `broker:`, or for
// retail a perps or amm `protocol:` it trades on directly (on that protocol's shard); the
// protocol-side kinds (arbitrageur, liquidator, searcher, lp) name the `shard:` or `shards:` they
// act on, the first being their home, which must host the protocols the kind works with.
#include <algorithm>
#include <array>
#include <utility>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::loader {
namespace {

using agents::AgentKind;
using agents::AgentSpec;
using agents::Distribution;

constexpr std::string_view kAgentExpected =
    "an agent population such as {kind: arbitrageur, count: 2, shard: dex, capital: {USDC: 1M}}";
constexpr std::string_view kDistributionExpected =
    "a number such as 2k, or {uniform: [a, b]}, {lognormal: {median: m, sigma: s}}, "
    "{normal: {mean: m, stddev: s}}";
constexpr std::string_view kShardsExpected = "a non-empty list of distinct shard ids, e.g. [lend, perps]";
constexpr std::string_view kInstrumentExpected = "an instrument PROTOCOL.SYMBOL, e.g. dydx.BTC-PERP";
constexpr std::string_view kUsdExpected = "a USD amount >= 0, e.g. 10 or 2.5k";
constexpr std::uint64_t kCountMax = 100'000;
constexpr std::size_t kKinds = 7;

bool broker_client(AgentKind k) {
  return k == AgentKind::retail || k == AgentKind::basis_trader || k == AgentKind::hedger;
}
bool seeks_profit(AgentKind k) {
  return k == AgentKind::arbitrageur || k == AgentKind::liquidator || k == AgentKind::searcher;
}

std::string kinds_expected() {
  std::string out = "one of:";
  for (std::size_t i = 0; i < kKinds; ++i) {
    out += std::string(i == 0 ? " " : ", ") + agents::agent_kind_name(static_cast<AgentKind>(i));
  }
  return out;
}

AgentKind read_kind(const Field& field) {
  const std::string expected = kinds_expected();
  const std::string name = field.text(expected);
  for (std::size_t i = 0; i < kKinds; ++i) {
    if (name == agents::agent_kind_name(static_cast<AgentKind>(i))) return static_cast<AgentKind>(i);
  }
  field.fail("unknown agent kind " + quote(name), expected);
}

// A plain number with k/M/B suffixes (`2k`, `0.5`, `-1`), bounded by `sign`.
double read_number(const Field& field, Sign sign, std::string_view expected) {
  const std::string text = field.scalar(expected);
  const AmountParse parsed = parse_amount_checked(text, 18);
  if (parsed.error != AmountError::none) field.fail("invalid number " + quote(text), expected);
  const bool bad = sign == Sign::positive       ? parsed.value.raw() <= 0
                   : sign == Sign::non_negative ? parsed.value.is_negative()
                                                : false;
  if (bad) {
    field.fail(std::string(sign == Sign::positive ? "must be positive" : "must not be negative") + ", got " + quote(text),
               expected);
  }
  return parsed.value.to_double(18);
}

// A number, or a one-key map naming a distribution. `sign` bounds the number, the uniform bounds
// and the normal mean (a normal draw below the bound is clamped when it is used).
Distribution read_distribution(const Field& field, Sign sign) {
  if (field.node().IsScalar()) return Distribution::constant(read_number(field, sign, kDistributionExpected));
  MapReader m(field, kDistributionExpected, keys::section("distribution"));
  const auto which = m.exclusive({"uniform", "lognormal", "normal"});
  if (!which) {
    m.finish();
    field.fail("no distribution given", kDistributionExpected);
  }
  Distribution d;
  const Field body = *m.optional(*which);
  if (*which == "uniform") {
    constexpr std::string_view expected = "two numbers [low, high] with low <= high, e.g. [5, 10]";
    const std::vector<Field> ends = body.items(expected);
    if (ends.size() != 2) body.fail("a list of " + std::to_string(ends.size()) + " numbers", expected);
    d.kind = Distribution::Kind::uniform;
    d.a = read_number(ends[0], sign, expected);
    d.b = read_number(ends[1], sign, expected);
    if (d.b < d.a) ends[1].fail("high " + quote(ends[1].node().Scalar()) + " is below low", expected);
  } else if (*which == "lognormal") {
    MapReader p(body, "a map such as {median: 2k, sigma: 1}", keys::section("distribution_lognormal"));
    d.kind = Distribution::Kind::lognormal;
    d.a = read_number(p.required("median", "a number > 0, e.g. 2k"), Sign::positive, "a number > 0, e.g. 2k");
    d.b = read_number(p.required("sigma", "a number >= 0, e.g. 1"), Sign::non_negative, "a number >= 0, e.g. 1");
    p.finish();
  } else {
    MapReader p(body, "a map such as {mean: 10k, stddev: 2k}", keys::section("distribution_normal"));
    d.kind = Distribution::Kind::normal;
    d.a = read_number(p.required("mean", "a number, e.g. 10k"), sign, "a number, e.g. 10k");
    d.b = read_number(p.required("stddev", "a number >= 0, e.g. 2k"), Sign::non_negative, "a number >= 0, e.g. 2k");
    p.finish();
  }
  m.finish();
  return d;
}

std::vector<std::uint32_t> read_shard_list(MapReader& m, const Refs& refs) {
  const auto which = m.exclusive({"shard", "shards"});
  if (!which) m.required("shard", "shard: ID, or shards: [ID, ...] (the first is the agent's home)");
  const Field field = *m.optional(*which);
  if (*which == "shard") return {refs.shard(field)};
  std::vector<std::uint32_t> out;
  for (const Field& item : field.items(kShardsExpected)) {
    const std::uint32_t s = refs.shard(item);
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      item.fail("shard " + quote(refs.topology().shards[s].id) + " is listed twice", kShardsExpected);
    }
    out.push_back(s);
  }
  if (out.empty()) field.fail("empty list", kShardsExpected);
  return out;
}

bool hosts(const ShardSpec& shard, const std::vector<std::string_view>& kinds) {
  return std::any_of(shard.protocols.begin(), shard.protocols.end(), [&](const ProtocolSpec& p) {
    return std::find(kinds.begin(), kinds.end(), p.kind) != kinds.end();
  });
}

// The protocols a protocol-side kind works with must be on its shards (its home for lp and
// searcher, which act on one pool).
void check_protocols(const AgentSpec& a, MapReader& m, const Topology& t) {
  const std::string_view key = m.has("shard") ? "shard" : "shards";
  const std::string kind = agents::agent_kind_name(a.kind);
  if (a.kind == AgentKind::lp) {
    if (!hosts(t.shards[a.shards[0]], {"amm"})) {
      m.fail_key(key, kind + " home shard " + quote(t.shards[a.shards[0]].id) + " hosts no amm protocol",
                 "a shard with an amm, " + protocol_names(t, "amm"));
    }
    return;
  }
  if (a.kind == AgentKind::searcher) {  // sandwiches swaps on an amm, or front-runs perps trades
    if (!hosts(t.shards[a.shards[0]], {"amm", "perps"})) {
      m.fail_key(key, kind + " home shard " + quote(t.shards[a.shards[0]].id) + " hosts no amm or perps protocol",
                 "a shard with an amm or a perps protocol, " + protocol_names(t, "amm") + "; " +
                     protocol_names(t, "perps"));
    }
    return;
  }
  const std::vector<std::string_view> kinds = a.kind == AgentKind::arbitrageur
                                                  ? std::vector<std::string_view>{"amm"}
                                                  : std::vector<std::string_view>{"lending", "perps", "synthetics"};
  const bool any =
      std::any_of(a.shards.begin(), a.shards.end(), [&](std::uint32_t s) { return hosts(t.shards[s], kinds); });
  if (!any) {
    m.fail_key(key,
               kind + " shards host no " + (a.kind == AgentKind::arbitrageur ? "amm" : "lending, perps or synthetics") +
                   " protocol",
               a.kind == AgentKind::arbitrageur ? "shards with an amm"
                                                : "shards with a lending, perps or synthetics protocol");
  }
}

// A key the kind does not use is an error, not silently ignored.
void reject_key(MapReader& m, std::string_view key, std::string_view users) {
  if (m.has(key)) {
    m.fail_key(key, std::string(key) + " is only used by " + std::string(users),
               "no " + std::string(key) + " for this kind");
  }
}

std::string broker_expected(const Topology& t) {
  std::vector<std::string_view> names;
  for (const broker::BrokerConfig& b : t.brokers) names.push_back(b.name);
  return names.empty() ? std::string("a broker declared under brokers: (none are)")
                       : "a broker name: one of: " + name_list(names);
}

void read_capital(const Field& f, const Refs& refs, AgentSpec& a) {
  for (const MapReader::Item& cap : MapReader(f, "a map of amounts such as {USDC: 1M, ETH: {uniform: [1, 5]}}").items()) {
    a.capital.push_back(agents::AgentCapital{refs.asset(cap.key_field), read_distribution(cap.value, Sign::non_negative)});
  }
}

// Retail names exactly one of `broker:` and `protocol:`. With `protocol:` (a perps or amm
// protocol) it trades on that protocol's shard, which becomes its home; false with `broker:`.
bool read_direct_protocol(MapReader& m, AgentSpec& a, const Topology& t) {
  const auto which = m.exclusive({"broker", "protocol"});
  if (!which) {  // neither is given: fails
    m.required("broker", broker_expected(t) + ", or protocol: a perps or amm protocol to trade on directly");
  }
  if (*which == "broker") return false;
  const Field f = *m.optional("protocol");
  const std::string expected = "a perps or amm protocol: " + protocol_names(t, "perps") + "; " + protocol_names(t, "amm");
  const std::string name = f.text(expected);
  for (std::uint32_t s = 0; s < t.shards.size(); ++s) {
    for (const ProtocolSpec& p : t.shards[s].protocols) {
      if (p.name != name) continue;
      if (p.kind != "perps" && p.kind != "amm") {
        f.fail("protocol " + quote(name) + " is a " + p.kind + " protocol: retail trades perps or amm directly",
               expected);
      }
      a.protocol = name;
      a.shards = {s};
      return true;
    }
  }
  f.fail("unknown protocol " + quote(name), expected);
}

// `privacy: public | private`: a private agent's transactions go by a private relay, never to a
// shard's public mempool feed.
void read_privacy(MapReader& m, AgentSpec& a) {
  const auto f = m.optional("privacy");
  if (!f) return;
  constexpr std::string_view kPrivacy = "public or private";
  const std::string v = f->text(kPrivacy);
  if (v != "public" && v != "private") f->fail("unknown privacy " + quote(v), kPrivacy);
  a.private_txs = v == "private";
}

// `run: {health_below: 50%, rumour_delay: 30s}`: the health (house equity over starting capital)
// below which a broker client runs, and how long the rumour takes to reach it.
agents::RunSpec read_run(const Field& field) {
  MapReader m(field, "a run map such as {health_below: 50%, rumour_delay: 30s}", keys::section("agent_run"));
  agents::RunSpec r;
  const Field below = m.required("health_below", "a health ratio such as 50% (house equity over starting capital)");
  r.health_below = below.ratio(Sign::positive);
  if (r.health_below > 10) {
    below.fail("above 1000%, got " + quote(below.node().Scalar()), "a health ratio from 0 to 1000%, e.g. 50%");
  }
  r.rumour_delay = m.optional_duration("rumour_delay", r.rumour_delay, Sign::non_negative);
  m.finish();
  return r;
}

AgentSpec read_agent(const Field& item, const Refs& refs) {
  const Topology& t = refs.topology();
  MapReader m(item, kAgentExpected, keys::section("agent"));
  AgentSpec a;
  a.line = static_cast<std::size_t>(item.line());
  a.kind = read_kind(m.required("kind", kinds_expected()));
  a.count = static_cast<std::uint32_t>(m.optional_count("count", 1, 1, kCountMax));
  if (broker_client(a.kind)) {
    for (const char* key : {"shard", "shards"}) {
      reject_key(m, key,
                 "arbitrageur, liquidator, searcher and lp (retail, basis_trader and hedger trade through broker:, "
                 "retail also straight to a protocol:)");
    }
    if (a.kind == AgentKind::retail && read_direct_protocol(m, a, t)) {
      if (const auto lev = m.optional("leverage")) a.leverage = read_distribution(*lev, Sign::positive);
      reject_key(m, "instruments", "retail through a broker, basis_trader and hedger");
      reject_key(m, "time_in_force", "retail through a broker, basis_trader and hedger");
      reject_key(m, "run", "retail through a broker, basis_trader and hedger");
      if (const auto f = m.optional("capital")) read_capital(*f, refs, a);
      a.every = m.optional_duration("every", a.every);
      reject_key(m, "min_profit", "arbitrageur, liquidator and searcher");
      read_privacy(m, a);
      m.finish();
      return a;
    }
    reject_key(m, "privacy", "agents sending their own transactions (arbitrageur, liquidator, searcher, lp, retail on a protocol)");
    const std::string expected = broker_expected(t);
    const Field f = m.required("broker", expected);
    const std::string name = f.text(expected);
    const auto it = std::find_if(t.brokers.begin(), t.brokers.end(), [&](const auto& b) { return b.name == name; });
    if (it == t.brokers.end()) f.fail("unknown broker " + quote(name), expected);
    a.broker = static_cast<std::uint32_t>(it - t.brokers.begin());
    if (const auto lev = m.optional("leverage")) a.leverage = read_distribution(*lev, Sign::positive);
    a.time_in_force = m.optional_duration("time_in_force", a.time_in_force);
    if (const auto f = m.optional("run")) a.run = read_run(*f);
    if (const auto list = m.optional("instruments")) {
      for (const Field& inst : list->items("a list of instruments such as [dydx.BTC-PERP]")) {
        const std::string id = inst.text(kInstrumentExpected);
        const std::size_t dot = id.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == id.size()) {
          inst.fail("invalid instrument " + quote(id), kInstrumentExpected);
        }
        if (find_protocol(t, std::string_view(id).substr(0, dot)) == nullptr) {
          inst.fail("unknown protocol " + quote(id.substr(0, dot)) + " in " + quote(id), protocol_names(t, ""));
        }
        refs.require_cleared_instrument(inst, id);
        a.instruments.push_back(id);
      }
    }
  } else {
    reject_key(m, "broker", "retail, basis_trader and hedger");
    reject_key(m, "protocol", "retail (trading straight to a protocol)");
    reject_key(m, "leverage", "retail, basis_trader and hedger");
    reject_key(m, "instruments", "retail, basis_trader and hedger");
    reject_key(m, "time_in_force", "retail, basis_trader and hedger");
    reject_key(m, "run", "retail, basis_trader and hedger");
    a.shards = read_shard_list(m, refs);
    check_protocols(a, m, t);
    read_privacy(m, a);
  }
  if (seeks_profit(a.kind)) {
    if (const auto f = m.optional("min_profit")) a.min_profit_usd = read_number(*f, Sign::non_negative, kUsdExpected);
  } else {
    reject_key(m, "min_profit", "arbitrageur, liquidator and searcher");
  }
  if (const auto f = m.optional("capital")) read_capital(*f, refs, a);
  a.every = m.optional_duration("every", a.every);
  m.finish();
  return a;
}

}  // namespace

std::vector<agents::AgentSpec> read_agents(const Field& field, const Topology& topology) {
  const Refs refs(topology);
  std::vector<AgentSpec> out;
  for (const Field& item : field.items("a list of agent populations such as [{kind: lp, count: 5, shard: dex}]")) {
    out.push_back(read_agent(item, refs));
  }
  return out;
}

}  // namespace shardsim::app::loader
