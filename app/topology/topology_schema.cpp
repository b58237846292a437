// Generates the JSON Schema, the Markdown key reference and one key's explanation from the
// topology key tables. YAML scalars reach a schema validator as JSON: `12s` and `10%` are strings,
// `30000000` and `0.5` numbers, so unit-bearing values accept both where the loader does.
#include "app/topology/topology_schema.hpp"

#include <sstream>

#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_keys.hpp"

namespace shardsim::app {
namespace {

using nlohmann::json;
using keys::Key;
using keys::Kind;
using keys::Section;

constexpr std::string_view kDurationPattern = "^-?(([0-9]+\\.?[0-9]*|\\.[0-9]+)(us|ms|s|m|h|d))+$";
constexpr std::string_view kSlotsPattern = "^[0-9]+(\\.[0-9]+)?[kMB]? *slots?$";
constexpr std::string_view kCountPattern = "^[0-9]+(\\.[0-9]+)?[kMB]?$";
constexpr std::string_view kAmountPattern = "^[-+]?[0-9]+(\\.[0-9]*)?[kMB]?$";
constexpr std::string_view kDecimalPattern = "^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$";
constexpr std::string_view kRatioPattern =
    "^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?(%|/[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?)?$";
constexpr std::string_view kNamePattern = "^[A-Za-z0-9_-]{1,64}$";

json ref(std::string_view id) { return json{{"$ref", "#/definitions/" + std::string(id)}}; }

json string_pattern(std::string_view pattern) { return json{{"type", "string"}, {"pattern", pattern}}; }

json number_or(std::string_view pattern) {
  return json{{"anyOf", json::array({json{{"type", "number"}}, string_pattern(pattern)})}};
}

// The schema of one scalar or composite kind; `key` gives choices, sections and patterns.
json kind_schema(Kind kind, const Key* key, std::string_view section_id);

json item_schema(const Key& key) {
  json s = key.item == Kind::object ? ref(key.section) : kind_schema(key.item, nullptr, {});
  if (key.item == Kind::list) s = json{{"type", "array"}, {"items", kind_schema(Kind::name, nullptr, {})}};
  if (key.nullable) s = json{{"anyOf", json::array({s, json{{"type", "null"}}})}};
  return s;
}

json kind_schema(Kind kind, const Key* key, std::string_view section_id) {
  switch (kind) {
    case Kind::text: return json{{"type", json::array({"string", "number"})}, {"minLength", 1}};
    case Kind::name: {
      const std::string_view pattern = key != nullptr && !key->pattern.empty() ? key->pattern : kNamePattern;
      return json{{"type", json::array({"string", "integer"})}, {"pattern", pattern}};
    }
    case Kind::count: return json{{"anyOf", json::array({json{{"type", "integer"}, {"minimum", 0}}, string_pattern(kCountPattern)})}};
    case Kind::duration: return string_pattern(kDurationPattern);
    case Kind::slots: {
      json any = json::array({string_pattern(kDurationPattern), string_pattern(kSlotsPattern)});
      if (key != nullptr && !key->choices.empty()) any.push_back(json{{"enum", key->choices}});
      return json{{"anyOf", any}};
    }
    case Kind::ratio: return number_or(kRatioPattern);
    case Kind::decimal: return number_or(kDecimalPattern);
    case Kind::amount: return number_or(kAmountPattern);
    case Kind::boolean: return json{{"type", "boolean"}};
    case Kind::choice: return json{{"enum", key != nullptr ? json(key->choices) : json::array()}};
    case Kind::scalar: return json{{"type", json::array({"string", "number", "boolean"})}};
    case Kind::latency: return ref("latency");
    case Kind::distribution: return json{{"anyOf", json::array({number_or(kAmountPattern), ref("distribution")})}};
    case Kind::object: return section_id.empty() ? json{{"type", "object"}} : ref(section_id);
    case Kind::list: return json{{"type", "array"}, {"items", key != nullptr ? item_schema(*key) : json::object()}};
    case Kind::map: return json{{"type", "object"}, {"additionalProperties", key != nullptr ? item_schema(*key) : json(true)}};
  }
  return json::object();
}

std::string describe_key(const Key& key) {
  std::string text(key.description);
  if (!key.unit.empty()) text += " Unit: " + std::string(key.unit) + ".";
  if (!key.fallback.empty()) text += " Default: " + std::string(key.fallback) + ".";
  return text;
}

json key_schema(const Key& key) {
  if (key.rejected) return json(false);
  json s = kind_schema(key.kind, &key, key.section);
  if (key.nullable && key.kind == Kind::object) s = json{{"anyOf", json::array({s, json{{"type", "null"}}})}};
  // `$ref` siblings are ignored by draft-07 validators: wrap to keep the description.
  if (s.contains("$ref")) s = json{{"allOf", json::array({s})}};
  s["description"] = describe_key(key);
  return s;
}

json exactly_one(const std::vector<std::string_view>& names) {
  json any = json::array();
  for (std::string_view n : names) any.push_back(json{{"required", json::array({n})}});
  return json{{"oneOf", any}};
}

json section_schema(const Section& section) {
  json s{{"type", "object"}, {"description", section.description}};
  json props = json::object();
  json required = json::array();
  for (const Key& key : section.keys) {
    props[std::string(key.name)] = key_schema(key);
    if (key.required) required.push_back(key.name);
  }
  s["properties"] = props;
  if (!required.empty()) s["required"] = required;
  s["additionalProperties"] = section.open ? kind_schema(section.extra, nullptr, {}) : json(false);
  json all = json::array();
  if (!section.exactly_one.empty()) all.push_back(exactly_one(section.exactly_one));
  for (const keys::Variant& v : section.variants) {
    json then = json::object();
    json vprops = json::object();
    if (!v.allowed.empty()) {
      for (const Key& key : section.keys) {
        if (std::find(v.allowed.begin(), v.allowed.end(), key.name) == v.allowed.end()) vprops[std::string(key.name)] = false;
      }
    }
    for (const auto& [k, id] : v.sections) vprops[std::string(k)] = ref(id);
    if (!vprops.empty()) then["properties"] = vprops;
    if (!v.required.empty()) then["required"] = v.required;
    if (!v.exactly_one.empty()) then["oneOf"] = exactly_one(v.exactly_one)["oneOf"];
    if (then.empty()) continue;
    const std::string d(section.discriminator);
    json when = json::object();
    when["properties"][d]["const"] = v.value;
    when["required"] = json::array({d});
    json rule = json::object();
    rule["if"] = when;
    rule["then"] = then;
    all.push_back(rule);
  }
  if (!all.empty()) s["allOf"] = all;
  return s;
}

// ---- text -----------------------------------------------------------------------------------

std::string kind_words(const Key& key) {
  switch (key.kind) {
    case Kind::text: return "text";
    case Kind::name: return "name";
    case Kind::count: return "whole number (k/M/B suffixes: 30M)";
    case Kind::duration: return "duration (800us, 250ms, 12s, 5m, 1.5h, 1d, 6h10m)";
    case Kind::slots: return "duration or home slots (12s, 2 slots)";
    case Kind::ratio: return "ratio (10%, 0.1 or 1/3)";
    case Kind::decimal: return "number";
    case Kind::amount: return "amount (1.5, 10k, 2M)";
    case Kind::boolean: return "true or false";
    case Kind::choice: {
      std::string out = "one of: ";
      for (std::size_t i = 0; i < key.choices.size(); ++i) out += (i ? ", " : "") + std::string(key.choices[i]);
      return out;
    }
    case Kind::scalar: return "a single value";
    case Kind::latency: return "latency model map";
    case Kind::distribution: return "number or distribution map";
    case Kind::object: return "map";
    case Kind::list: return "list";
    case Kind::map: return "map of user-chosen keys";
  }
  return "";
}

std::string type_words(const Key& key) {
  std::string out = kind_words(key);
  if (key.kind == Kind::slots && !key.choices.empty()) out += ", or " + std::string(key.choices.front());
  if (key.kind == Kind::list || key.kind == Kind::map) {
    Key item = key;
    item.kind = key.item;
    const std::string of = key.item == Kind::object ? "`" + std::string(key.section) + "` maps" : kind_words(item);
    out += key.kind == Kind::list ? " of " + of : " to " + of;
  }
  if (key.kind == Kind::object && !key.section.empty()) out += " (`" + std::string(key.section) + "`)";
  return out;
}

void markdown_section(std::ostringstream& out, const Section& s) {
  out << "## `" << s.id << "`\n\n" << s.description << "\n\n";
  out << "| key | type | unit | default | meaning |\n|---|---|---|---|---|\n";
  for (const Key& k : s.keys) {
    std::string type = type_words(k);
    if (k.rejected) type = "not allowed";
    out << "| `" << k.name << "`" << (k.required ? " (required)" : "") << " | " << type << " | " << k.unit << " | "
        << k.fallback << " | " << k.description << " |\n";
  }
  if (s.open) {
    Key extra;
    extra.kind = s.extra;
    out << "| *ASSET* | " << kind_words(extra) << " | | | Any other key: an amount of that asset. |\n";
  }
  out << "\n";
  if (!s.exactly_one.empty()) {
    out << "Exactly one of:";
    for (std::size_t i = 0; i < s.exactly_one.size(); ++i) out << (i ? ", `" : " `") << s.exactly_one[i] << "`";
    out << ".\n\n";
  }
  for (const keys::Variant& v : s.variants) {
    out << "- `" << s.discriminator << ": " << v.value << "`";
    if (!v.description.empty()) out << ": " << v.description;
    if (!v.allowed.empty()) {
      out << " Keys:";
      for (std::size_t i = 0; i < v.allowed.size(); ++i) out << (i ? ", `" : " `") << v.allowed[i] << "`";
      out << ".";
    }
    if (!v.required.empty()) {
      out << " Requires:";
      for (std::size_t i = 0; i < v.required.size(); ++i) out << (i ? ", `" : " `") << v.required[i] << "`";
      out << ".";
    }
    if (!v.exactly_one.empty()) {
      out << " Exactly one of:";
      for (std::size_t i = 0; i < v.exactly_one.size(); ++i) out << (i ? ", `" : " `") << v.exactly_one[i] << "`";
      out << ".";
    }
    for (const auto& [k, id] : v.sections) out << " `" << k << "` is a `" << id << "` map.";
    out << "\n";
  }
  if (!s.variants.empty()) out << "\n";
}

}  // namespace

json topology_schema() {
  const Section& root = keys::section("topology");
  json schema = section_schema(root);
  schema["$schema"] = "http://json-schema.org/draft-07/schema#";
  schema["title"] = "shardsim topology";
  json defs = json::object();
  for (const Section& s : keys::sections()) {
    if (&s != &root) defs[std::string(s.id)] = section_schema(s);
  }
  // An empirical table entry may also be a bare duration.
  defs["empirical_point"] = json{{"anyOf", json::array({string_pattern(kDurationPattern), defs["empirical_point"]})}};
  // A user metric may also be its bare path.
  defs["metric"] = json{{"anyOf", json::array({json{{"type", "string"}}, defs["metric"]})}};
  schema["definitions"] = defs;
  return schema;
}

std::string topology_schema_text() { return topology_schema().dump(2) + "\n"; }

std::string topology_keys_markdown() {
  std::ostringstream out;
  out << "# Topology key reference\n\n"
      << "Generated from the loader's key tables (app/topology/topology_keys.cpp) by\n"
      << "`shardsim schema --markdown`; do not edit by hand. The guide is docs/topology.md.\n"
      << "Each section below is one kind of map, headed by its id: the name `map (`id`)`,\n"
      << "`list of `id` maps` and the JSON Schema's definitions use. `shardsim explain PATH` prints one key.\n\n";
  for (const Section& s : keys::sections()) markdown_section(out, s);
  out << "## Protocol operations (script `tx` with `protocol:`)\n\n| kind | op | args |\n|---|---|---|\n";
  for (const ProtocolKind& k : protocol_kinds()) {
    for (const ProtocolOp& op : k.ops) {
      out << "| " << k.kind << " | `" << op.name << "` | ";
      for (std::size_t i = 0; i < op.args.size(); ++i) out << (i ? ", " : "") << op.args[i];
      out << " |\n";
    }
  }
  return out.str();
}

std::string explain_key(std::string_view path, std::string* error) {
  std::vector<std::string> near;
  const auto found = keys::explain(path, &near);
  if (!found) {
    if (error != nullptr) {
      std::string list;
      for (const std::string& n : near) list += (list.empty() ? "" : ", ") + n;
      *error = "no topology key " + std::string(path) + (list.empty() ? "" : " (expected one of: " + list + ")");
    }
    return {};
  }
  std::ostringstream out;
  out << found->path << "\n";
  if (found->key != nullptr) {
    const Key& k = *found->key;
    out << "  type:     " << type_words(k) << "\n";
    if (!k.unit.empty()) out << "  unit:     " << k.unit << "\n";
    out << "  default:  " << (k.required ? "(required)" : k.fallback.empty() ? "(none: absent means off or unset)" : std::string(k.fallback)) << "\n";
    out << "  in:       `" << found->section->id << "` (" << found->section->description << ")\n";
    out << "  meaning:  " << k.description << "\n";
  }
  if (found->inner != nullptr) {
    out << "  keys of `" << found->inner->id << "`:";
    for (const Key& k : found->inner->keys) out << " " << k.name;
    out << "\n";
    for (const keys::Variant& v : found->inner->variants) {
      out << "  " << found->inner->discriminator << ": " << v.value;
      if (!v.description.empty()) out << " - " << v.description;
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace shardsim::app
