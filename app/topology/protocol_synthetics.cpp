// Models the `synthetics` protocol kind for the topology: reads its `params:` (collateral, synths
// and the oracle assets they track, fee rates, ratios, penalty, delay, backstop reserve asset) and
// builds the protocol.
#include <memory>
#include <string>
#include <vector>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology.hpp"
#include "app/topology/yaml_reader.hpp"
#include "protocols/synthetics/synthetics_protocol.hpp"

namespace shardsim::app {
namespace {

namespace syn = protocols::synthetics;
using protocols::i128;
using protocols::kWadUnit;

constexpr std::string_view kAssetExpected = "an asset symbol declared under assets, e.g. SNX";
constexpr std::string_view kSynthsExpected = "a list of synth symbols declared under assets, including sUSD";

struct SyntheticsParams final : ProtocolParams {
  syn::Config config;
};


// `symbol` as an asset index. When the symbol is a default, `what` and `key` say which one
// (`synth`, `synths`) so the message can point at the parameter to set.
std::uint32_t asset_named(const Field& at, const std::string& symbol, const Topology& topology,
                          std::string_view what = {}, std::string_view key = {}) {
  const auto index = topology.asset_index(symbol);
  if (!index && !what.empty()) {
    at.fail("default " + std::string(what) + " " + quote(symbol) + " is not declared under assets",
            "the asset declared under assets, or params." + std::string(key));
  }
  if (!index) at.fail("unknown asset " + quote(symbol), kAssetExpected);
  return *index;
}

std::shared_ptr<const ProtocolParams> read_synthetics(const Field* params, const Topology& topology) {
  // Without `params:` every default applies; errors then point at the file with no position.
  const ReadContext empty_ctx{topology.file, ""};
  const keys::Section& table = keys::section("synthetics");
  MapReader m = params != nullptr ? MapReader(*params, "a map", table)
                                  : MapReader(YAML::Node(YAML::NodeType::Map), "params", empty_ctx, &table);
  auto out = std::make_shared<SyntheticsParams>();
  syn::Config& c = out->config;

  const auto collateral = m.optional("collateral");
  c.collateral = collateral ? asset_named(*collateral, collateral->text(kAssetExpected), topology)
                            : asset_named(m.field(), "SNX", topology, "collateral", "collateral");

  // Synths, in the order given; each a declared asset, none twice, sUSD among them.
  std::vector<std::string> symbols;
  std::vector<Field> synth_fields;
  const bool default_synths = !m.has("synths");
  if (const auto synths = m.optional("synths")) {
    for (const Field& item : synths->items(kSynthsExpected)) {
      symbols.push_back(item.text(kSynthsExpected));
      synth_fields.push_back(item);
    }
    if (symbols.empty()) synths->fail("no synths", kSynthsExpected);
  } else {
    symbols = {"sUSD", "sBTC", "sETH"};
    synth_fields.assign(symbols.size(), m.field());
  }
  bool has_susd = false;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    syn::SynthSpec s;
    s.asset = asset_named(synth_fields[i], symbols[i], topology, default_synths ? "synth" : "", "synths");
    if (s.asset == c.collateral) synth_fields[i].fail("the collateral cannot be a synth", kSynthsExpected);
    for (const syn::SynthSpec& other : c.synths) {
      if (other.asset == s.asset) synth_fields[i].fail("synth " + quote(symbols[i]) + " listed twice", kSynthsExpected);
    }
    if (symbols[i] == "sUSD") {
      c.susd = i;
      has_susd = true;
    }
    c.synths.push_back(s);
  }
  if (!has_susd) {
    (default_synths ? m.field() : *m.optional("synths")).fail("sUSD is not among the synths", kSynthsExpected);
  }
  const auto synth_at = [&](const MapReader::Item& item, std::string_view expected) {
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      if (symbols[i] == item.key) return i;
    }
    item.key_field.fail("unknown synth " + quote(item.key), expected);
  };

  // What each synth tracks: `prices: {sBTC: BTC}`; by default the symbol without its leading
  // `s`; sUSD is 1 USD unless listed.
  std::vector<bool> priced(symbols.size(), false);
  if (const auto prices = m.optional("prices")) {
    MapReader pm(*prices, "a map from synth to the asset it tracks, e.g. {sBTC: BTC}");
    for (const MapReader::Item& item : pm.items()) {
      const std::size_t i = synth_at(item, "a synth listed under synths");
      c.synths[i].tracks = asset_named(item.value, item.value.text(kAssetExpected), topology);
      priced[i] = true;
    }
  }
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (priced[i] || i == c.susd) continue;
    const std::string& sym = symbols[i];
    const auto tracked = sym.size() > 1 && sym[0] == 's' ? topology.asset_index(sym.substr(1)) : std::nullopt;
    if (!tracked) {
      synth_fields[i].fail("synth " + quote(sym) + " tracks no declared asset",
                           "prices: {" + sym + ": ASSET} or an asset named " + (sym.size() > 1 ? sym.substr(1) : sym));
    }
    c.synths[i].tracks = *tracked;
  }

  // Fee rates: the spec's per-synth defaults, overridable by `exchange_fee: {sBTC: 1%}`.
  for (syn::SynthSpec& s : c.synths) {
    s.fee_rate_wad = syn::default_fee_rate_wad(
        s.tracks ? std::optional<std::string_view>(topology.assets[*s.tracks].symbol) : std::nullopt);
  }
  if (const auto fees = m.optional("exchange_fee")) {
    MapReader fm(*fees, "a map from synth to its fee rate, e.g. {sBTC: 1%}");
    for (const MapReader::Item& item : fm.items()) {
      const std::size_t i = synth_at(item, "a synth listed under synths");
      const i128 rate = item.value.ratio_wad(Sign::non_negative);
      if (rate > kWadUnit / 2) item.value.fail("fee rate above 50%", "a ratio from 0 to 50%, e.g. 1%");
      c.synths[i].fee_rate_wad = rate;
    }
  }

  const auto ratio_or = [&](std::string_view key, i128 fallback) {
    const auto f = m.optional(key);
    return f ? f->ratio_wad(Sign::positive) : fallback;
  };
  c.issuance_ratio_wad = ratio_or("issuance_ratio", kWadUnit / 3);
  c.liquidation_ratio_wad = ratio_or("liquidation_ratio", kWadUnit * 2 / 3);
  const auto penalty = m.optional("liquidation_penalty");
  c.liquidation_penalty_wad = penalty ? penalty->ratio_wad(Sign::non_negative) : 30 * syn::kPercentWad;
  c.liquidation_delay = m.optional_duration("liquidation_delay", core::Duration::h(12), Sign::non_negative);
  if (const auto reserve = m.optional("reserve")) {
    const std::string expected = "the symbol of a declared asset that is neither the collateral nor a synth, e.g. USDC";
    const std::uint32_t a = asset_named(*reserve, reserve->text(expected), topology);
    if (a == c.collateral) reserve->fail("the reserve cannot be the collateral", expected);
    for (const syn::SynthSpec& s : c.synths) {
      if (s.asset == a) reserve->fail("the reserve cannot be a synth", expected);
    }
    c.reserve = a;
  }
  m.finish();
  if (const auto error = c.validate()) {
    m.field().fail(*error,
                   "0 < issuance_ratio < liquidation_ratio < 1 and (1 + liquidation_penalty) * issuance_ratio < 1");
  }
  return out;
}

}  // namespace

std::optional<SyntheticsAssets> synthetics_assets(const ProtocolParams& params) {
  const auto* p = dynamic_cast<const SyntheticsParams*>(&params);
  if (p == nullptr) return std::nullopt;
  return SyntheticsAssets{p->config.collateral, p->config.synths[p->config.susd].asset, p->config.reserve,
                          p->config.issuance_ratio_wad};
}

ProtocolKind synthetics_kind() {
  ProtocolKind k;
  k.kind = "synthetics";
  k.read_params = read_synthetics;
  k.make = [](const ProtocolParams& params, const std::string& name, protocols::AccountId account,
              const protocols::Registry&) -> std::unique_ptr<protocols::Protocol> {
    const auto& p = dynamic_cast<const SyntheticsParams&>(params);
    return std::make_unique<syn::SyntheticsProtocol>(p.config, name, account);
  };
  for (auto& [op, args] : syn::SyntheticsProtocol::op_list()) k.ops.push_back(ProtocolOp{op, args});
  return k;
}

}  // namespace shardsim::app
