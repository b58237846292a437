// Models the commands that describe the topology language: `schema` prints its JSON Schema (or the
// Markdown key reference) and `explain KEY` one key's type, unit, default, values and meaning.
#pragma once

#include <string>

namespace shardsim::app {

struct SchemaOptions {
  bool markdown = false;  // --markdown: the key reference instead of the JSON Schema
  std::string key;        // --key KEY: as `explain KEY`
};

int schema_command(const SchemaOptions& options);
int explain_command(const std::string& key);

}  // namespace shardsim::app
