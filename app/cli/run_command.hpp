// Models `shardsim run`: load, build, run, then report on stdout (`seed=` first, `fingerprint=`
// last) and in DIR/summary.json, written atomically and marked incomplete when interrupted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardsim::app {

struct RunOptions {
  std::string topology;
  std::optional<std::uint64_t> seed;
  std::string out_dir = "out";
  bool quiet = false;
  std::string dump_state;  // --dump-state FILE: final state as JSON
  bool trace = false;      // --trace: OUT/events.csv (also `outputs: {trace: true}`)
  std::vector<std::string> trace_kinds;  // --trace-kinds tx,broker: only these rows (implies --trace)
  std::vector<std::string> params;  // --param PATH=V: one sweep point, replayed
};

int run_command(const RunOptions& options);
int validate_command(const std::string& topology);

}  // namespace shardsim::app
