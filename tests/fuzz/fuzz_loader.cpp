// Fuzzes the topology loader: any bytes must either load or raise TopologyError; any other
// exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/topology/topology_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)shardsim::app::load_topology_string(text, "fuzz.yaml");
  } catch (const shardsim::app::TopologyError&) {
    // A user error, reported as one line: the expected outcome for most inputs.
  }
  return 0;
}
