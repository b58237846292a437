// Models a sweep parameter: `--param PATH=V1,V2,...` or `PATH=range:LO..HI`, where PATH is a
// dotted path into the topology document (`brokers.prime.hedging.policy`, `shards.perps.slot`,
// `links.pairs.0.latency.median`): map keys by name, list items by index or by their id/name. Setting a value edits the YAML document before it is loaded,
// so every value goes through the same validation as a hand-written topology.
#pragma once

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "app/topology/topology.hpp"

namespace shardsim::app {

struct ParamSpec {
  std::string path;                 // dotted
  std::vector<std::string> values;  // as written; each is read as a YAML scalar or flow node
  std::string range;                // `LO..HI` after `range:` (values then empty); sampled by the sweep
};

// A bad --param, as one line naming the argument and what was expected.
class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses `PATH=V1,V2,...` (values split on commas outside brackets/braces, so `{a: 1, b: 2}`
// stays one value) or `PATH=range:LO..HI` (kept as text in `range`). Throws ParamError.
ParamSpec parse_param(const std::string& text);

// Sets `path` in `root` to `value` (parsed as YAML). A list item is named by its index or by its
// `id`/`name`; a map key that is missing on the way is created as an empty map (the loader then
// rejects a key it does not know, with its position). Throws ParamError for a list item that does
// not exist (listing the ids) or a path through a plain value.
void set_param(YAML::Node root, const std::string& path, const std::string& value);

// The topology in `file` with every (path, value) set, loaded and validated; load errors are
// TopologyError naming the file `FILE [PATH=V ...]` (positions refer to the edited document).
Topology load_topology_with_params(const std::string& file,
                                   const std::vector<std::pair<std::string, std::string>>& settings);

}  // namespace shardsim::app
