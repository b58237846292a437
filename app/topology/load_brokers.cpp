// Reads `brokers:` into broker::BrokerConfig: each prime broker's home shard (one with oracle
// feeds), capital and default fund, portfolio-margin parameters, hedging, settlement, client
// limits and fees. Durations may count slots of the home shard: `every: 1 slot`.
#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::loader {
namespace {

using broker::AssetAmount;
using broker::BrokerConfig;

constexpr std::string_view kBrokerExpected =
    "a broker map such as {name: prime, home: l2, capital: {USDC: 5M}}";
constexpr std::string_view kNameExpected =
    "a broker name of letters, digits, '_' or '-', e.g. prime";
constexpr std::string_view kAmountsExpected = "a map of amounts such as {USDC: 5M}";
constexpr std::string_view kDefaultFundExpected = "a map of amounts with an optional share of client deposits, such as {USDC: 2M, client_contribution: 2%}";
constexpr std::string_view kPairExpected = "two different asset symbols, e.g. [BTC, ETH]";
constexpr std::string_view kCreditRatioExpected = "two numbers greater than 0, e.g. [1, 1]";
constexpr std::string_view kUsdExpected = "a USD amount >= 0, e.g. 100k or 2500.5";
constexpr std::size_t kDurationDigitsMax = 18;  // as Field::duration: a clear "too large"
// The longest duration text can give (core::Duration::parse); slot counts stay within it too.
constexpr std::int64_t kDurationUsMax = std::numeric_limits<std::int64_t>::max() / 4;
constexpr std::uint64_t kSplitMax = 64;          // child orders per hedge

// One of an enum's N names, as `name_of` spells them (broker::policy_name, ...): the loader and
// the summary use the same words. The message lists the choices.
template <typename E, int N>
E read_named(const Field& field, std::string_view what, const char* (*name_of)(E)) {
  std::string expected = "one of:";
  for (int i = 0; i < N; ++i) expected += std::string(i == 0 ? " " : ", ") + name_of(static_cast<E>(i));
  const std::string name = field.text(expected);
  for (int i = 0; i < N; ++i) {
    if (name == name_of(static_cast<E>(i))) return static_cast<E>(i);
  }
  field.fail("unknown " + std::string(what) + " " + quote(name), expected);
}

// `12s`, `1h`, or `N slot` / `N slots`: N times the home shard's slot. Above 0 unless
// `zero_ok`.
core::Duration read_slots_or_duration(const Field& field, core::Duration slot, bool zero_ok) {
  const std::string expected = std::string("a duration ") + (zero_ok ? ">= 0" : "greater than 0") +
                               " such as 12s, or home slots (" + slot.str() + " each), e.g. 2 slots";
  const std::string text = field.scalar(expected);
  std::string_view t(text);
  core::Duration d;
  if (t.ends_with("slot") || t.ends_with("slots")) {
    t.remove_suffix(t.ends_with("slots") ? 5 : 4);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    const CountParse n = parse_count_checked(t);
    if (n.error != CountError::none) field.fail("invalid slot count in " + quote(text), expected);
    const auto most = static_cast<std::uint64_t>(kDurationUsMax / slot.count_us());
    if (n.value > most) field.fail("duration " + quote(text) + " is too large", expected);
    d = slot * static_cast<std::int64_t>(n.value);
  } else {
    std::size_t run = 0, longest = 0;
    for (char c : t) longest = std::max(longest, run = (c >= '0' && c <= '9') ? run + 1 : 0);
    if (longest > kDurationDigitsMax) field.fail("duration " + quote(text) + " is too large", expected);
    const auto parsed = core::Duration::parse(t);
    if (!parsed) {
      field.fail((parse_decimal(t) ? "missing unit in " : "invalid duration ") + quote(text), expected);
    }
    d = *parsed;
  }
  if (d.count_us() < 0 || (!zero_ok && d.count_us() == 0)) {
    field.fail(std::string(zero_ok ? "must not be negative" : "must be positive") + ", got " + quote(text),
               expected);
  }
  return d;
}

// `n` home slots as a default, capped at the longest duration the text could give.
core::Duration home_slots(core::Duration slot, std::int64_t n) {
  return slot.count_us() > kDurationUsMax / n ? core::Duration::us(kDurationUsMax) : slot * n;
}

// A ratio from 0 to 100%: fees.
double read_fraction(const Field& field) {
  const double r = field.ratio(Sign::non_negative);
  if (r > 1) field.fail("above 100%, got " + quote(field.node().Scalar()), "a ratio from 0 to 100%, e.g. 1%");
  return r;
}

// The same ratio as an exact WAD (1e18 = 100%): fees that are charged as money.
__int128 read_fraction_wad(const Field& field) {
  read_fraction(field);  // validates the range
  return field.ratio_wad(Sign::non_negative);
}

// A plain USD figure with k/M/B suffixes allowed, >= 0 (a threshold, not money held).
double read_usd(const Field& field) {
  const std::string text = field.scalar(kUsdExpected);
  const AmountParse parsed = parse_amount_checked(text, 18);
  if (parsed.error != AmountError::none) field.fail("invalid USD amount " + quote(text), kUsdExpected);
  if (parsed.value.is_negative()) field.fail("must not be negative, got " + quote(text), kUsdExpected);
  return parsed.value.to_double(18);
}

std::vector<AssetAmount> read_amounts(const Field& field, const Refs& refs) {
  std::vector<AssetAmount> out;
  for (const MapReader::Item& item : MapReader(field, kAmountsExpected).items()) {
    const std::uint32_t asset = refs.asset(item.key_field);
    out.push_back({asset, read_amount(item.value, refs.topology().assets[asset], Sign::non_negative)});
  }
  return out;
}

// `default_fund: {USDC: 2M, client_contribution: 2%}`: the broker's own fund per asset, and the
// share of each client deposit (quote asset) set aside as that client's contribution.
void read_default_fund(const Field& field, broker::BrokerConfig& b, const Refs& refs) {
  for (const MapReader::Item& item : MapReader(field, kDefaultFundExpected).items()) {
    if (item.key == "client_contribution") {
      keys::note_key_use(keys::section("default_fund"), item.key);
      b.client_contribution_wad = read_fraction_wad(item.value);
      continue;
    }
    const std::uint32_t asset = refs.asset(item.key_field);
    b.default_fund.push_back({asset, read_amount(item.value, refs.topology().assets[asset], Sign::non_negative)});
  }
}

// ---- margin ---------------------------------------------------------------------------------

broker::CreditPair read_credit(const Field& item, const Refs& refs) {
  MapReader m(item, "a credit such as {pair: [BTC, ETH], rate: 60%}", keys::section("credit"));
  broker::CreditPair c;
  const Field pair = m.required("pair", kPairExpected);
  const std::vector<Field> assets = pair.items(kPairExpected);
  if (assets.size() != 2) pair.fail("a pair of " + std::to_string(assets.size()) + " assets", kPairExpected);
  c.a = refs.asset(assets[0]);
  c.b = refs.asset(assets[1]);
  c.rate = m.required_ratio("rate", Sign::non_negative);
  if (const auto ratio = m.optional("ratio")) {
    const std::vector<Field> sides = ratio->items(kCreditRatioExpected);
    if (sides.size() != 2) ratio->fail("a ratio of " + std::to_string(sides.size()) + " numbers", kCreditRatioExpected);
    c.ratio_a = sides[0].decimal(Sign::positive);
    c.ratio_b = sides[1].decimal(Sign::positive);
  }
  if (const auto unit = m.optional("unit")) {
    c.unit = read_named<broker::DeltaUnit, 2>(*unit, "credit unit", [](broker::DeltaUnit u) {
      return u == broker::DeltaUnit::notional_usd ? "notional" : "units";
    });
  }
  if (const auto legs = m.optional("legs")) {
    c.legs = read_named<broker::CreditLegs, 2>(*legs, "credit legs", [](broker::CreditLegs l) {
      return l == broker::CreditLegs::opposite ? "opposite" : "same";
    });
  }
  m.finish();
  return c;
}

broker::MarginConfig read_margin(const Field& field, const Refs& refs) {
  MapReader m(field, "a margin map such as {scan_range: {BTC: 10%}, maintenance: 75%}", keys::section("margin"));
  broker::MarginConfig c;
  if (const auto ranges = m.optional("scan_range")) {
    for (const MapReader::Item& item : MapReader(*ranges, "a map of ratios such as {BTC: 10%}").items()) {
      c.scan_range[refs.asset(item.key_field)] = item.value.ratio(Sign::non_negative);
    }
  }
  c.scan_range_default = m.optional_ratio("scan_range_default", c.scan_range_default, Sign::non_negative);
  if (const auto extreme = m.optional("extreme")) {
    MapReader e(*extreme, "a map such as {multiplier: 2, fraction: 35%}", keys::section("margin_extreme"));
    c.extreme_multiplier = e.optional_decimal("multiplier", c.extreme_multiplier, Sign::positive);
    c.extreme_fraction = e.optional_ratio("fraction", c.extreme_fraction, Sign::non_negative);
    e.finish();
  }
  c.basis_charge = m.optional_ratio("basis_charge", c.basis_charge, Sign::non_negative);
  if (const auto credits = m.optional("credits")) {
    for (const Field& item : credits->items("a list of credits such as [{pair: [BTC, ETH], rate: 60%}]")) {
      c.credits.push_back(read_credit(item, refs));
    }
  }
  if (const auto haircuts = m.optional("haircuts")) {
    for (const MapReader::Item& item : MapReader(*haircuts, "a map of ratios such as {snx: 3%}").items()) {
      if (find_protocol(refs.topology(), item.key) == nullptr) {
        item.key_field.fail("unknown protocol " + quote(item.key), protocol_names(refs.topology(), ""));
      }
      c.haircuts[item.key] = item.value.ratio(Sign::non_negative);
    }
  }
  c.latency_z = m.optional_decimal("latency_z", c.latency_z, Sign::non_negative);
  c.maintenance = m.optional_ratio("maintenance", c.maintenance, Sign::non_negative);
  c.resolution_charge = m.optional_ratio("resolution_charge", c.resolution_charge, Sign::non_negative);
  m.finish();
  if (const auto reason = c.invalid_reason()) {
    field.fail(*reason, "ratios within 0%..100%, extreme.multiplier >= 1, credit pairs of two assets");
  }
  return c;
}

// ---- hedging, settlement, limits --------------------------------------------------------------

void read_hedging(const Field& field, BrokerConfig& b, const Refs& refs, core::Duration slot) {
  MapReader m(field, "a hedging map such as {policy: batch, every: 1 slot}", keys::section("hedging"));
  broker::HedgingConfig& h = b.hedging;
  if (const auto f = m.optional("policy")) {
    h.policy = read_named<broker::HedgePolicy, 4>(*f, "hedging policy", broker::policy_name);
  }
  if (const auto f = m.optional("every")) h.every = read_slots_or_duration(*f, slot, false);
  if (const auto f = m.optional("band")) h.band_usd = read_usd(*f);
  if (const auto f = m.optional("privacy")) {
    h.privacy = read_named<broker::HedgePrivacy, 3>(*f, "hedging privacy", broker::privacy_name);
  }
  h.split = static_cast<std::uint32_t>(m.optional_count("split", h.split, 1, kSplitMax));
  if (const auto f = m.optional("private_delay")) h.private_delay = read_slots_or_duration(*f, slot, false);
  if (const auto f = m.optional("private_fee")) h.private_fee = read_fraction(*f);
  constexpr std::uint64_t kRevealDelayMax = 1000;
  h.reveal_delay = static_cast<std::uint32_t>(m.optional_count("reveal_delay", h.reveal_delay, 0, kRevealDelayMax));
  if (const auto f = m.optional("commit_leak")) h.commit_leak = read_fraction(*f);
  if (const auto f = m.optional("split_spacing")) h.split_spacing = read_slots_or_duration(*f, slot, true);
  if (const auto f = m.optional("max_slippage")) h.max_slippage = read_fraction(*f);
  if (const auto f = m.optional("venues")) {
    for (const MapReader::Item& v : MapReader(*f, "a map of venue kinds such as {perps: true, amm: false}").items()) {
      const bool on = v.value.boolean();
      if (keys::find_key(keys::section("venues"), v.key) != nullptr) keys::note_key_use(keys::section("venues"), v.key);
      if (v.key == "perps") {
        h.perps_venues = on;
      } else if (v.key == "amm") {
        h.amm_venues = on;
      } else if (v.key == "prediction") {
        h.prediction_venues = on;
      } else if (v.key == "dark") {
        h.dark_venues = on;
      } else {
        v.key_field.fail("unknown venue kind \"" + v.key + "\"", "perps, amm, prediction or dark");
      }
    }
  }
  if (const auto f = m.optional("venue_margin")) {
    if (b.capital.empty()) {
      f->fail("venue_margin is an amount of the quote asset, the first in capital, and capital is empty",
              "capital: {USDC: 5M} on the broker, or no venue_margin");
    }
    h.venue_margin = read_amount(*f, refs.topology().assets[b.capital.front().asset], Sign::positive);
  }
  if (const auto f = m.optional("counterparty")) {
    h.counterparty = read_name(*f, "broker name", "_-", kNameExpected);  // resolved by check_counterparties
    const Field limit = m.required("counterparty_limit", "counterparty_limit: a USD notional such as 2M, with counterparty");
    h.counterparty_limit_usd = read_usd(limit);
  } else if (m.has("counterparty_limit")) {
    m.fail_key("counterparty_limit", "counterparty_limit is only used with counterparty", "counterparty: BROKER, or no counterparty_limit");
  }
  m.finish();
}

void read_settlement(const Field& field, broker::SettlementConfig& s, core::Duration slot) {
  MapReader m(field, "a settlement map such as {atomicity: two_phase, timeout: 10 slots, max_inflight: 2}", keys::section("settlement"));
  if (const auto f = m.optional("atomicity")) {
    s.atomicity = read_named<broker::Atomicity, 3>(*f, "settlement atomicity", broker::atomicity_name);
  }
  if (const auto f = m.optional("locks")) {
    constexpr std::string_view kLocks = "revert or wait";
    const std::string v = f->text(kLocks);
    if (v != "revert" && v != "wait") f->fail("unknown locks \"" + v + "\"", kLocks);
    s.lock_wait = v == "wait";
  }
  if (const auto f = m.optional("ordering")) {
    s.ordering = read_named<broker::SettlementOrdering, 4>(*f, "settlement ordering", broker::ordering_name);
  }
  // `auto` (the default): three expected round trips to the farthest venue, at least 10 slots.
  if (const auto f = m.optional("timeout"); f && f->node().IsScalar() && f->node().Scalar() == "auto") {
    s.timeout_set = false;
  } else if (f) {
    s.timeout = read_slots_or_duration(*f, slot, false);
    s.timeout_set = true;
  }
  if (const auto f = m.optional("risk_budget")) s.risk_budget_usd = read_usd(*f);
  constexpr std::uint64_t kInflightMax = 64;
  s.max_inflight = static_cast<std::uint32_t>(m.optional_count("max_inflight", s.max_inflight, 1, kInflightMax));
  if (const auto f = m.optional("deadlines")) {
    MapReader d(*f, "a map of deadlines by cause such as {order: 5m, margin_call: 1m, withdrawal: 30m}", keys::section("deadlines"));
    s.order_deadline = d.optional_duration("order", s.order_deadline);
    s.margin_call_deadline = d.optional_duration("margin_call", s.margin_call_deadline);
    s.withdrawal_deadline = d.optional_duration("withdrawal", s.withdrawal_deadline);
    d.finish();
  }
  m.finish();
}

void read_limits(const Field& field, broker::BrokerLimits& l, const Refs& refs, core::Duration slot) {
  MapReader m(field, "a limits map such as {position_notional_max: {USDC: 2M}, withdrawal_delay: 1h}", keys::section("broker_limits"));
  if (const auto f = m.optional("position_notional_max")) {
    constexpr std::string_view expected = "one amount such as {USDC: 2M}";
    const std::vector<MapReader::Item> items = MapReader(*f, expected).items();
    if (items.size() != 1) f->fail("a map of " + std::to_string(items.size()) + " amounts", expected);
    const std::uint32_t asset = refs.asset(items[0].key_field);
    l.position_notional_max =
        AssetAmount{asset, read_amount(items[0].value, refs.topology().assets[asset], Sign::positive)};
  }
  if (const auto f = m.optional("withdrawal_delay")) l.withdrawal_delay = read_slots_or_duration(*f, slot, true);
  m.finish();
}

// ---- one broker -------------------------------------------------------------------------------

using BrokerNames = std::map<std::string, std::size_t, std::less<>>;  // name -> line

// The synthetics protocol a vertically integrated broker issues.
std::string read_issues(const Field& field, const Topology& t) {
  const std::string expected = protocol_names(t, "synthetics");
  const std::string name = field.text(expected);
  const ProtocolSpec* p = find_protocol(t, name);
  if (p == nullptr) field.fail("unknown protocol " + quote(name), expected);
  if (p->kind != "synthetics") field.fail("protocol " + quote(name) + " is " + p->kind + ", not synthetics", expected);
  return name;
}

// `issuer: {stake: 3M, c_ratio: 500%, backstop_max: 1M, claim_every: 10m}` for protocol `name`
// (a synthetics protocol): stake in its collateral, backstop in the broker's quote (capital's first asset).
broker::IssuerConfig read_issuer(const Field& field, const std::string& name, const Refs& refs,
                                 const std::vector<AssetAmount>& capital) {
  const Topology& t = refs.topology();
  MapReader m(field, "issuer settings such as {stake: 3M, c_ratio: 500%, backstop_max: 1M, claim_every: 10m}", keys::section("issuer"));
  broker::IssuerConfig c;
  std::optional<SyntheticsAssets> assets;
  for (std::uint32_t s = 0; s < t.shards.size(); ++s) {
    for (std::uint32_t p = 0; p < t.shards[s].protocols.size(); ++p) {
      const ProtocolSpec& spec = t.shards[s].protocols[p];
      if (spec.name != name || !spec.params) continue;
      assets = synthetics_assets(*spec.params);
      c.shard = s;
      c.protocol = p;
    }
  }
  if (!assets) field.fail("protocol " + quote(name) + " has no synthetics parameters", "issues: a synthetics protocol");
  c.collateral = assets->collateral;
  c.susd = assets->susd;
  const AssetSpec& collateral = t.assets[c.collateral];
  c.stake = read_amount(m.required("stake", "the collateral (" + collateral.symbol + ") it stakes, e.g. 3M"), collateral,
                        Sign::positive);
  if (const auto f = m.optional("c_ratio")) {
    c.c_ratio_wad = f->ratio_wad(Sign::positive);
    // Issuing at c_ratio needs debt / collateral = 1 / c_ratio within the protocol's issuance ratio
    // (to the last WAD unit: 1/3 is not exact).
    if (protocols::wad_mul(c.c_ratio_wad, assets->issuance_ratio_wad, protocols::Round::up) + 1 < protocols::kWadUnit) {
      f->fail("c_ratio below what " + quote(name) + " lets a staker issue at (1 / issuance_ratio)",
              "a c-ratio of at least 1 / issuance_ratio, e.g. 500%");
    }
  }
  if (const auto f = m.optional("backstop_max")) {
    if (!assets->reserve) {
      f->fail("protocol " + quote(name) + " has no reserve to fund", "params.reserve: ASSET on the protocol, or no backstop_max");
    }
    if (capital.empty() || capital.front().asset != *assets->reserve) {
      f->fail("the broker pays the backstop in its quote (its capital's first asset), which is not " +
                  quote(t.assets[*assets->reserve].symbol) + ", the reserve of " + quote(name),
              "capital whose first asset is the reserve asset, or no backstop_max");
    }
    c.backstop_max = read_amount(*f, t.assets[*assets->reserve], Sign::non_negative);
  }
  c.claim_every = m.optional_duration("claim_every", core::Duration::min(10), Sign::non_negative);
  m.finish();
  return c;
}

BrokerConfig read_broker(const Field& item, const Refs& refs, BrokerNames& seen) {
  const Topology& t = refs.topology();
  MapReader m(item, kBrokerExpected, keys::section("broker"));
  BrokerConfig b;
  b.line = static_cast<std::size_t>(item.line());
  const Field name = m.required("name", kNameExpected);
  b.name = read_name(name, "broker name", "_-", kNameExpected);
  if (const auto [first, inserted] = seen.emplace(b.name, b.line); !inserted) {
    name.fail("duplicate broker name " + quote(b.name) + ", first defined on line " + std::to_string(first->second),
              "a broker name unique among brokers");
  }
  const Field home = m.required("home", kShardIdExpected);
  b.home_shard = refs.shard(home);
  const ShardSpec& shard = t.shards[b.home_shard];
  if (!shard.oracles) {
    std::vector<std::string_view> fed;
    for (const ShardSpec& s : t.shards) {
      if (s.oracles) fed.push_back(s.id);
    }
    home.fail("shard " + quote(shard.id) + " has no oracles: the broker marks positions to its feeds",
              fed.empty() ? std::string("a shard with oracles: {assets: [...]} (none has)")
                          : "a shard with oracles: " + name_list(fed));
  }
  const core::Duration slot = shard.slot;
  b.hedging.every = slot;
  b.hedging.private_delay = home_slots(slot, 2);
  b.hedging.split_spacing = home_slots(slot, 1);
  b.settlement.timeout = home_slots(slot, 10);
  if (const auto f = m.optional("capital")) b.capital = read_amounts(*f, refs);
  if (const auto f = m.optional("default_fund")) read_default_fund(*f, b, refs);
  if (const auto f = m.optional("margin")) b.margin = read_margin(*f, refs);
  if (const auto f = m.optional("hedging")) read_hedging(*f, b, refs, slot);
  if (const auto f = m.optional("settlement")) read_settlement(*f, b.settlement, slot);
  if (const auto f = m.optional("limits")) read_limits(*f, b.limits, refs, slot);
  // `issues` and `issuer` describe the issuer side; `vertically_integrated` switches it on, so
  // that one --param flips an integrated broker into an independent one.
  b.vertically_integrated = m.optional_bool("vertically_integrated", false);
  if (b.vertically_integrated || m.has("issues")) {
    const std::string expected =
        (b.vertically_integrated ? "issues: NAME, since vertically_integrated is true; " : "issues: NAME; ") +
        protocol_names(t, "synthetics");
    b.issuer_of = read_issues(m.required("issues", expected), t);
  }
  if (const auto f = m.optional("issuer")) {
    if (b.issuer_of.empty()) {
      m.fail_key("issuer", "issuer settings need the protocol it issues", "issues: NAME beside issuer");
    }
    b.issuer = read_issuer(*f, b.issuer_of, refs, b.capital);
    const std::vector<std::uint32_t>& feeds = shard.oracles->assets;
    if (std::find(feeds.begin(), feeds.end(), b.issuer->collateral) == feeds.end()) {
      f->fail("home shard " + quote(shard.id) + " has no " + t.assets[b.issuer->collateral].symbol +
                  " feed: the broker marks its stake to its home oracle",
              "a home shard whose oracles include " + t.assets[b.issuer->collateral].symbol);
    }
  }
  if (const auto f = m.optional("order_fee")) b.order_fee_wad = read_fraction_wad(*f);
  if (const auto f = m.optional("liquidation_fee")) b.liquidation_fee_wad = read_fraction_wad(*f);
  m.finish();
  return b;
}

}  // namespace

const ProtocolSpec* find_protocol(const Topology& topology, std::string_view name) {
  for (const ShardSpec& shard : topology.shards) {
    for (const ProtocolSpec& p : shard.protocols) {
      if (p.name == name) return &p;
    }
  }
  return nullptr;
}

std::string protocol_names(const Topology& topology, std::string_view kind) {
  const std::string what = kind.empty() ? "a protocol" : "a " + std::string(kind) + " protocol";
  std::vector<std::string_view> names;
  for (const ShardSpec& shard : topology.shards) {
    for (const ProtocolSpec& p : shard.protocols) {
      if (kind.empty() || p.kind == kind) names.push_back(p.name);
    }
  }
  return names.empty() ? what + " deployed on a shard (none is)" : what + ": one of: " + name_list(names);
}

std::vector<BrokerConfig> read_brokers(const Field& field, const Topology& topology) {
  const Refs refs(topology);
  BrokerNames seen;
  std::vector<BrokerConfig> brokers;
  for (const Field& item : field.items("a list of brokers such as [{name: prime, home: l2}]")) {
    brokers.push_back(read_broker(item, refs, seen));
  }
  return brokers;
}

// `hedging: {counterparty: NAME}` names another broker of the topology, and its variation margin
// settles through the clearing cycles: checked once `clearing:` is read.
void check_counterparties(const Field& field, const Topology& topology) {
  std::vector<std::string_view> names;
  for (const BrokerConfig& b : topology.brokers) names.push_back(b.name);
  const std::vector<Field> items = field.items("a list of brokers");
  for (std::size_t i = 0; i < items.size() && i < topology.brokers.size(); ++i) {
    const BrokerConfig& b = topology.brokers[i];
    if (b.hedging.counterparty.empty()) continue;
    MapReader broker_map(items[i], kBrokerExpected);
    MapReader hedging(*broker_map.optional("hedging"), "a hedging map");
    const Field f = *hedging.optional("counterparty");
    const std::string others = "another broker: one of: " + name_list(names) + " other than " + quote(b.name);
    if (b.hedging.counterparty == b.name) f.fail("a broker cannot be its own counterparty", others);
    if (std::find(names.begin(), names.end(), b.hedging.counterparty) == names.end()) {
      f.fail("unknown broker " + quote(b.hedging.counterparty), others);
    }
    if (!topology.clearing) {
      f.fail("a counterparty broker, but the topology has no clearing cycles to settle its variation margin",
             "clearing: {cycle: 1m, mode: multilateral}, or no counterparty");
    }
  }
}

}  // namespace shardsim::app::loader
