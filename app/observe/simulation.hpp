// Models a world with its observers attached: the cascade monitor, the front-run measurement and
// the time series take the world as input and watch it run. What the commands and tests run; the world itself only
// composes and never knows what watches it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "app/observe/cascade_monitor.hpp"
#include "app/observe/frontrun_monitor.hpp"
#include "app/observe/time_series.hpp"
#include "app/observe/trace_wiring.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {

class Simulation : public World {
 public:
  Simulation(const Topology& topology, std::uint64_t seed);

  // Over the topology's duration, sampling the time series every TimeSeries::interval.
  core::RunStats run();
  // The world's results with the summary's `cascade` and `frontrun`, every broker's
  // `frontrun_loss` the measured one.
  nlohmann::ordered_json results() const;
  const CascadeMonitor& cascade() const { return cascade_; }
  const FrontrunMonitor& frontrun() const { return frontrun_; }
  const TimeSeries& time_series() const { return series_; }
  nlohmann::ordered_json report_data() const { return series_.report_data(); }
  std::size_t sample_count() const { return series_.count(); }
  void attach_trace(TraceSink& sink) { app::attach_trace(*this, sink); }
  TraceNames trace_names() { return app::trace_names(*this); }

 private:
  CascadeMonitor cascade_;
  FrontrunMonitor frontrun_;
  TimeSeries series_;
};

}  // namespace shardsim::app
