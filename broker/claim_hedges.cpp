// Models how the broker hedges outcome claims (prediction shares): the house is short what its
// clients hold of each outcome, and a share is bought only from the market itself, so the house
// holds at its venue what clients hold, lifted by as many complete sets as clients are net short
// of the most-shorted outcome (a complete set pays 1 however the market resolves, so the holding
// minus the clients' is riskless). Spot venues sell only inventory: the target is never negative.
#include <algorithm>
#include <cmath>
#include <limits>

#include "broker/broker.hpp"

namespace shardsim::broker {
namespace {

constexpr double kMinClaimHedgeUsd = 10;  // smaller residual exposure is left unhedged

}  // namespace

bool Broker::plan_claim_hedges(bool unwind_all) {
  const std::vector<Venue>& venues = book_.venues();
  bool planned = false;
  for (std::size_t v = 0; v < venues.size(); ++v) {
    if (!venues[v].claim()) continue;
    const std::size_t inst = book_.venue_instrument(v);
    const auto& claim = book_.instruments()[inst].descriptor->outcome;
    if (!claim || !book_.claim_open(inst)) continue;  // the market does not trade (yet, or any more)
    // The most clients are net short of any outcome of this market (0 when none is shorted).
    i128 most_short = 0;
    for (std::size_t w = 0; w < venues.size(); ++w) {
      if (!venues[w].claim()) continue;
      const auto& other = book_.instruments()[book_.venue_instrument(w)].descriptor->outcome;
      if (other && other->market == claim->market) most_short = std::min(most_short, book_.net_client_wad(book_.venue_instrument(w)));
    }
    const i128 target = unwind_all ? 0 : book_.net_client_wad(inst) - most_short;
    const HedgeHolding& h = book_.hedges()[v];
    const i128 leg = target - (h.qty_wad + h.inflight_wad);
    const double mark = book_.mark(inst);
    if (leg == 0 || !std::isfinite(mark)) continue;
    const double qty = protocols::wad_to_double(leg);
    const double notional = std::abs(qty) * std::max(mark, 1e-6);
    if (notional < kMinClaimHedgeUsd) continue;
    if (!unwind_all && config_.hedging.policy == HedgePolicy::threshold && notional < config_.hedging.band_usd) continue;
    Settlement s;
    s.id = next_settlement_++;
    s.created = env_.engine->now();
    s.due = Due{s.created + config_.settlement.timeout, "timeout"};
    // At risk while it waits: the whole of what the shares could still lose or gain.
    s.risk_usd = std::abs(qty) * std::max(mark, 1.0 - mark);
    s.legs.push_back(Leg{v, leg, mark});
    book_.hedge_sent(v, leg);
    netting_gross_ += notional;
    queue_.push_back(std::move(s));
    planned = true;
  }
  return planned;
}

}  // namespace shardsim::broker
