// Reads compare's topologies and their --param settings.
#include "app/cli/compare_inputs.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

// Which topologies a `--param [T:]PATH=V` sets: T is a letter (A = the first) or a 1-based
// position; without T, every topology. Returns the target (0 = all, else 1-based) and PATH=V.
std::pair<std::size_t, std::string> param_target(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::size_t eq = text.find('=');
  if (colon == std::string::npos || (eq != std::string::npos && eq < colon)) return {0, text};
  const std::string t = text.substr(0, colon);
  std::size_t target = 0;
  if (t.size() == 1 && t[0] >= 'A' && t[0] <= 'Z') {
    target = static_cast<std::size_t>(t[0] - 'A') + 1;
  } else if (!t.empty() && t.size() < 4 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    target = std::stoul(t);
  }
  if (target == 0) {
    throw ParamError("--param " + text + ": unknown topology \"" + t +
                     "\" (expected [T:]PATH=V where T is a letter A, B, ... or a position 1, 2, ... of the topologies)");
  }
  return {target, text.substr(colon + 1)};
}

// Per topology, the settings that apply to it. With a single file and settings for B (or
// later), the file is compared with itself: the file list grows to the highest target.
std::vector<Settings> read_compare_params(const CompareOptions& options, std::vector<std::string>& files) {
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> parsed;
  std::size_t highest = 0;
  for (const std::string& text : options.params) {
    const auto [target, rest] = param_target(text);
    const ParamSpec spec = parse_param(rest);
    if (spec.values.size() != 1) {
      throw ParamError("--param " + text + ": compare takes one value per path (expected [T:]PATH=V; sweep varies a path)");
    }
    parsed.push_back({target, {spec.path, spec.values[0]}});
    highest = std::max(highest, target);
  }
  if (files.size() == 1 && highest >= 2) files.resize(highest, files[0]);
  if (files.size() < 2) {
    throw ParamError("compare needs two or more topologies, or one with --param B:PATH=V (expected: compare A.yaml B.yaml ...)");
  }
  if (highest > files.size()) {
    throw ParamError("--param for topology " + std::to_string(highest) + " but only " + std::to_string(files.size()) +
                     " topologies are compared");
  }
  std::vector<Settings> out(files.size());
  for (const auto& [target, setting] : parsed) {
    for (std::size_t t = 0; t < files.size(); ++t) {
      if (target == 0 || target == t + 1) out[t].push_back(setting);
    }
  }
  return out;
}

std::string last_segment(const std::string& path) {
  const std::size_t dot = path.find_last_of('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

}  // namespace

Labelled load_labelled(const CompareOptions& options) {
  Labelled out;
  out.files = options.topologies;
  const std::vector<Settings> settings = read_compare_params(options, out.files);
  for (std::size_t t = 0; t < out.files.size(); ++t) {
    const std::string& file = out.files[t];
    out.topologies.push_back(settings[t].empty() ? load_topology_file(file) : load_topology_with_params(file, settings[t]));
    std::string label = topology_label(file);
    std::string own;
    std::string replay = file;
    for (const auto& [path, value] : settings[t]) {
      replay += " --param '" + path + "=" + value + "'";
      const bool shared = std::all_of(settings.begin(), settings.end(), [&](const Settings& s) {
        return std::find(s.begin(), s.end(), std::make_pair(path, value)) != s.end();
      });
      if (!shared) own += (own.empty() ? "" : ",") + last_segment(path) + "=" + value;
    }
    if (!own.empty()) label += "[" + own + "]";
    while (std::find(out.labels.begin(), out.labels.end(), label) != out.labels.end()) label += "'";
    out.labels.push_back(label);
    out.replay_args.push_back(replay);
  }
  return out;
}

}  // namespace shardsim::app
