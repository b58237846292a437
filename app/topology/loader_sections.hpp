// Declares the pieces the topology loader is split into: one reader per section, and what they
// share (latency models, references by name, amounts, times). Internal to the loader's files
// (topology_loader.cpp and app/load_*.cpp); everyone else uses app/topology/topology_loader.hpp.
//
// Sections are read in dependency order, each seeing the Topology read so far:
//   assets -> prices -> shards -> links -> accounts -> brokers -> clearing -> faults -> agents -> script
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/topology/topology.hpp"
#include "app/topology/user_metrics.hpp"
#include "app/topology/yaml_reader.hpp"

namespace shardsim::app::loader {

inline constexpr std::string_view kLatencyExpected =
    "a latency map such as {model: constant, value: 24s}";
inline constexpr std::string_view kShardIdExpected =
    "a shard id of letters, digits, '_' or '-', e.g. lend";
inline constexpr std::string_view kSymbolExpected =
    "an asset symbol of letters, digits, '_' or '-', e.g. USDC";
inline constexpr std::string_view kAccountExpected =
    "an account name of letters, digits, '_', ':', '.' or '-', e.g. alice";
inline constexpr std::string_view kTimeExpected = "a time since the start, e.g. 6h10m";

inline constexpr std::size_t kNameCharsMax = 64;  // shard ids, asset symbols, account names
inline constexpr std::size_t kShardsMax = 65'536;
inline constexpr std::size_t kAssetsMax = 1'024;  // a correlated model holds an n x n matrix

// ---- shared helpers (load_common.cpp) -------------------------------------------------------

// `{model: lognormal, median: 300ms, sigma: 0.4, min: 100ms}` and the other models.
core::LatencySpec read_latency(const Field& field);

// A name of letters, digits and the characters in `extra`, at most kNameCharsMax long.
// `what` names it in the message: `invalid asset symbol "a b"`.
std::string read_name(const Field& field, std::string_view what, std::string_view extra,
                      std::string_view expected);

// A time since the start of the run, >= 0.
core::SimTime read_time(const Field& field);

// An exact amount of `asset`, e.g. `1.5`, `10M`; `sign` bounds it. Fails with "more decimals
// than USDC's 6" when finer than the asset's smallest unit.
core::Amount read_amount(const Field& field, const AssetSpec& asset, Sign sign);

// Names -> indexes of what a Topology holds so far, to resolve references with errors that
// list what would have been accepted. Build it after the sections it refers to are read.
class Refs {
 public:
  explicit Refs(const Topology& topology);

  std::uint32_t shard(const Field& field) const;          // a known shard id
  std::uint32_t asset(const Field& field) const;          // a declared asset symbol
  std::uint32_t priced_asset(const Field& field) const;   // ... with a price process
  const AccountSpec& account(const Field& field) const;   // a declared account name

  // Fails at `field` unless `id` is an instrument the brokers clear (load_instruments.cpp);
  // the list is worked out on first use.
  void require_cleared_instrument(const Field& field, const std::string& id) const;
  // From now on require_cleared_instrument only records its checks into `to`, for a caller that
  // runs them once the script it is reading is complete (an order may trade a market's shares
  // that an earlier entry creates).
  void defer_instrument_checks(std::vector<std::pair<Field, std::string>>* to) const { deferred_ = to; }

  bool has_price(std::uint32_t asset) const { return priced_[asset]; }
  const Topology& topology() const { return *topology_; }

  // `"a", "b", ...`: up to ten names, for an `(expected one of: ...)`.
  std::string shard_names() const;
  std::string asset_names() const;
  std::string priced_names() const;
  std::string account_names() const;

 private:
  using Index = std::map<std::string, std::uint32_t, std::less<>>;

  const Topology* topology_;
  Index shards_, assets_, accounts_;
  std::vector<bool> priced_;  // per asset: has a price process
  mutable std::optional<std::vector<std::string>> cleared_;  // instrument ids the brokers clear
  mutable std::vector<std::pair<Field, std::string>>* deferred_ = nullptr;
};

// `shards[].protocols`: [{kind, name, params}] (load_protocols.cpp). `seen` maps the protocol
// names read so far (on every shard) to their lines: names are unique in the topology.
using ProtocolNames = std::map<std::string, std::size_t, std::less<>>;
std::vector<ProtocolSpec> read_protocols(const Field& field, const Refs& refs, ProtocolNames& seen);

// Fails at `entry` unless the protocol can be built from its params (load_instruments.cpp).
void check_protocol_builds(const Field& entry, const ProtocolSpec& spec, const Topology& topology);
// The instrument ids every broker of `topology` clears, as the world will give them.
std::vector<std::string> cleared_instruments(const Topology& topology);

// A list of names, cut after ten: `a, b, c, ...`.
std::string name_list(const std::vector<std::string_view>& names);

// The protocol named `name` on any shard, or null (load_brokers.cpp).
const ProtocolSpec* find_protocol(const Topology& topology, std::string_view name);
// For an `(expected ...)`: `a synthetics protocol: one of: snx`, every protocol when `kind` is
// empty, or a note that the topology has none.
std::string protocol_names(const Topology& topology, std::string_view kind);

// ---- sections -------------------------------------------------------------------------------

// load_assets_prices.cpp
std::vector<AssetSpec> read_assets(const Field& field);
PricesSpec read_prices(const Field& field, const Topology& topology);
// The rows of a replay CSV (read once, at load); a bad row is a TopologyError at its line and
// column in the CSV.
std::vector<agents::PricePoint> read_replay_rows(const std::string& file);
// Fails at `prices` unless the price process can be built for the whole topology: its run, the
// script's price moves and the price faults (the checks of agents::PricePath).
void check_price_process(const Field& prices, const Topology& topology);
// Appends to topology.warnings what in `prices` loads but looks wrong (a volatility above 500%).
void warn_about_prices(const Field& prices, Topology& topology);

// load_shards_links.cpp
std::vector<ShardSpec> read_shards(const Field& field, const Topology& topology);
LinksSpec read_links(const Field& field, const Topology& topology);

// load_accounts_script.cpp
std::vector<AccountSpec> read_accounts(const Field& field, const Topology& topology);
std::vector<ScriptEntry> read_script(const Field& field, const Topology& topology);

// load_faults.cpp
std::vector<FaultSpec> read_faults(const Field& field, const Topology& topology);

// load_brokers.cpp
std::vector<broker::BrokerConfig> read_brokers(const Field& field, const Topology& topology);
// Each `hedging: {counterparty: NAME}` names another broker, and the topology has `clearing:`.
void check_counterparties(const Field& field, const Topology& topology);

// load_clearing.cpp: `clearing: {cycle: 1m, mode: gross | multilateral}` (needs brokers)
broker::ClearingConfig read_clearing(const Field& field, const Topology& topology);

// load_agents.cpp
std::vector<agents::AgentSpec> read_agents(const Field& field, const Topology& topology);

// load_metrics.cpp: `metrics: {NAME: PATH | {path: PATH, better: higher | lower | neutral}}`
std::vector<UserMetricSpec> read_metrics(const Field& field);

}  // namespace shardsim::app::loader
