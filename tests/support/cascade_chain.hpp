// Test support: reading the summary cascade's cause graph: whether one event's chain of causes
// reaches another.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace shardsim::testing {

// True when `root` is among the causes of `who`, directly or through other events' causes.
inline bool caused_by(const nlohmann::ordered_json& cascade, const std::string& who, const std::string& root) {
  std::vector<std::string> todo{who};
  std::set<std::string> seen;
  while (!todo.empty()) {
    const std::string at = todo.back();
    todo.pop_back();
    if (!seen.insert(at).second) continue;
    for (const nlohmann::ordered_json& f : cascade.at("failures")) {
      if (f.at("who") != at) continue;
      for (const nlohmann::ordered_json& c : f.at("causes")) {
        if (c == root) return true;
        todo.push_back(c.get<std::string>());
      }
    }
  }
  return false;
}

}  // namespace shardsim::testing
