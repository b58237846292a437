// Models loading a topology: YAML text or a file in, a validated Topology out, or one
// TopologyError line that says where the file is wrong and what was expected there.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "app/topology/topology.hpp"

namespace shardsim::app {

// A user error in a topology. what() is one line:
//   `FILE:LINE:COL: key.path: message (expected ...)`
// LINE and COL are 1-based; both are 0 when there is no position (the file cannot be read).
// Special key paths: `(root)` for the document itself, `(syntax)` for YAML syntax errors,
// `(file)` for reading the file.
class TopologyError : public std::runtime_error {
 public:
  TopologyError(std::string file, int line, int column, std::string key_path,
                std::string message, std::string expected);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }
  const std::string& expected() const { return expected_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_path_;
  std::string message_;
  std::string expected_;
};

// What moves the true price besides its process: the script's `price:` entries and the
// price_crash faults (moves), and the depeg faults. The loader checks them with the price
// process; the world builds the path from the same lists.
struct PriceEvents {
  std::vector<agents::PriceMove> moves;
  std::vector<agents::Depeg> depegs;
};
PriceEvents price_events(const Topology& topology);

// Reads and validates a topology file. Throws TopologyError (and nothing else for bad input).
Topology load_topology_file(const std::string& path);
// The same for text already in memory; `file_name` is only used in messages and Topology::file.
// Relative paths inside (CSV price files) are read from `base_dir` (empty: the working directory).
Topology load_topology_string(std::string_view yaml_text, const std::string& file_name,
                              const std::string& base_dir = "");

}  // namespace shardsim::app
