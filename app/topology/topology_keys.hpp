// Models the topology language as data: for each section (a map the loader reads with a
// MapReader) its keys with their type, unit, default, allowed values and meaning. The loader binds
// each MapReader to its section, and reading a key the section does not declare is a defect
// (std::logic_error); the JSON Schema (`shardsim schema`), `shardsim explain KEY` and
// docs/topology-keys.md are generated from the same tables, so the language and its description
// cannot drift apart.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardsim::app::keys {

// What a value is written as. Scalars carry the loader's units (durations `12s`, ratios `10%`,
// counts `30M`, amounts `1.5k`); composites point at a Section or an item kind.
enum class Kind : std::uint8_t {
  text,          // any non-empty text
  name,          // an identifier: letters, digits, '_' or '-' (accounts also ':' and '.')
  count,         // a whole number >= 0, k/M/B suffixes: 30M
  duration,      // a duration with a unit: 800us, 250ms, 12s, 5m, 1.5h, 1d, 6h10m
  slots,         // a duration, or a count of home-shard slots: `2 slots`
  ratio,         // 10%, 0.1 or 1/3
  decimal,       // a plain number: 0.5, 2000
  amount,        // an exact amount, k/M/B suffixes: 1.5k, 10M
  boolean,       // true or false
  choice,        // one of Key::choices
  scalar,        // any single value (script args: the protocol reads it)
  latency,       // a latency model map (section "latency")
  distribution,  // a number or a distribution map (section "distribution")
  object,        // a map with the fixed keys of Key::section
  list,          // a list of Key::item (objects of Key::section when item is object)
  map,           // a map whose keys the user chooses; values are Key::item (or Key::section)
};

struct Section;

struct Key {
  std::string_view name;
  Kind kind = Kind::text;
  std::string_view unit;         // e.g. "USD", "of the notional", "home slots"; empty: none
  std::string_view fallback;     // the default as text; empty: none (required, or absent = off)
  std::string_view description;  // one or two sentences
  std::vector<std::string_view> choices{};  // Kind::choice (and extra words a slots value takes)
  std::string_view section{};    // object, or list/map items that are objects: a Section id
  Kind item = Kind::text;        // list / map: the items' kind
  bool required = false;
  bool nullable = false;         // `KEY:` with no value means the defaults (lending assets, perps markets)
  std::string_view pattern{};    // Kind::name: overrides the identifier pattern
  bool rejected = false;         // the loader asks for it only to reject it with a clear message
};

// A value of the discriminator key that narrows the section: the keys it allows (empty: all),
// those it requires, keys it reads with another section (`params` of a protocol kind), and
// groups of which exactly one key must be given.
struct Variant {
  std::string_view value;
  std::vector<std::string_view> allowed{};
  std::vector<std::string_view> required{};
  std::vector<std::pair<std::string_view, std::string_view>> sections{};  // key -> Section id
  std::vector<std::string_view> exactly_one{};
  std::string_view description{};
};

struct Section {
  std::string_view id;  // unique; the JSON Schema definition's name
  std::string_view description;
  std::vector<Key> keys;
  std::string_view discriminator{};  // a key whose value picks one of `variants`
  std::vector<Variant> variants{};
  std::vector<std::string_view> exactly_one{};  // keys of which exactly one must be given
  Kind extra = Kind::boolean;  // with `open`: the kind of user-chosen keys' values
  bool open = false;           // user-chosen keys besides `keys` (default_fund's assets)
};

// Every section, the root (id "topology") first.
const std::vector<Section>& sections();
// The section `id`; std::logic_error when there is none (a defect in the loader).
const Section& section(std::string_view id);
const Key* find_key(const Section& section, std::string_view name);

// Called by the loader for every key it reads from a map bound to `section`: a key the table does
// not declare is a defect in the loader or the table (std::logic_error naming both). With a log
// set (tests), each use is recorded as {section id, key}.
void note_key_use(const Section& section, std::string_view key);
using KeyUseLog = std::set<std::pair<std::string, std::string>>;
void set_key_use_log(KeyUseLog* log);  // this thread's log; null stops recording

// The keys a description path names: `brokers.hedging.policy`, `shards.protocols.amm.fee`,
// `faults.shard_halt.duration`. List indexes (`shards.0.slot`) are skipped; a variant value
// (`amm`, `deposit`) selects the section its variant reads.
struct Explained {
  std::string path;
  const Key* key = nullptr;          // null for the root
  const Section* section = nullptr;  // the section the key is in
  const Section* inner = nullptr;    // the section the key's value is, when it is a map or list of maps
};
// Nothing when the path names no key; `near` then holds the keys that would continue it.
std::optional<Explained> explain(std::string_view path, std::vector<std::string>* near = nullptr);

}  // namespace shardsim::app::keys
