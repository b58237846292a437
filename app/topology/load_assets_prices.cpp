// Reads `assets:` (symbols and decimals) and `prices:` (the true-price process: its model, the
// parameters of each priced asset or the asset it is pegged to, their correlations, or a replay
// file).
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "agents/price_path.hpp"
#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app::loader {
namespace {

constexpr int kDecimalsMax = 30;
constexpr std::size_t kReplayBytesMax = 16u << 20;  // a replay CSV is read whole, at most 16 MiB
constexpr std::string_view kAssetsExpected =
    "a map of assets such as {USDC: {decimals: 6}, ETH: {}}";
constexpr std::string_view kModelsExpected = "one of: gbm, correlated_gbm, jump_diffusion, replay";
constexpr std::string_view kPricedExpected =
    "a map of priced assets such as {ETH: {initial: 2000, vol_annual: 80%}}";
constexpr std::string_view kCorrelationsExpected = "a map of pairs such as {ETH-BTC: 0.8}";
constexpr std::string_view kJumpKeys[] = {"jump_intensity_annual", "jump_mean", "jump_stddev"};
// Rounding slack when checking that the correlations form a valid correlation matrix.
constexpr double kCorrelationTolerance = 1e-9;

struct PriceModel {
  std::string_view name;
  PriceModelKind kind;
};
constexpr std::array<PriceModel, 4> kPriceModels{{
    {"gbm", PriceModelKind::gbm},
    {"correlated_gbm", PriceModelKind::correlated_gbm},
    {"jump_diffusion", PriceModelKind::jump_diffusion},
    {"replay", PriceModelKind::replay},
}};

PriceModelKind read_model(const Field& field) {
  const std::string name = field.text(kModelsExpected);
  for (const PriceModel& model : kPriceModels) {
    if (model.name == name) return model.kind;
  }
  field.fail("unknown price model " + quote(name), kModelsExpected);
}

AssetSpec read_asset(const MapReader::Item& item) {
  AssetSpec asset;
  asset.symbol = read_name(item.key_field, "asset symbol", "_-", kSymbolExpected);
  MapReader m(item.value, "an asset map such as {decimals: 6} or {}", keys::section("asset"));
  asset.decimals = static_cast<int>(m.optional_count("decimals", 18, 0, kDecimalsMax));
  m.finish();
  return asset;
}

// Every key of a priced asset with a process of its own: a pegged asset takes none of them.
constexpr std::string_view kProcessKeys[] = {"initial", "vol_annual", "drift_annual",
                                             "jump_intensity_annual", "jump_mean", "jump_stddev"};
constexpr std::string_view kPegExpected = "an asset with a price process of its own, e.g. BTC";

// A priced asset and, when it is pegged, where its `peg:` was written (checked once every priced
// asset is known: the peg may come later in the map).
struct PricedAsset {
  PriceAssetSpec spec;
  std::optional<Field> peg;
};

// `sBTC: {peg: BTC}`: the asset's true price is BTC's times a ratio that only a depeg fault moves.
PricedAsset read_pegged_asset(PriceAssetSpec spec, MapReader& m, const Refs& refs) {
  Field peg = *m.optional("peg");
  spec.peg = refs.asset(peg);
  for (std::string_view key : kProcessKeys) {
    if (m.has(key)) {
      m.fail_key(key, "a pegged asset takes its price from its peg, so it has no " + std::string(key),
                 "{peg: " + refs.topology().assets[*spec.peg].symbol + "} alone");
    }
  }
  m.finish();
  return PricedAsset{spec, std::move(peg)};
}

PricedAsset read_priced_asset(const MapReader::Item& item, PriceModelKind model,
                              const Refs& refs) {
  PriceAssetSpec spec;
  spec.asset = refs.asset(item.key_field);
  MapReader m(item.value,
              "a map such as {initial: 2000, vol_annual: 80%, drift_annual: 0%} or {peg: BTC}", keys::section("priced_asset"));
  if (m.has("peg")) return read_pegged_asset(spec, m, refs);
  spec.initial = m.required("initial", "the starting price, e.g. 2000").decimal(Sign::positive);
  spec.vol_annual = m.optional_ratio("vol_annual", 0, Sign::non_negative);
  spec.drift_annual = m.optional_ratio("drift_annual", 0, Sign::any);
  if (model == PriceModelKind::jump_diffusion) {
    spec.jump_intensity_annual =
        m.optional_decimal("jump_intensity_annual", 0, Sign::non_negative);
    spec.jump_mean = m.optional_ratio("jump_mean", 0, Sign::any);
    spec.jump_stddev = m.optional_ratio("jump_stddev", 0, Sign::non_negative);
  } else {
    for (std::string_view key : kJumpKeys) {
      if (m.has(key)) {
        m.fail_key(key, std::string(key) + " is only used by model jump_diffusion",
                   "model: jump_diffusion, or no jump_* keys");
      }
    }
  }
  m.finish();
  return PricedAsset{spec, std::nullopt};
}

// A peg must have a price process of its own: priced here, and not pegged itself.
void check_pegs(const std::vector<PricedAsset>& priced, const Topology& topology) {
  std::vector<const PriceAssetSpec*> spec_of(topology.assets.size(), nullptr);
  std::vector<std::string_view> own;  // the assets a peg may name
  for (const PricedAsset& p : priced) {
    spec_of[p.spec.asset] = &p.spec;
    if (!p.spec.peg) own.push_back(topology.assets[p.spec.asset].symbol);
  }
  const std::string expected = own.empty() ? std::string(kPegExpected)
                                           : std::string(kPegExpected) + ": one of: " + name_list(own);
  for (const PricedAsset& p : priced) {
    if (!p.spec.peg) continue;
    const std::string& symbol = topology.assets[p.spec.asset].symbol;
    const std::string& peg = topology.assets[*p.spec.peg].symbol;
    const PriceAssetSpec* target = spec_of[*p.spec.peg];
    if (*p.spec.peg == p.spec.asset) p.peg->fail(symbol + " is pegged to itself", expected);
    if (target == nullptr) {
      p.peg->fail(symbol + " is pegged to " + peg + ", which has no price process (it is not in prices.assets)",
                  expected);
    }
    if (target->peg) {
      p.peg->fail(symbol + " is pegged to " + peg + ", which is itself pegged (to " +
                      topology.assets[*target->peg].symbol + ")",
                  expected);
    }
  }
}

std::vector<PriceAssetSpec> read_priced_assets(const Field& field, PriceModelKind model,
                                               const Refs& refs) {
  MapReader m(field, kPricedExpected);
  std::vector<PricedAsset> priced;
  for (const MapReader::Item& item : m.items()) {
    priced.push_back(read_priced_asset(item, model, refs));
  }
  if (priced.empty()) field.fail("no priced assets", kPricedExpected);
  check_pegs(priced, refs.topology());
  std::vector<PriceAssetSpec> assets;
  for (PricedAsset& p : priced) assets.push_back(p.spec);
  return assets;
}

// `A-B`, where symbols may themselves hold `-`: the one split into two priced assets.
std::pair<std::uint32_t, std::uint32_t> read_pair_key(const MapReader::Item& item,
                                                      const Topology& topology,
                                                      const std::vector<bool>& priced) {
  const std::string& key = item.key;
  const std::string expected = "two priced assets joined by '-', e.g. ETH-BTC";
  std::optional<std::pair<std::uint32_t, std::uint32_t>> found;
  for (std::size_t dash = key.find('-'); dash != std::string::npos;
       dash = key.find('-', dash + 1)) {
    const auto a = topology.asset_index(std::string_view(key).substr(0, dash));
    const auto b = topology.asset_index(std::string_view(key).substr(dash + 1));
    if (!a || !b || !priced[*a] || !priced[*b]) continue;
    if (found) item.key_field.fail("ambiguous pair " + quote(key), expected);
    found.emplace(*a, *b);
  }
  if (!found) {
    item.key_field.fail("not a pair of priced assets: " + quote(key), expected);
  }
  if (found->first == found->second) {
    item.key_field.fail("pairs " + topology.assets[found->first].symbol + " with itself",
                        "two different assets");
  }
  return *found;
}

// Correlations must form a positive semi-definite matrix (pairs not given are 0), or no
// correlated path exists: Cholesky with a tolerance, over the assets the pairs name.
bool is_valid_correlation(const std::vector<CorrelationSpec>& pairs) {
  std::map<std::uint32_t, std::size_t> position;
  for (const CorrelationSpec& c : pairs) {
    position.emplace(c.a, position.size());
    position.emplace(c.b, position.size());
  }
  const std::size_t n = position.size();
  std::vector<double> a(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) a[i * n + i] = 1.0;
  for (const CorrelationSpec& c : pairs) {
    const std::size_t i = position[c.a];
    const std::size_t j = position[c.b];
    a[i * n + j] = a[j * n + i] = c.rho;
  }
  std::vector<double> l(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    if (d < -kCorrelationTolerance) return false;
    const double pivot = d > kCorrelationTolerance ? std::sqrt(d) : 0.0;
    l[j * n + j] = pivot;
    for (std::size_t i = j + 1; i < n; ++i) {
      double r = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) r -= l[i * n + k] * l[j * n + k];
      if (pivot == 0.0) {
        if (std::abs(r) > 1e-6) return false;
        continue;
      }
      l[i * n + j] = r / pivot;
    }
  }
  return true;
}

std::vector<CorrelationSpec> read_correlations(const Field& field, const Topology& topology,
                                               const std::vector<bool>& priced) {
  MapReader m(field, kCorrelationsExpected);
  std::vector<CorrelationSpec> out;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> first_line;
  for (const MapReader::Item& item : m.items()) {
    const auto [a, b] = read_pair_key(item, topology, priced);
    const auto [first, inserted] =
        first_line.emplace(std::minmax(a, b), item.key_field.line());
    if (!inserted) {
      item.key_field.fail("pair " + topology.assets[a].symbol + "-" + topology.assets[b].symbol +
                              " given twice, first on line " + std::to_string(first->second),
                          "each pair once, in either order");
    }
    const double rho = item.value.ratio(Sign::any);
    if (rho < -1 || rho > 1) {
      item.value.fail("correlation " + quote(item.value.node().Scalar()) + " is outside [-1, 1]",
                      "a correlation between -1 and 1, e.g. 0.8");
    }
    out.push_back(CorrelationSpec{a, b, rho});
  }
  if (!is_valid_correlation(out)) {
    field.fail("these correlations cannot hold together (the matrix is not positive "
               "semi-definite)",
               "correlations a real set of prices can have, e.g. A-B: 0.9, B-C: 0.9, A-C: 0.7");
  }
  return out;
}

std::string read_replay_file(const Field& field) {
  constexpr std::string_view expected = "a map such as {file: prices.csv}";
  MapReader m(field, expected, keys::section("replay"));
  const Field file = m.required("file", "a CSV file path, e.g. prices.csv");
  const std::string written = file.text("a CSV file path, e.g. prices.csv");
  m.finish();
  const std::filesystem::path resolved =
      std::filesystem::path(field.context().base_dir) / written;
  std::error_code error;
  if (!std::filesystem::is_regular_file(resolved, error)) {
    const std::string looked =
        resolved.string() == written ? "" : " (looked for " + quote(resolved.string()) + ")";
    file.fail("replay file " + quote(written) + " not found" + looked,
              "an existing CSV file `time,asset,price`, relative to the topology's directory");
  }
  return resolved.string();
}

}  // namespace

std::vector<AssetSpec> read_assets(const Field& field) {
  MapReader m(field, kAssetsExpected);
  std::vector<AssetSpec> assets;
  const std::vector<MapReader::Item> items = m.items();
  if (items.size() > kAssetsMax) {
    field.fail(std::to_string(items.size()) + " assets", "at most " + std::to_string(kAssetsMax));
  }
  for (const MapReader::Item& item : items) assets.push_back(read_asset(item));
  return assets;
}

PricesSpec read_prices(const Field& field, const Topology& topology) {
  MapReader m(field, "a prices map such as {model: gbm, assets: {ETH: {initial: 2000}}}", keys::section("prices"));
  const Refs refs(topology);
  PricesSpec prices;
  prices.present = true;
  prices.model = read_model(m.required("model", kModelsExpected));
  prices.step = m.optional_duration("step", prices.step);
  const bool replay = prices.model == PriceModelKind::replay;
  const auto assets = m.optional("assets");
  if (replay && assets) {
    m.fail_key("assets", "model replay takes its prices from the replay file",
               "no assets: with model replay");
  }
  if (!replay) {
    prices.assets = read_priced_assets(assets ? *assets : m.required("assets", kPricedExpected),
                                       prices.model, refs);
  }
  // Correlations relate processes of their own: a pegged asset moves with its peg.
  std::vector<bool> priced(topology.assets.size(), false);
  for (const PriceAssetSpec& spec : prices.assets) priced[spec.asset] = !spec.peg;

  if (const auto correlations = m.optional("correlations")) {
    if (prices.model != PriceModelKind::correlated_gbm) {
      m.fail_key("correlations", "correlations are only used by model correlated_gbm",
                 "model: correlated_gbm, or no correlations");
    }
    prices.correlations = read_correlations(*correlations, topology, priced);
  }
  const auto replay_field = m.optional("replay");
  if (replay_field && !replay) {
    m.fail_key("replay", "a replay file is only used by model replay",
               "model: replay, or no replay");
  }
  if (replay) {
    prices.replay_file =
        read_replay_file(replay_field ? *replay_field : m.required("replay", "{file: prices.csv}"));
  }
  m.finish();
  return prices;
}

std::vector<agents::PricePoint> read_replay_rows(const std::string& file) {
  const std::string expected = "rows of time,asset,price such as `1h,ETH,2000`";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TopologyError(file, 0, 0, "prices.replay.file", "cannot read the replay file", expected);
  std::string text;
  text.resize(kReplayBytesMax + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kReplayBytesMax) {
    throw TopologyError(file, 0, 0, "prices.replay.file", "the replay file is larger than 16 MiB", expected);
  }
  try {
    return agents::parse_price_csv(text);
  } catch (const agents::PriceCsvError& e) {
    throw TopologyError(file, e.line(), e.column(), "prices.replay.file", e.message(), expected);
  }
}

void check_price_process(const Field& prices, const Topology& topology) {
  if (!topology.prices.present) return;
  std::vector<std::string> symbols;
  for (const AssetSpec& a : topology.assets) symbols.push_back(a.symbol);
  const PriceEvents events = price_events(topology);
  try {
    agents::PricePath::check(topology.prices, symbols, topology.duration, events.moves, topology.price_replay,
                             events.depegs);
  } catch (const std::invalid_argument& e) {
    prices.fail(std::string("the price process cannot be built: ") + e.what(),
                "a price process that fits the run, its scripted moves and its faults");
  }
}

// A yearly volatility above this is no traded asset's: most likely a unit slip (80000% for 80%).
constexpr double kVolWarnAbove = 5.0;

void warn_about_prices(const Field& prices, Topology& topology) {
  const YAML::Node assets = prices.node()["assets"];
  if (!assets || !assets.IsMap()) return;
  for (const PriceAssetSpec& spec : topology.prices.assets) {
    if (spec.vol_annual <= kVolWarnAbove) continue;
    const std::string& symbol = topology.assets[spec.asset].symbol;
    const YAML::Node vol = assets[symbol]["vol_annual"];
    const Field field(vol, child_path(child_path(child_path(prices.path(), "assets"), symbol), "vol_annual"), prices.mark(),
                      prices.context());
    char shown[64];
    std::snprintf(shown, sizeof shown, "%.0f%%", 100 * spec.vol_annual);
    topology.warnings.push_back(field.warning(std::string("a volatility of ") + shown +
                                                  " a year is far beyond any traded asset's (is the unit right?)",
                                              "a yearly volatility such as 80%, written 80% or 0.8"));
  }
}

}  // namespace shardsim::app::loader

namespace shardsim::app {

PriceEvents price_events(const Topology& topology) {
  PriceEvents out;
  for (const ScriptEntry& e : topology.script) {
    if (e.price) out.moves.push_back(*e.price);
  }
  // A price_crash is a scripted shock; a depeg moves a pegged asset's ratio to its peg.
  for (const FaultSpec& f : topology.faults) {
    if (f.kind == FaultKind::price_crash) {
      out.moves.push_back(agents::PriceMove{f.asset, f.at, std::nullopt, f.move, f.duration});
    }
    if (f.kind == FaultKind::depeg) out.depegs.push_back(agents::Depeg{f.asset, f.at, f.duration, f.depeg_to});
  }
  return out;
}

}  // namespace shardsim::app
