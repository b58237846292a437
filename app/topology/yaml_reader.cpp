// Typed, located reads of YAML nodes, and the one-line errors they raise.
#include "app/topology/yaml_reader.hpp"

#include "core/amount.hpp"
#include "protocols/api/fixed_point.hpp"

#include <algorithm>
#include <cstdio>

#include "app/topology/topology_keys.hpp"
#include "app/topology/topology_loader.hpp"
#include "app/topology/units.hpp"

namespace shardsim::app {
namespace {

constexpr std::size_t kQuoteMaxChars = 40;
// No real duration needs more digits in a row; longer runs get a clear "too large" and stay
// far inside what core::Duration::parse handles.
constexpr std::size_t kDurationDigitsMax = 18;

constexpr std::string_view kDurationExpected = "a duration with a unit, e.g. 12s";
constexpr std::string_view kCountExpected = "a whole number, e.g. 42, 10k, 30M or 1.5B";
constexpr std::string_view kDecimalExpected = "a plain number, e.g. 0.5";
constexpr std::string_view kRatioExpected = "a ratio, e.g. 10%, 0.1 or 1/3";
constexpr std::string_view kBoolExpected = "true or false";

bool has_position(const YAML::Mark& mark) { return !mark.is_null() && mark.line >= 0; }

std::string escape_char(unsigned char c) {
  switch (c) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
  }
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
  return buf;
}

// Cuts at `max_chars` bytes without splitting a UTF-8 sequence.
std::string_view cut(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t end = max_chars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::size_t longest_digit_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Close enough to be a typo: one edit for keys up to 4 characters, two for longer ones.
bool looks_like_typo(std::string_view written, std::string_view meant) {
  if (written.size() > 64 || meant.size() > 64) return false;
  const std::size_t allowed = std::min(written.size(), meant.size()) <= 4 ? 1 : 2;
  return edit_distance(written, meant) <= allowed;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

const char* sign_expected_words(Sign sign) {
  return sign == Sign::positive ? "greater than 0" : ">= 0";
}

}  // namespace

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

std::string item_path(std::string_view parent, std::size_t index) {
  return child_path(parent, std::to_string(index));
}

void fail_at(const ReadContext& ctx, const YAML::Mark& mark, std::string_view path,
             std::string_view message, std::string_view expected) {
  const bool known = has_position(mark);
  throw TopologyError(ctx.file, known ? mark.line + 1 : 1, known ? mark.column + 1 : 1,
                      path.empty() ? "(root)" : std::string(path), std::string(message),
                      std::string(expected));
}

std::string quote(std::string_view text) {
  const std::string_view shown = cut(text, kQuoteMaxChars);
  std::string out = "\"";
  for (char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += escape_char(byte);
    } else {
      out += c;
    }
  }
  out += shown.size() < text.size() ? "...\"" : "\"";
  return out;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return quote(node.Scalar());
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

// ---- Field ----------------------------------------------------------------------------------

Field::Field(YAML::Node node, std::string path, const YAML::Mark& fallback,
             const ReadContext& ctx)
    : node_(std::move(node)), path_(std::move(path)), mark_(fallback), ctx_(&ctx) {
  // yaml-cpp places null values at the next token, often on the next line: keep the fallback.
  if (node_.IsDefined() && !node_.IsNull() && has_position(node_.Mark())) mark_ = node_.Mark();
}

void Field::fail(std::string_view message, std::string_view expected) const {
  fail_at(*ctx_, mark_, path_, message, expected);
}

std::string Field::warning(std::string_view message, std::string_view expected) const {
  try {
    fail(message, expected);
  } catch (const TopologyError& e) {
    return e.what();
  }
}

std::string Field::scalar(std::string_view expected) const {
  if (!node_.IsScalar()) fail("got " + describe(node_), expected);
  return node_.Scalar();
}

std::string Field::text(std::string_view expected) const {
  std::string value = scalar(expected);
  if (value.empty()) fail("got an empty string", expected);
  return value;
}

core::Duration Field::duration(Sign sign) const {
  const std::string value = scalar(kDurationExpected);
  if (longest_digit_run(value) > kDurationDigitsMax) {
    fail("duration " + quote(value) + " is too large", kDurationExpected);
  }
  const auto parsed = core::Duration::parse(value);
  if (!parsed) {
    const bool unitless = parse_decimal(value).has_value();
    fail((unitless ? "missing unit in " : "invalid duration ") + quote(value), kDurationExpected);
  }
  const bool bad = sign == Sign::positive ? parsed->count_us() <= 0
                   : sign == Sign::non_negative ? parsed->count_us() < 0
                                                 : false;
  if (bad) {
    fail(std::string(sign == Sign::positive ? "must be positive" : "must not be negative") +
             ", got " + parsed->str(),
         std::string("a duration ") + sign_expected_words(sign) + ", e.g. 12s");
  }
  return *parsed;
}

std::uint64_t Field::count(std::uint64_t min, std::uint64_t max) const {
  const std::string value = scalar(kCountExpected);
  const CountParse parsed = parse_count_checked(value);
  switch (parsed.error) {
    case CountError::none: break;
    case CountError::malformed: fail("invalid whole number " + quote(value), kCountExpected);
    case CountError::negative: fail("must not be negative, got " + quote(value), kCountExpected);
    case CountError::inexact: fail("not a whole number: " + quote(value), kCountExpected);
    case CountError::overflow: fail("too large: " + quote(value), kCountExpected);
  }
  if (parsed.value < min) {
    fail("must be at least " + std::to_string(min) + ", got " + std::to_string(parsed.value),
         "a whole number >= " + std::to_string(min));
  }
  if (parsed.value > max) {
    fail("must be at most " + std::to_string(max) + ", got " + std::to_string(parsed.value),
         "a whole number <= " + std::to_string(max));
  }
  return parsed.value;
}

void Field::check_sign(double value, Sign sign, std::string_view shown,
                       std::string_view what) const {
  const bool bad = sign == Sign::positive ? !(value > 0)
                   : sign == Sign::non_negative ? !(value >= 0)
                                                 : false;
  if (!bad) return;
  fail(std::string(sign == Sign::positive ? "must be positive" : "must not be negative") +
           ", got " + std::string(shown),
       std::string(what) + " " + sign_expected_words(sign));
}

double Field::decimal(Sign sign) const {
  const std::string value = scalar(kDecimalExpected);
  const auto parsed = parse_decimal(value);
  if (!parsed) fail("invalid number " + quote(value), kDecimalExpected);
  check_sign(*parsed, sign, value, "a number");
  return *parsed;
}

double Field::ratio(Sign sign) const {
  const std::string value = scalar(kRatioExpected);
  const auto parsed = parse_ratio(value);
  if (!parsed) fail("invalid ratio " + quote(value), kRatioExpected);
  check_sign(*parsed, sign, value, "a ratio");
  return *parsed;
}

bool Field::boolean() const {
  const std::string value = scalar(kBoolExpected);
  if (value == "true") return true;
  if (value == "false") return false;
  fail("got " + quote(value), kBoolExpected);
}

std::vector<Field> Field::items(std::string_view expected) const {
  if (!node_.IsSequence()) fail("got " + describe(node_), expected);
  std::vector<Field> out;
  out.reserve(node_.size());
  std::size_t index = 0;
  for (const YAML::Node& item : node_) {
    out.emplace_back(item, item_path(path_, index), mark_, *ctx_);
    ++index;
  }
  return out;
}

// ---- MapReader ------------------------------------------------------------------------------

MapReader::MapReader(const Field& field, std::string_view expected) : field_(field) {
  if (!field_.node().IsMap()) field_.fail("got " + describe(field_.node()), expected);
  index_entries();
}

MapReader::MapReader(const Field& field, std::string_view expected, const keys::Section& keys)
    : MapReader(field, expected) {
  keys_ = &keys;
}

MapReader::MapReader(const YAML::Node& node, std::string path, const ReadContext& ctx,
                     const keys::Section* keys)
    : MapReader(Field(node, std::move(path), YAML::Mark(), ctx)) {
  keys_ = keys;
}

void MapReader::index_entries() {
  for (auto it = field_.node().begin(); it != field_.node().end(); ++it) {
    const Field key(it->first, field_.path(), field_.mark(), field_.context());
    const std::string name = key.scalar("a key name");
    if (name.empty()) key.fail("got an empty key", "a key name");
    const auto [pos, inserted] = index_.emplace(name, entries_.size());
    if (!inserted) {
      fail_at(field_.context(), key.mark(), child_path(field_.path(), name),
              "duplicate key " + quote(name) + ", first given on line " +
                  std::to_string(entries_[pos->second].key_mark.line + 1),
              "each key once per map");
    }
    entries_.push_back(Entry{name, it->first, key.mark(), it->second});
  }
}

void MapReader::note_allowed(std::string_view key) {
  if (keys_ != nullptr) keys::note_key_use(*keys_, key);
  if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end()) {
    allowed_.emplace_back(key);
  }
}

MapReader::Entry* MapReader::find(std::string_view key) {
  note_allowed(key);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  Entry& entry = entries_[it->second];
  entry.read = true;
  return &entry;
}

bool MapReader::has(std::string_view key) { return find(key) != nullptr; }

void MapReader::allow(std::string_view key) { (void)find(key); }

std::optional<Field> MapReader::optional(std::string_view key) {
  const Entry* entry = find(key);
  if (entry == nullptr) return std::nullopt;
  return Field(entry->value, child_path(field_.path(), key), entry->key_mark,
               field_.context());
}

std::string MapReader::misspelling_hint(std::string_view missing_key) const {
  for (const Entry& entry : entries_) {
    if (entry.read || !looks_like_typo(entry.key, missing_key)) continue;
    return "; " + quote(entry.key) + " on line " + std::to_string(entry.key_mark.line + 1) +
           " looks like a misspelling";
  }
  return "";
}

Field MapReader::required(std::string_view key, std::string_view expected) {
  if (auto field = optional(key)) return *field;
  fail_at(field_.context(), field_.mark(), child_path(field_.path(), key),
          "missing required key " + quote(key) + misspelling_hint(key), expected);
}

std::string MapReader::required_string(std::string_view key) {
  return required(key, "a non-empty string").text();
}

std::string MapReader::optional_string(std::string_view key, std::string fallback) {
  const auto field = optional(key);
  return field ? field->text() : fallback;
}

core::Duration MapReader::required_duration(std::string_view key, Sign sign) {
  return required(key, kDurationExpected).duration(sign);
}

core::Duration MapReader::optional_duration(std::string_view key, core::Duration fallback,
                                            Sign sign) {
  const auto field = optional(key);
  return field ? field->duration(sign) : fallback;
}

std::uint64_t MapReader::required_count(std::string_view key, std::uint64_t min,
                                        std::uint64_t max) {
  return required(key, kCountExpected).count(min, max);
}

std::uint64_t MapReader::optional_count(std::string_view key, std::uint64_t fallback,
                                        std::uint64_t min, std::uint64_t max) {
  const auto field = optional(key);
  return field ? field->count(min, max) : fallback;
}

double MapReader::required_decimal(std::string_view key, Sign sign) {
  return required(key, kDecimalExpected).decimal(sign);
}

double MapReader::optional_decimal(std::string_view key, double fallback, Sign sign) {
  const auto field = optional(key);
  return field ? field->decimal(sign) : fallback;
}

double MapReader::required_ratio(std::string_view key, Sign sign) {
  return required(key, kRatioExpected).ratio(sign);
}

double MapReader::optional_ratio(std::string_view key, double fallback, Sign sign) {
  const auto field = optional(key);
  return field ? field->ratio(sign) : fallback;
}

bool MapReader::optional_bool(std::string_view key, bool fallback) {
  const auto field = optional(key);
  return field ? field->boolean() : fallback;
}

std::vector<MapReader::Item> MapReader::items() {
  std::vector<Item> out;
  out.reserve(entries_.size());
  for (Entry& entry : entries_) {
    entry.read = true;
    if (std::find(allowed_.begin(), allowed_.end(), entry.key) == allowed_.end()) allowed_.push_back(entry.key);
    const std::string path = child_path(field_.path(), entry.key);
    out.push_back(Item{entry.key, Field(entry.key_node, path, entry.key_mark, field_.context()),
                       Field(entry.value, path, entry.key_mark, field_.context())});
  }
  return out;
}

std::optional<std::string> MapReader::exclusive(std::initializer_list<std::string_view> keys) {
  std::vector<const Entry*> given;  // entries_ is in document order, so are these once sorted
  for (std::string_view key : keys) {
    if (const Entry* entry = find(key)) given.push_back(entry);
  }
  if (given.empty()) return std::nullopt;
  std::sort(given.begin(), given.end());
  if (given.size() > 1) {
    std::string names;
    for (std::string_view key : keys) names += (names.empty() ? "" : ", ") + std::string(key);
    fail_at(field_.context(), given[1]->key_mark, child_path(field_.path(), given[1]->key),
            "both " + quote(given[0]->key) + " and " + quote(given[1]->key) + " given",
            "exactly one of: " + names);
  }
  return given[0]->key;
}

void MapReader::fail_key(std::string_view key, std::string_view message,
                         std::string_view expected) const {
  const auto it = index_.find(key);
  const YAML::Mark mark = it == index_.end() ? field_.mark() : entries_[it->second].key_mark;
  fail_at(field_.context(), mark, child_path(field_.path(), key), message, expected);
}

void MapReader::finish() const {
  for (const Entry& entry : entries_) {
    if (entry.read) continue;
    std::string message = "unknown key " + quote(entry.key);
    for (const std::string& allowed : allowed_) {
      if (!looks_like_typo(entry.key, allowed)) continue;
      message += ", did you mean " + quote(allowed) + "?";
      break;
    }
    const std::string expected =
        allowed_.empty() ? "an empty map" : "one of: " + join(allowed_);
    fail_at(field_.context(), entry.key_mark, child_path(field_.path(), entry.key), message,
            expected);
  }
}

__int128 Field::ratio_wad(Sign sign) const {
  const double approx = ratio(sign);  // validates the text and the sign
  const std::string text = scalar("a ratio, e.g. 10%, 0.1 or 1/3");
  const std::string_view t(text);
  if (!t.empty() && t.back() == '%') {
    if (const auto a = core::Amount::parse(t.substr(0, t.size() - 1), 16)) return a->raw();
  } else if (const std::size_t slash = t.find('/'); slash != std::string_view::npos) {
    const auto num = core::Amount::parse(t.substr(0, slash), 18);
    const auto den = core::Amount::parse(t.substr(slash + 1), 18);
    if (num && den && den->raw() != 0) {
      try {
        return protocols::mul_div(num->raw(), protocols::kWadUnit, den->raw());
      } catch (const protocols::ArithmeticError&) {
        fail("ratio " + quote(text) + " is too large", "a ratio such as 1/3");
      }
    }
  } else if (const auto a = core::Amount::parse(t, 18)) {
    return a->raw();
  }
  return protocols::double_to_wad(approx);  // exponent notation: the validated double
}

__int128 MapReader::optional_ratio_wad(std::string_view key, __int128 fallback, Sign sign) {
  const auto f = optional(key);
  return f ? f->ratio_wad(sign) : fallback;
}

}  // namespace shardsim::app
