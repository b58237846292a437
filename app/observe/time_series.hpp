// Models what report.html and timeseries.csv show of a run: time series sampled between engine
// runs (true and oracle prices, broker net exposure, margin and capital, bad debt, mempool depth),
// and the page's RUN object (topology, series, latency distributions, cascade).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/observe/cascade_monitor.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {

class TimeSeries {
 public:
  // Samples `world` (and the protocol bad debt `cascade` saw) when sample() is called.
  // Not const: a sample takes each mempool's peak since the previous one (Mempool::take_peak).
  TimeSeries(World& world, const CascadeMonitor& cascade) : world_(world), cascade_(cascade) {}
  // outputs.timeseries_every, widened so that a run takes at most 50,000 samples.
  static core::Duration interval(const Topology& topology);
  void sample(core::SimTime t);  // in define() order
  std::size_t count() const { return t_us_.size(); }
  struct Series {
    std::string name, group, unit, asset;
    std::vector<std::optional<double>> values;  // nothing: no value yet (an oracle before its first update)
  };
  const std::vector<Series>& series() const { return series_; }
  const std::vector<std::int64_t>& t_us() const { return t_us_; }
  // The page's RUN object (see app/output/report_html.hpp).
  nlohmann::ordered_json report_data() const;

 private:
  void define();
  World& world_;
  const CascadeMonitor& cascade_;
  std::vector<Series> series_;
  std::vector<std::int64_t> t_us_;
};

}  // namespace shardsim::app
