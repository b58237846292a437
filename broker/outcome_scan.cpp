// Scan risk of outcome claims (prediction shares): a bounded 0..1 payoff has no price to move, so
// each market is scanned by resolving it each way (every outcome winning in turn, INVALID
// included) and the worst loss against the current marks counts; claims on one market net (a
// complete set loses nothing). A resolution add-on of `resolution_charge` x the largest payoff
// prices what the scan cannot see: a mis-report, a dispute, a fork freezing the market.
#include <algorithm>
#include <cmath>
#include <string>

#include "broker/margin_engine.hpp"

namespace shardsim::broker::detail {
namespace {

const std::string& market_of(const Position& p) { return p.instrument->outcome->market; }

}  // namespace

void outcome_margin(Valuation& v, const MarginConfig& config, MarginResult& r) {
  std::vector<std::size_t>& claims = v.s.claims;
  claims.clear();
  for (std::size_t i = 0; i < v.positions.size(); ++i) {
    if (v.positions[i].quantity != 0 && v.positions[i].instrument->outcome) claims.push_back(i);
  }
  std::stable_sort(claims.begin(), claims.end(), [&](std::size_t a, std::size_t b) {
    return market_of(v.positions[a]) < market_of(v.positions[b]);
  });
  for (std::size_t first = 0; first < claims.size();) {
    std::size_t last = first;
    const std::string& market = market_of(v.positions[claims[first]]);
    while (last < claims.size() && market_of(v.positions[claims[last]]) == market) ++last;
    std::size_t scenarios = 0;
    for (std::size_t k = first; k < last; ++k) {
      scenarios = std::max(scenarios, v.positions[claims[k]].instrument->outcome->payoff_if.size());
    }
    double worst = 0;
    for (std::size_t s = 0; s < scenarios; ++s) {
      double change = 0;
      for (std::size_t k = first; k < last; ++k) {
        const std::size_t i = claims[k];
        const Position& p = v.positions[i];
        const auto& payoff = p.instrument->outcome->payoff_if;
        const double leg_change = p.quantity * (s < payoff.size() ? payoff[s] : 0.0) - v.s.base[i];
        change += leg_change;
        v.s.standalone_scan[i] = std::max(v.s.standalone_scan[i], -leg_change);
      }
      worst = std::max(worst, -change);
    }
    r.outcome_scan_risk += worst;
    first = last;
  }
  for (const std::size_t i : claims) {
    const Position& p = v.positions[i];
    const auto& payoff = p.instrument->outcome->payoff_if;
    const double top = payoff.empty() ? 0.0 : *std::max_element(payoff.begin(), payoff.end());
    const double addon = config.resolution_charge * std::abs(p.quantity) * top;
    r.resolution_addon += addon;
    r.gross += addon;
  }
}

}  // namespace shardsim::broker::detail
