// Models the failure watch of a run: one monitor actor per shard with protocols samples each
// protocol's bad debt and liquidation count once a minute on that shard's LP, and the summary's
// `cascade` (spec/clearing.md §7) is assembled from what it saw, the faults and the brokers.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/observe/cascade.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {

class CascadeMonitor {
 public:
  // Installs the watch actors on `world`'s shard LPs (before the world runs).
  explicit CascadeMonitor(World& world);
  CascadeMonitor(const CascadeMonitor&) = delete;
  CascadeMonitor& operator=(const CascadeMonitor&) = delete;

  bool watches_protocols() const { return !watches_.empty(); }
  // Bad debt (USD) of every watched protocol at the last sample.
  double protocol_bad_debt_usd() const;
  // The summary's `cascade`: liquidations, bad debt per layer, failures with causes, depth, losses.
  nlohmann::ordered_json results() const;

 private:
  struct ProtocolWatch {
    std::string name, kind;
    std::uint32_t shard = 0;
    double bad_debt_usd = 0;
    std::optional<std::int64_t> failed_at_us;
    std::uint64_t liquidations_seen = 0;
    std::vector<std::int64_t> liquidation_waves_us;  // samples at which new liquidations had happened
    // The protocol's own loss absorbers (RiskQuery), USD at the last sample; the fund at the first.
    std::optional<double> insurance_start_usd;
    double insurance_usd = 0, insurance_drawn_usd = 0, socialised_usd = 0;
  };
  // A feed's move over one sample (at least kMoveFraction): a price move in the cause chain.
  struct PriceMoveSeen {
    std::uint32_t shard = 0, asset = 0;
    std::int64_t at_us = 0;
    double move = 0;
  };
  void add_root_events(std::vector<CascadeEvent>& events) const;
  const World& world_;
  std::vector<ProtocolWatch> watches_;
  std::vector<std::vector<PriceMoveSeen>> price_moves_;  // per shard: each LP writes only its own
};

}  // namespace shardsim::app
