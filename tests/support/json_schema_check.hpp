// Models what an editor does with docs/topology.schema.json, for tests: a YAML document read as
// the JSON an editor's YAML extension sees (YAML 1.2 core scalars: plain `30000000` a number,
// `12s` a string, quoted text always a string), and a validator for the draft-07 subset the
// generator emits (type, enum, const, pattern, minLength, minimum, properties, required,
// additionalProperties, items, anyOf, oneOf, allOf, if/then, $ref, boolean schemas).
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <string>
#include <vector>

namespace shardsim::testing {

inline nlohmann::json yaml_to_json(const YAML::Node& node) {
  using nlohmann::json;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const YAML::Node& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (auto it = node.begin(); it != node.end(); ++it) out[it->first.Scalar()] = yaml_to_json(it->second);
      return out;
    }
    case YAML::NodeType::Scalar: break;
  }
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") return text;  // quoted or tagged: a string
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kFloat("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~" || text.empty()) return nullptr;
  if (std::regex_match(text, kInt)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return std::stod(text);
    }
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

class SchemaCheck {
 public:
  explicit SchemaCheck(nlohmann::json root) : root_(std::move(root)) {}

  // The failures, each `path: what`; empty when `value` is valid.
  std::vector<std::string> errors(const nlohmann::json& value) const {
    std::vector<std::string> out;
    check(root_, value, "(root)", out);
    return out;
  }

 private:
  using json = nlohmann::json;

  const json& resolve(const json& schema) const {
    const std::string ref = schema.at("$ref");
    const std::string prefix = "#/definitions/";
    return root_.at("definitions").at(ref.substr(prefix.size()));
  }

  static bool type_matches(const std::string& type, const json& v) {
    if (type == "string") return v.is_string();
    if (type == "number") return v.is_number();
    if (type == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
    if (type == "boolean") return v.is_boolean();
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "null") return v.is_null();
    return false;
  }

  bool valid(const json& schema, const json& v, const std::string& path) const {
    std::vector<std::string> scratch;
    check(schema, v, path, scratch);
    return scratch.empty();
  }

  void check(const json& schema, const json& v, const std::string& path, std::vector<std::string>& out) const {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) out.push_back(path + ": not allowed here");
      return;
    }
    if (schema.contains("$ref")) {
      check(resolve(schema), v, path, out);
      return;
    }
    if (schema.contains("type")) {
      const json& t = schema["type"];
      bool ok = false;
      if (t.is_string()) ok = type_matches(t, v);
      for (const json& one : t.is_array() ? t : json::array()) ok = ok || type_matches(one, v);
      if (!ok) {
        out.push_back(path + ": type " + t.dump() + " expected, got " + v.dump());
        return;
      }
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const json& e : schema["enum"]) found = found || e == v;
      if (!found) out.push_back(path + ": " + v.dump() + " not in " + schema["enum"].dump());
    }
    if (schema.contains("const") && schema["const"] != v) out.push_back(path + ": not " + schema["const"].dump());
    if (v.is_string()) {
      const std::string s = v;
      if (schema.contains("minLength") && s.size() < schema["minLength"].get<std::size_t>()) out.push_back(path + ": too short");
      if (schema.contains("pattern") && !std::regex_search(s, std::regex(schema["pattern"].get<std::string>()))) {
        out.push_back(path + ": " + v.dump() + " does not match " + schema["pattern"].get<std::string>());
      }
    }
    if (v.is_number() && schema.contains("minimum") && v.get<double>() < schema["minimum"].get<double>()) {
      out.push_back(path + ": below " + schema["minimum"].dump());
    }
    if (v.is_object()) {
      const json props = schema.value("properties", json::object());
      for (const std::string& r : schema.value("required", std::vector<std::string>{})) {
        if (!v.contains(r)) out.push_back(path + ": missing required " + r);
      }
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string child = path + "." + it.key();
        if (props.contains(it.key())) {
          check(props[it.key()], it.value(), child, out);
        } else if (schema.contains("additionalProperties")) {
          const json& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) {
            out.push_back(child + ": unknown key");
          } else {
            check(extra, it.value(), child, out);
          }
        }
      }
    }
    if (v.is_array() && schema.contains("items")) {
      for (std::size_t i = 0; i < v.size(); ++i) check(schema["items"], v[i], path + "." + std::to_string(i), out);
    }
    for (const json& sub : schema.value("allOf", json::array())) check(sub, v, path, out);
    if (schema.contains("anyOf")) {
      bool any = false;
      for (const json& sub : schema["anyOf"]) any = any || valid(sub, v, path);
      if (!any) out.push_back(path + ": " + v.dump() + " matches none of anyOf");
    }
    if (schema.contains("oneOf")) {
      int n = 0;
      for (const json& sub : schema["oneOf"]) n += valid(sub, v, path) ? 1 : 0;
      if (n != 1) out.push_back(path + ": matches " + std::to_string(n) + " of oneOf, not exactly 1");
    }
    if (schema.contains("if") && valid(schema["if"], v, path)) {
      if (schema.contains("then")) check(schema["then"], v, path, out);
    }
  }

  json root_;
};

}  // namespace shardsim::testing
