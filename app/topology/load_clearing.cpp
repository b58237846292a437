// Reads `clearing:` (the cycles that settle obligations between brokers, broker/obligations.hpp):
// `{cycle: 1m, mode: gross | multilateral}`; it needs at least one broker.
#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"

namespace shardsim::app::loader {

broker::ClearingConfig read_clearing(const Field& field, const Topology& topology) {
  constexpr std::string_view kExpected = "a clearing map such as {cycle: 1m, mode: multilateral}";
  constexpr std::string_view kModes = "gross or multilateral";
  MapReader m(field, kExpected, keys::section("clearing"));
  if (topology.brokers.empty()) field.fail("clearing cycles without brokers", "a brokers: section, or no clearing:");
  broker::ClearingConfig c;
  c.cycle = m.optional_duration("cycle", c.cycle, Sign::positive);
  if (const auto mode = m.optional("mode")) {
    const std::string v = mode->text(kModes);
    if (v == "gross") {
      c.mode = broker::ClearingMode::gross;
    } else if (v == "multilateral") {
      c.mode = broker::ClearingMode::multilateral;
    } else {
      mode->fail("unknown clearing mode " + quote(v), kModes);
    }
  }
  m.finish();
  return c;
}

}  // namespace shardsim::app::loader
