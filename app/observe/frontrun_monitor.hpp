// Models front-running measured on the chain (spec/clearing.md §4): a searcher's swap on an AMM
// pool opens a sandwich window on that pool, and every other account's swap that runs next in the
// front-run's direction is a victim. Its loss is what its input would have bought on the pool
// without the front-run (the reserves the front-run found, earlier victims' swaps of the window
// replayed), by the pool's own constant-product integers, minus what it received: raw units of
// the output asset, exact, and USD at the pool shard's oracle for display. The window closes at
// the searcher's own swap back there (back-run or unwind) or when anything else moves the pool (an
// arbitrage back, liquidity), after which no counterfactual is clean. A public victim lands between
// front-run and back-run in one block; a cross-shard call runs at the start of a later block than
// its front-run (calls run on arrival, ahead of the block's transactions). Perps trades in a
// market with finite depth are measured the same way (frontrun_perps.cpp): a searcher's trade
// opens a window at the vAMM state it found; every other account's trade in the same direction
// is a victim whose loss is its size x (average price it got - the one it would have got on the
// window's vAMM), positive when it paid more, in raw collateral units (1 unit = 1 USD); an
// opposite trade by anyone else or a re-peg of the vAMM closes the window. Fed by the shards'
// protocol-op observers; it only reads, so it never changes an outcome or the fingerprint.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "app/world/world.hpp"
#include "protocols/api/vamm.hpp"

namespace shardsim::app {

struct FrontrunLoss {
  protocols::AccountId victim = 0;
  protocols::AccountId searcher = 0;
  std::uint32_t shard = 0;
  std::uint32_t protocol = 0;
  protocols::AssetId asset = 0;  // the victim's output asset (a perps trade: the collateral)
  // Raw units it would have received on the pre-front-run pool, and those it received (a perps
  // trade: its cash change, negative for a buy, on the pre-front-run vAMM and as it ran).
  protocols::i128 clean_out = 0;
  protocols::i128 got_out = 0;
  double usd = 0;                 // (clean_out - got_out) at the shard's oracle when it ran
  std::int64_t at_us = 0;
  protocols::i128 lost() const { return clean_out - got_out; }
};

class FrontrunMonitor {
 public:
  // Observes every shard hosting a pool (before the world runs).
  explicit FrontrunMonitor(World& world);
  FrontrunMonitor(const FrontrunMonitor&) = delete;
  FrontrunMonitor& operator=(const FrontrunMonitor&) = delete;

  bool watches() const { return !searchers_.empty(); }  // the world has searchers
  // Every victim swap, in the order they ran.
  const std::vector<FrontrunLoss>& losses() const { return losses_; }
  // USD lost by the swaps of any of `accounts` (a broker's are its home accounts).
  double loss_usd(const std::vector<protocols::AccountId>& accounts) const;
  // The summary's `frontrun`: by_victim (brokers by name), by_searcher, swaps, total_usd.
  nlohmann::ordered_json results() const;

 private:
  // The pool as it would be without the front-run, in the front-run's direction.
  struct Window {
    protocols::AccountId searcher = 0;
    protocols::AssetId sell = 0, buy = 0;
    protocols::i128 reserve_in = 0, reserve_out = 0;
  };
  struct Swap {
    protocols::AssetId sell = 0, buy = 0;
    protocols::i128 in = 0, out = 0;
    protocols::PoolView after;
  };
  using PoolKey = std::pair<std::uint32_t, std::uint32_t>;  // shard, protocol index
  // A perps market's vAMM as it would be without the front-run, in the front-run's direction.
  struct PerpsWindow {
    protocols::AccountId searcher = 0;
    bool buy = false;
    protocols::VammState clean;
    std::uint64_t repegs = 0;  // the vAMM's pegs when the window opened
  };
  struct PerpsTrade;                                              // frontrun_perps.cpp
  using MarketKey = std::tuple<std::uint32_t, std::uint32_t, std::size_t>;  // shard, protocol, market

  void on_op(std::uint32_t shard, const shards::Shard::ProtocolOpRun& run);
  void on_searcher_swap(const PoolKey& pool, protocols::AccountId searcher, protocols::AssetId sell, const Swap* swap);
  void on_victim_swap(const PoolKey& pool, Window& w, protocols::AccountId victim, const Swap& swap);
  void on_perps_op(std::uint32_t shard, const protocols::PerpsQuery& perps, const shards::Shard::ProtocolOpRun& run);
  void on_perps_searcher(const MarketKey& key, protocols::AccountId searcher, const PerpsTrade& t);
  void on_perps_victim(const MarketKey& key, PerpsWindow& w, protocols::AccountId victim, const PerpsTrade& t);
  std::string victim_name(protocols::AccountId a) const;
  nlohmann::ordered_json by_victim() const;
  nlohmann::ordered_json by_searcher() const;

  World& world_;
  std::set<protocols::AccountId> searchers_;
  std::map<protocols::AccountId, std::string> broker_of_;  // a broker's home accounts -> its name
  std::map<PoolKey, Window> open_;
  // Per pool and searcher, the asset its last front-run sold while its position is open.
  std::map<std::pair<PoolKey, protocols::AccountId>, protocols::AssetId> position_;
  std::map<MarketKey, PerpsWindow> perps_open_;
  // Per market and searcher, whether its open front-run bought.
  std::map<std::pair<MarketKey, protocols::AccountId>, bool> perps_position_;
  std::vector<FrontrunLoss> losses_;
};

}  // namespace shardsim::app
