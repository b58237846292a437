// Models what `compare` compares: the topology files of the command line, each with the
// `--param [T:]PATH=V` settings for it (T a letter A, B, ... or a position 1, 2, ...; none: every
// topology), a label no other one has, and the `run` arguments that replay it.
#pragma once

#include <string>
#include <vector>

#include "app/cli/compare_command.hpp"
#include "app/topology/topology.hpp"

namespace shardsim::app {

// The topologies in command-line order, each with a label no other one has.
struct Labelled {
  std::vector<std::string> files;
  std::vector<Topology> topologies;
  std::vector<std::string> labels;        // the file name, with [key=V] for its own settings; a repeat gains '
  std::vector<std::string> replay_args;  // `shardsim run` arguments that replay it, before --seed
};

// Loads every topology with its settings. With one file and settings for B (or later), the file is
// compared with itself. Throws ParamError (a bad --param, fewer than two topologies) or
// TopologyError.
Labelled load_labelled(const CompareOptions& options);

}  // namespace shardsim::app
