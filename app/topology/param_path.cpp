// Dotted paths into a YAML document, and loading a topology with some of them overridden.
#include "app/topology/param_path.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '.')) parts.push_back(part);
  if (!path.empty() && path.back() == '.') parts.emplace_back();
  return parts;
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TopologyError(file, 0, 0, "(file)", "cannot read the topology file", "a readable YAML file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ParamSpec parse_param(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw ParamError("--param " + text + ": expected PATH=V1,V2,... such as brokers.0.hedging.policy=immediate,batch");
  }
  ParamSpec spec;
  spec.path = text.substr(0, eq);
  for (const std::string& part : split_path(spec.path)) {
    if (part.empty()) throw ParamError("--param " + text + ": empty segment in path '" + spec.path + "'");
  }
  const std::string values = text.substr(eq + 1);
  if (values.rfind("range:", 0) == 0) {
    spec.range = values.substr(6);
    if (spec.range.find("..") == std::string::npos) {
      throw ParamError("--param " + text + ": expected range:LO..HI such as range:2s..20s or range:10..40 slots");
    }
    return spec;
  }
  int depth = 0;
  std::string current;
  for (char c : values) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      spec.values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  spec.values.push_back(current);
  for (const std::string& v : spec.values) {
    if (v.find_first_not_of(' ') == std::string::npos) {
      throw ParamError("--param " + text + ": empty value (expected PATH=V1,V2,... with no empty item)");
    }
  }
  return spec;
}

namespace {

// A list item's id: its `id` or `name` (shards have ids; brokers, protocols and agents names).
std::string item_id(const YAML::Node& item) {
  if (!item.IsMap()) return "";
  for (const char* key : {"id", "name"}) {
    const YAML::Node v = item[key];
    if (v && v.IsScalar()) return v.Scalar();
  }
  return "";
}

// The item of `list` that `key` names (an index or an item's id), or ParamError listing the choices.
std::size_t list_index(const YAML::Node& list, const std::string& key, const std::string& path, const std::string& where) {
  if (is_index(key) && std::stoul(key) < list.size()) return std::stoul(key);
  std::string ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string id = item_id(list[i]);
    if (!is_index(key) && !id.empty() && id == key) return i;
    if (!id.empty()) ids += (ids.empty() ? "" : ", ") + id;
  }
  const std::string range = list.size() == 0 ? "it is empty" : "an index 0.." + std::to_string(list.size() - 1);
  throw ParamError("--param " + path + ": " + where + " is a list of " + std::to_string(list.size()) + " items; expected " +
                   (ids.empty() ? range : "an id (" + ids + ") or " + range) + " instead of '" + key + "'");
}

}  // namespace

void set_param(YAML::Node root, const std::string& path, const std::string& value) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ParamError("--param " + path + "=" + value + ": the value is not valid YAML (" + e.msg + ")");
  }
  const std::vector<std::string> parts = split_path(path);
  YAML::Node node = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& key = parts[i];
    const bool last = i + 1 == parts.size();
    const std::string where = walked.empty() ? "the document" : "'" + walked + "'";
    if (node.IsSequence()) {
      const std::size_t index = list_index(node, key, path, where);
      if (last) {
        node[index] = parsed;
        return;
      }
      node.reset(node[index]);
    } else if (node.IsMap() || node.IsNull()) {
      // A missing key on the way becomes an empty map; the loader then judges the keys (an
      // unknown one is its error, with the position in the edited document).
      if (last) {
        node[key] = parsed;
        return;
      }
      if (!node[key]) {
        if (is_index(parts[i + 1])) {  // a list is not created: its items need more than one value
          throw ParamError("--param " + path + ": " + where + " has no key '" + key + "', so it has no item " + parts[i + 1] +
                           " (a list item can be set only in a list the file has)");
        }
        node[key] = YAML::Node(YAML::NodeType::Map);
      }
      node.reset(node[key]);
    } else {
      throw ParamError("--param " + path + ": " + where + " is a value, not a map or list, so it has no '" + key + "'");
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
}

Topology load_topology_with_params(const std::string& file,
                                   const std::vector<std::pair<std::string, std::string>>& settings) {
  if (settings.empty()) return load_topology_file(file);
  const std::string text = read_text(file);
  const std::string base_dir = std::filesystem::path(file).parent_path().string();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return load_topology_string(text, file, base_dir);  // the loader reports the syntax error with its position
  }
  std::string label = file + " [";
  for (std::size_t i = 0; i < settings.size(); ++i) {
    set_param(root, settings[i].first, settings[i].second);
    label += (i ? " " : "") + settings[i].first + "=" + settings[i].second;
  }
  label += "]";
  YAML::Emitter out;
  out << root;
  Topology t = load_topology_string(out.c_str(), label, base_dir);
  t.file = file;
  return t;
}

}  // namespace shardsim::app
