// Models reading a YAML document into typed values: a Field is a node with its key path and
// position, a MapReader reads a map key by key and reports keys nobody asked for. Every user
// mistake becomes one TopologyError line `FILE:LINE:COL: key.path: message (expected ...)`.
//
//   MapReader m(field);                                  // fails unless field is a map
//   auto slot = m.required_duration("slot");             // > 0 by default
//   auto off = m.optional_duration("slot_offset", core::Duration{}, Sign::non_negative);
//   auto gas = m.required_count("gas_per_block", 1);     // 30000000, 30M, 1.5k ...
//   m.finish();                                          // unknown keys are errors
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace shardsim::app {

namespace keys {
struct Section;
}

// What every error line starts with. Must outlive the Fields and MapReaders that use it.
struct ReadContext {
  std::string file;
  // The directory that relative paths written in the file are resolved against; empty for
  // the current directory (text that was not read from a file).
  std::string base_dir;
};

// Key paths: `shards.1.gas_per_block`. The empty path is the document root.
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, std::size_t index);

// Throws TopologyError at `mark` (yaml-cpp's 0-based line and column; printed 1-based).
[[noreturn]] void fail_at(const ReadContext& ctx, const YAML::Mark& mark, std::string_view path,
                          std::string_view message, std::string_view expected);

// User text for a message: `"12x"`, control characters escaped, long text cut with `...`.
std::string quote(std::string_view text);

// `a list`, `a map`, `nothing (null)` or the quoted scalar: what a node is, for "got ...".
std::string describe(const YAML::Node& node);

// The range a signed value must lie in.
enum class Sign : std::uint8_t { any, non_negative, positive };

inline constexpr std::uint64_t kCountMax = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::uint64_t kCount32Max = std::numeric_limits<std::uint32_t>::max();

// A node together with its key path and the position to point at when it is wrong.
class Field {
 public:
  // `fallback` is used when the node has no position of its own (null values, empty files).
  Field(YAML::Node node, std::string path, const YAML::Mark& fallback, const ReadContext& ctx);

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const YAML::Mark& mark() const { return mark_; }
  int line() const { return mark_.line + 1; }  // 1-based
  const ReadContext& context() const { return *ctx_; }

  [[noreturn]] void fail(std::string_view message, std::string_view expected) const;
  // The same one line as fail() would throw, for a warning: the input loads but looks wrong.
  std::string warning(std::string_view message, std::string_view expected) const;

  // Typed reads. Each fails with "got ..." when the node is not of the right kind.
  std::string scalar(std::string_view expected) const;  // any scalar text
  std::string text(std::string_view expected = "a non-empty string") const;
  core::Duration duration(Sign sign = Sign::positive) const;
  std::uint64_t count(std::uint64_t min = 0, std::uint64_t max = kCountMax) const;
  double decimal(Sign sign) const;
  double ratio(Sign sign) const;
  // The same ratio as exact WAD (1e18 = 100%): `82.5%`, `0.825` and `1/3` are read digit by
  // digit, never through a double (1/3 rounds down in the last unit).
  __int128 ratio_wad(Sign sign) const;
  bool boolean() const;
  // The items of a list, each with path `path.N`.
  std::vector<Field> items(std::string_view expected) const;

 private:
  void check_sign(double value, Sign sign, std::string_view shown, std::string_view what) const;

  YAML::Node node_;
  std::string path_;
  YAML::Mark mark_;
  const ReadContext* ctx_;
};

// Reads one map. Every key asked for (present or not) becomes an allowed key; finish()
// fails on the first key in the map that was never asked for, listing the allowed ones.
class MapReader {
 public:
  // One key of a map read as a collection (`assets: {USDC: ..., ETH: ...}`).
  struct Item {
    std::string key;
    Field key_field;  // the key itself: path `parent.KEY`, at the key's position
    Field value;      // path `parent.KEY`
  };

  explicit MapReader(const Field& field, std::string_view expected = "a map");
  // Bound to its key table: every key asked for must be one `keys` declares (topology_keys.hpp).
  MapReader(const Field& field, std::string_view expected, const keys::Section& keys);
  MapReader(const YAML::Node& node, std::string path, const ReadContext& ctx,
            const keys::Section* keys = nullptr);

  const Field& field() const { return field_; }
  bool has(std::string_view key);   // also allows the key
  void allow(std::string_view key);  // a key that may appear but is read elsewhere

  std::optional<Field> optional(std::string_view key);
  // Fails at this map when the key is absent: `missing required key "slot"`.
  Field required(std::string_view key, std::string_view expected);

  std::string required_string(std::string_view key);
  std::string optional_string(std::string_view key, std::string fallback);
  core::Duration required_duration(std::string_view key, Sign sign = Sign::positive);
  core::Duration optional_duration(std::string_view key, core::Duration fallback,
                                   Sign sign = Sign::positive);
  std::uint64_t required_count(std::string_view key, std::uint64_t min = 0,
                               std::uint64_t max = kCountMax);
  std::uint64_t optional_count(std::string_view key, std::uint64_t fallback,
                               std::uint64_t min = 0, std::uint64_t max = kCountMax);
  double required_decimal(std::string_view key, Sign sign);
  double optional_decimal(std::string_view key, double fallback, Sign sign);
  double required_ratio(std::string_view key, Sign sign);
  double optional_ratio(std::string_view key, double fallback, Sign sign);
  __int128 optional_ratio_wad(std::string_view key, __int128 fallback, Sign sign);
  bool optional_bool(std::string_view key, bool fallback);

  // Every key in document order, for maps whose keys are names chosen by the user. All keys
  // become read, so finish() has nothing left to reject.
  std::vector<Item> items();

  // Which of the mutually exclusive `keys` the map holds (each becomes allowed): nothing when
  // none, and a failure at the later key when two are given.
  std::optional<std::string> exclusive(std::initializer_list<std::string_view> keys);

  // Fails at the position of `key` in this map (which must be present), with path `parent.key`.
  [[noreturn]] void fail_key(std::string_view key, std::string_view message,
                             std::string_view expected) const;

  // Fails on the first key that no one asked for.
  void finish() const;

 private:
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Mark key_mark;
    YAML::Node value;
    bool read = false;
  };
  void index_entries();
  void note_allowed(std::string_view key);
  Entry* find(std::string_view key);
  std::string misspelling_hint(std::string_view missing_key) const;

  Field field_;
  const keys::Section* keys_ = nullptr;
  std::vector<Entry> entries_;                             // document order
  std::map<std::string, std::size_t, std::less<>> index_;  // key -> entries_ position
  std::vector<std::string> allowed_;                       // in the order first asked for
};

}  // namespace shardsim::app
