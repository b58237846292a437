// Models the published description of the topology language, generated from the loader's key
// tables (app/topology/topology_keys.hpp): the JSON Schema editors check topologies with
// (docs/topology.schema.json, `shardsim schema`), one key's explanation (`shardsim explain KEY`),
// and the key reference (docs/topology-keys.md, `shardsim schema --markdown`).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shardsim::app {

// A JSON Schema (draft-07) of a topology document.
nlohmann::json topology_schema();
// The schema as shipped: two-space indented, one trailing newline.
std::string topology_schema_text();

// The reference of every section and key, as Markdown.
std::string topology_keys_markdown();

// What `explain PATH` prints; nothing when the path names no key (`error` then says why and
// which keys would continue it).
std::string explain_key(std::string_view path, std::string* error);

}  // namespace shardsim::app
