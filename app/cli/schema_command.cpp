// `shardsim schema` and `shardsim explain KEY`: print what app/topology/topology_schema.hpp
// generates from the loader's key tables.
#include "app/cli/schema_command.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include "app/cli/cli.hpp"
#include "app/cli/suggest.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/topology_schema.hpp"

namespace shardsim::app {

int schema_command(const SchemaOptions& options) {
  if (!options.key.empty()) return explain_command(options.key);
  std::cout << (options.markdown ? topology_keys_markdown() : topology_schema_text());
  return 0;
}

int explain_command(const std::string& key) {
  std::string error;
  const std::string text = explain_key(key, &error);
  if (text.empty()) {
    std::vector<std::string> near;
    (void)keys::explain(key, &near);
    std::string hint;
    for (std::size_t start = 0; start <= key.size() && hint.empty();) {
      const std::size_t dot = std::min(key.find('.', start), key.size());
      if (const auto n = nearest_name(key.substr(start, dot - start), near)) hint = "; did you mean " + *n + "?";
      start = dot + 1;
    }
    std::cerr << "shardsim: error: " << error << hint << "\n";
    return kExitUsage;
  }
  std::cout << text;
  return 0;
}

}  // namespace shardsim::app
