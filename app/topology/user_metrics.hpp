// Models a user-chosen metric: `metrics: {NAME: PATH}` or `{NAME: {path: PATH, better: lower}}`
// in a topology, or `--metric NAME=PATH` on compare and sweep. PATH is dotted into the run's
// summary.json: map keys by name, list items by index or by their `id` (or `name`) field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shardsim::app {

struct Topology;

// Which direction of a metric is better for a risk engineer: bad debt lower, P&L higher, and
// neutral when it only describes (throughput, which retries also raise).
enum class Better : std::uint8_t { neutral, higher, lower };

struct UserMetricSpec {
  std::string name;
  std::string path;
  Better better = Better::neutral;
  // Where it was written, for an error about its path: the topology file, 1-based line and
  // column and key path (`metrics.NAME`); file empty for a command-line --metric.
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
};

// The `metrics:` section of the file `topology` was loaded from (the loader has checked it), in
// file order; empty when it has none or was not loaded from a file.
std::vector<UserMetricSpec> topology_metrics(const Topology& topology);

}  // namespace shardsim::app
