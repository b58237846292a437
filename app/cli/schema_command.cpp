// `shardsim schema` and `shardsim explain KEY`: print what app/topology/topology_schema.hpp
// generates from the loader's key tables.
#include "app/cli/schema_command.hpp"

#include <iostream>

#include "app/cli/cli.hpp"
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
    std::cerr << "shardsim: error: " << error << "\n";
    return kExitUsage;
  }
  std::cout << text;
  return 0;
}

}  // namespace shardsim::app
