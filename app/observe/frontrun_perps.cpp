// The front-run measurement on perps markets with finite depth: windows per market opened by a
// searcher's trade at the vAMM state it found, victims' exact counterfactual fills replayed on it.
#include <string>

#include "app/observe/frontrun_monitor.hpp"

namespace shardsim::app {

using protocols::i128;

// A perps trade as the monitor reads it: direction from its `size` argument (a failed trade
// reports nothing), the vAMM part from its outputs when it ran.
struct FrontrunMonitor::PerpsTrade {
  bool buy = false;
  bool ok = false;
  const protocols::TxOutput* vamm_size = nullptr;   // the base it traded on the vAMM (taker-signed)
  const protocols::TxOutput* vamm_quote = nullptr;  // the vAMM's quote change
  std::optional<protocols::PerpsVamm> vamm_after;
  i128 spread_wad = 0;
  int decimals = 0;
  protocols::AssetId collateral = 0;
  bool on_vamm() const { return ok && vamm_size != nullptr && vamm_quote != nullptr && vamm_after.has_value(); }
};

void FrontrunMonitor::on_perps_op(std::uint32_t shard, const protocols::PerpsQuery& perps,
                                  const shards::Shard::ProtocolOpRun& run) {
  if (run.op != "trade") return;
  std::string market_name, size_text;
  for (const protocols::TxArg& a : run.args) {
    if (a.key == "market") market_name = a.value;
    if (a.key == "size") size_text = a.value;
  }
  const protocols::PerpsDepthQuery* depth = protocols::depth_query(&perps);
  if (depth == nullptr) return;
  const protocols::PerpsTerms& terms = perps.perps_terms();
  std::size_t market = terms.markets.size();
  for (std::size_t m = 0; m < terms.markets.size(); ++m) {
    if (terms.markets[m].name == market_name) market = m;
  }
  if (market == terms.markets.size() || depth->vamm_depth_wad(market) <= 0 || size_text.empty()) return;
  PerpsTrade t;
  t.buy = size_text.front() != '-';
  t.ok = run.status == protocols::TxStatus::ok;
  t.vamm_size = protocols::find_output(run.outputs, "vamm_size");
  t.vamm_quote = protocols::find_output(run.outputs, "vamm_quote");
  t.vamm_after = depth->vamm(world_.shard(shard).host(), market);
  t.spread_wad = depth->spread_wad();
  t.collateral = terms.collateral;
  t.decimals = world_.topology().assets[terms.collateral].decimals;
  const MarketKey key{shard, run.protocol, market};
  if (searchers_.contains(run.from)) {
    on_perps_searcher(key, run.from, t);
    return;
  }
  const auto open = perps_open_.find(key);
  if (open == perps_open_.end() || !t.ok) return;  // a revert changed nothing
  if (!t.on_vamm()) return;                        // the book filled it all: the vAMM did not move
  if (t.buy == open->second.buy && t.vamm_after->repegs == open->second.repegs) {
    on_perps_victim(key, open->second, run.from, t);
  } else {
    perps_open_.erase(open);  // traded back by someone else, or re-pegged: no clean counterfactual
  }
}

// A searcher's trade against its own open position ends it and its window; a successful vAMM
// trade otherwise is a front-run and opens a window at the vAMM it found (unless another
// searcher's window is open there).
void FrontrunMonitor::on_perps_searcher(const MarketKey& key, protocols::AccountId searcher, const PerpsTrade& t) {
  const auto open = perps_open_.find(key);
  const bool owner = open != perps_open_.end() && open->second.searcher == searcher;
  const auto side = perps_position_.find({key, searcher});
  if (side != perps_position_.end() && side->second != t.buy) {
    perps_position_.erase(side);
    if (owner) perps_open_.erase(open);
    return;
  }
  if (!t.on_vamm()) return;
  perps_position_[{key, searcher}] = t.buy;
  if (open != perps_open_.end() && !owner) return;
  const protocols::VammState& after = t.vamm_after->state;
  const protocols::VammState before{after.base_wad + t.vamm_size->raw, after.quote_wad - t.vamm_quote->raw};
  perps_open_[key] = PerpsWindow{searcher, t.buy, before, t.vamm_after->repegs};
}

// The victim's vAMM fill on the window's vAMM (earlier victims replayed on it) against the one it
// got, both with the spread and rounding the protocol applies; the window then takes this trade.
void FrontrunMonitor::on_perps_victim(const MarketKey& key, PerpsWindow& w, protocols::AccountId victim,
                                      const PerpsTrade& t) {
  const std::optional<protocols::VammTrade> clean = protocols::vamm_trade(w.clean, t.vamm_size->raw);
  if (!clean) {
    perps_open_.erase(key);
    return;
  }
  FrontrunLoss l;
  l.victim = victim;
  l.searcher = w.searcher;
  l.shard = std::get<0>(key);
  l.protocol = std::get<1>(key);
  l.asset = t.collateral;
  l.clean_out = protocols::vamm_cash_units(clean->quote_delta_wad, t.spread_wad, t.decimals);
  l.got_out = protocols::vamm_cash_units(t.vamm_quote->raw, t.spread_wad, t.decimals);
  l.at_us = world_.engine().now().count_us();
  l.usd = core::Amount::units(l.lost()).to_double(t.decimals);  // 1 collateral unit = 1 USD (the perps convention)
  w.clean = clean->after;
  losses_.push_back(l);
}

}  // namespace shardsim::app
