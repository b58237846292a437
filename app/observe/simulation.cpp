// A world run with its observers: the cascade monitor's actors are installed after the world is
// composed, and the time series is sampled between engine runs.
#include "app/observe/simulation.hpp"

namespace shardsim::app {

Simulation::Simulation(const Topology& topology, std::uint64_t seed)
    : World(topology, seed), cascade_(*this), frontrun_(*this), series_(*this, cascade_) {}

core::RunStats Simulation::run() {
  return World::run(TimeSeries::interval(topology()), [this](core::SimTime t) { series_.sample(t); });
}

nlohmann::ordered_json Simulation::results() const {
  nlohmann::ordered_json j = World::results();
  if (broker_count() > 0 || !topology().faults.empty() || cascade_.watches_protocols()) j["cascade"] = cascade_.results();
  for (std::size_t b = 0; b < broker_count() && j.contains("brokers"); ++b) {
    j["brokers"][b]["frontrun_loss"] = frontrun_.loss_usd(broker(b).home_accounts());  // measured on the chain
  }
  if (!frontrun_.losses().empty() || frontrun_.watches()) j["frontrun"] = frontrun_.results();
  return j;
}

}  // namespace shardsim::app
