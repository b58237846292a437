// What the topology sections share: latency models, names and references to them, times and
// exact amounts, each read with a one-line error when wrong.
#include <algorithm>
#include <array>
#include <cmath>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app::loader {
namespace {

using core::LatencyKind;
using core::LatencySpec;

constexpr std::size_t kListedNamesMax = 10;

// ---- latency --------------------------------------------------------------------------------

void read_constant(MapReader& m, LatencySpec& spec) {
  spec.value = m.required_duration("value");
}

void read_uniform(MapReader& m, LatencySpec& spec) {
  spec.low = m.required_duration("low");
  const Field high = m.required("high", "a duration with a unit, e.g. 12s");
  spec.high = high.duration();
  if (spec.high < spec.low) {
    high.fail("high " + spec.high.str() + " is below low " + spec.low.str(),
              "high >= low");
  }
}

void read_lognormal(MapReader& m, LatencySpec& spec) {
  spec.median = m.required_duration("median");
  spec.sigma = m.required_decimal("sigma", Sign::positive);
}

void read_normal(MapReader& m, LatencySpec& spec) {
  spec.mean = m.required_duration("mean");
  spec.stddev = m.required_duration("stddev");
}

core::EmpiricalPoint read_empirical_point(const Field& item) {
  if (item.node().IsScalar()) return {item.duration(), 1.0};
  MapReader m(item, "a duration such as 2s or a map such as {value: 2s, weight: 3}", keys::section("empirical_point"));
  core::EmpiricalPoint point;
  point.value = m.required_duration("value");
  point.weight = m.optional_decimal("weight", 1.0, Sign::positive);
  m.finish();
  return point;
}

void read_empirical(MapReader& m, LatencySpec& spec) {
  const Field table = m.required("table", "a list such as [2s, 3s] or [{value: 2s, weight: 3}]");
  for (const Field& item : table.items("a list such as [2s, 3s] or [{value: 2s, weight: 3}]")) {
    spec.table.push_back(read_empirical_point(item));
  }
  if (spec.table.empty()) {
    table.fail("empty table", "at least one entry, e.g. [2s, 3s] or [{value: 2s, weight: 3}]");
  }
  double weight_sum = 0;
  for (const core::EmpiricalPoint& point : spec.table) weight_sum += point.weight;
  if (!std::isfinite(weight_sum)) table.fail("the weights add up to infinity", "a finite sum");
}

struct LatencyModel {
  std::string_view name;
  LatencyKind kind;
  void (*read)(MapReader&, LatencySpec&);
};

constexpr std::array<LatencyModel, 5> kLatencyModels{{
    {"constant", LatencyKind::constant, read_constant},
    {"uniform", LatencyKind::uniform, read_uniform},
    {"lognormal", LatencyKind::lognormal, read_lognormal},
    {"normal", LatencyKind::normal, read_normal},
    {"empirical", LatencyKind::empirical, read_empirical},
}};
constexpr std::string_view kLatencyModelsExpected =
    "one of: constant, uniform, lognormal, normal, empirical";

const LatencyModel& find_latency_model(const Field& field) {
  const std::string name = field.text(kLatencyModelsExpected);
  for (const LatencyModel& model : kLatencyModels) {
    if (model.name == name) return model;
  }
  field.fail("unknown latency model " + quote(name), kLatencyModelsExpected);
}

// ---- amounts --------------------------------------------------------------------------------

constexpr core::i128 kAmountUnitsMax = static_cast<core::i128>(~core::u128{0} >> 1);

std::string amount_expected(const AssetSpec& asset, Sign sign) {
  const std::string bound = sign == Sign::positive       ? " greater than 0"
                            : sign == Sign::non_negative ? " >= 0"
                                                         : "";
  return "an amount of " + asset.symbol + bound + " with at most " +
         std::to_string(asset.decimals) + " decimals, e.g. 1.5 or 10M";
}

// ---- names ----------------------------------------------------------------------------------

bool is_name_char(char c, std::string_view extra) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         extra.find(c) != std::string_view::npos;
}

template <typename Range, typename Name>
std::string list_names(const Range& range, Name name_of) {
  std::vector<std::string_view> names;
  for (const auto& item : range) {
    names.push_back(name_of(item));
    if (names.size() > kListedNamesMax) break;
  }
  return name_list(names);
}

}  // namespace

LatencySpec read_latency(const Field& field) {
  MapReader m(field, kLatencyExpected, keys::section("latency"));
  const LatencyModel& model = find_latency_model(m.required("model", kLatencyModelsExpected));
  LatencySpec spec;
  spec.kind = model.kind;
  model.read(m, spec);
  if (auto min = m.optional("min")) spec.min = min->duration();
  m.finish();
  return spec;
}

std::string read_name(const Field& field, std::string_view what, std::string_view extra,
                      std::string_view expected) {
  std::string name = field.text(expected);
  const bool valid = name.size() <= kNameCharsMax &&
                     std::all_of(name.begin(), name.end(),
                                 [&](char c) { return is_name_char(c, extra); });
  if (!valid) field.fail("invalid " + std::string(what) + " " + quote(name), expected);
  return name;
}

core::SimTime read_time(const Field& field) {
  return core::SimTime::from_us(field.duration(Sign::non_negative).count_us());
}

core::Amount read_amount(const Field& field, const AssetSpec& asset, Sign sign) {
  const std::string expected = amount_expected(asset, sign);
  const std::string text = field.scalar(expected);
  const AmountParse parsed = parse_amount_checked(text, asset.decimals);
  switch (parsed.error) {
    case AmountError::none: break;
    case AmountError::malformed: field.fail("invalid amount " + quote(text), expected);
    case AmountError::too_precise:
      field.fail("amount " + quote(text) + " has more decimals than " + asset.symbol + "'s " +
                     std::to_string(asset.decimals),
                 expected);
    case AmountError::overflow:
      field.fail("amount " + quote(text) + " is too large",
                 "at most " +
                     core::i128_to_string(kAmountUnitsMax / core::pow10_i128(asset.decimals)) +
                     " " + asset.symbol + " (" + std::to_string(asset.decimals) + " decimals)");
  }
  const core::Amount amount = parsed.value;
  const bool bad = sign == Sign::positive       ? amount.raw() <= 0
                   : sign == Sign::non_negative ? amount.is_negative()
                                                : false;
  if (bad) {
    field.fail(std::string(sign == Sign::positive ? "must be positive" : "must not be negative") +
                   ", got " + amount.str(asset.decimals),
               expected);
  }
  return amount;
}

std::string name_list(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kListedNamesMax; ++i) {
    out += (i == 0 ? "" : ", ") + std::string(names[i]);
  }
  if (names.size() > kListedNamesMax) out += ", ...";
  return out;
}

// ---- Refs -----------------------------------------------------------------------------------

Refs::Refs(const Topology& topology)
    : topology_(&topology), priced_(topology.assets.size(), false) {
  for (std::size_t i = 0; i < topology.shards.size(); ++i) {
    shards_.emplace(topology.shards[i].id, static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < topology.assets.size(); ++i) {
    assets_.emplace(topology.assets[i].symbol, static_cast<std::uint32_t>(i));
  }
  for (std::size_t i = 0; i < topology.accounts.size(); ++i) {
    accounts_.emplace(topology.accounts[i].name, static_cast<std::uint32_t>(i));
  }
  const PricesSpec& prices = topology.prices;
  if (prices.present && prices.model == PriceModelKind::replay) {
    // The replay file's rows were read with `prices:`; an asset without rows has no price.
    for (const agents::PricePoint& row : topology.price_replay) {
      if (const auto found = assets_.find(row.asset); found != assets_.end()) priced_[found->second] = true;
    }
  } else if (prices.present) {
    for (const PriceAssetSpec& spec : prices.assets) priced_[spec.asset] = true;
  }
}

std::uint32_t Refs::shard(const Field& field) const {
  const std::string id = field.text(kShardIdExpected);
  const auto found = shards_.find(id);
  if (found == shards_.end()) field.fail("unknown shard " + quote(id), "one of: " + shard_names());
  return found->second;
}

std::uint32_t Refs::asset(const Field& field) const {
  const std::string symbol = field.text(kSymbolExpected);
  const auto found = assets_.find(symbol);
  if (found == assets_.end()) {
    field.fail("unknown asset " + quote(symbol),
               assets_.empty() ? std::string("an asset declared under assets: (none are)")
                               : "one of: " + asset_names());
  }
  return found->second;
}

std::uint32_t Refs::priced_asset(const Field& field) const {
  const std::uint32_t index = asset(field);
  if (priced_[index]) return index;
  const std::string& symbol = topology_->assets[index].symbol;
  if (!topology_->prices.present) {
    field.fail(symbol + " has no price process: there is no prices: section",
               "a prices: section that prices " + symbol);
  }
  if (topology_->prices.model == PriceModelKind::replay) {
    field.fail(symbol + " has no price process (the replay file has no rows for it)",
               "an asset with rows in the replay file: " + priced_names());
  }
  field.fail(symbol + " has no price process (it is not in prices.assets)",
             "an asset with a price process: " + priced_names());
}

const AccountSpec& Refs::account(const Field& field) const {
  const std::string name = field.text(kAccountExpected);
  const auto found = accounts_.find(name);
  if (found == accounts_.end()) {
    field.fail("unknown account " + quote(name),
               accounts_.empty() ? std::string("an account declared under accounts: (none are)")
                                 : "one of: " + account_names());
  }
  return topology_->accounts[found->second];
}

std::string Refs::shard_names() const {
  return list_names(topology_->shards, [](const ShardSpec& s) -> std::string_view { return s.id; });
}

std::string Refs::asset_names() const {
  return list_names(topology_->assets,
                    [](const AssetSpec& a) -> std::string_view { return a.symbol; });
}

std::string Refs::priced_names() const {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < priced_.size() && names.size() <= kListedNamesMax; ++i) {
    if (priced_[i]) names.push_back(topology_->assets[i].symbol);
  }
  return names.empty() ? "none" : name_list(names);
}

std::string Refs::account_names() const {
  return list_names(topology_->accounts,
                    [](const AccountSpec& a) -> std::string_view { return a.name; });
}

}  // namespace shardsim::app::loader
