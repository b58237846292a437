// The broker's side of trades with other brokers (broker/interbroker.hpp): offsetting its house
// exposure with its counterparty up to the limit, taking on a peer's trades (and hedging them on
// its own venues), calling variation margin each clearing cycle, paying what is called through
// the clearing house, and the summary's `interbroker` entry.
#include <algorithm>
#include <cmath>

#include "broker/broker.hpp"

namespace shardsim::broker {
namespace {

constexpr i128 kMinCallUsdWad = protocols::kWadUnit;  // variation below 1 USD waits for the next cycle
double r6(double x) { return std::round(x * 1e6) / 1e6; }

}  // namespace

void Broker::set_peers(std::vector<Peer> peers, std::optional<std::uint32_t> counterparty) {
  peers_ = std::move(peers);
  counterparty_ = counterparty;
}

// Up to the limit, the counterparty takes `units` (what the house wants to trade, + buy) at the
// mark: this side books it at once, the counterparty the opposite on receipt. `house_delta_` is
// the house's net delta plan_hedges just read.
double Broker::hedge_with_counterparty(protocols::AssetId u, double units) {
  if (!counterparty_ || counterparty_refused_ || frozen_) return units;
  const double price = book_.price(u);
  const i128 mark = book_.price_wad(u);
  if (price <= 0 || mark <= 0) return units;
  const double limit = config_.hedging.counterparty_limit_usd / price;
  const double held = ib_.qty(*counterparty_, u);
  // The position with the counterparty offsets what the clients leave the house (its exposure
  // before venue hedges), up to the limit: it follows the client book, the venues the rest.
  double venue_held = 0;
  for (const std::size_t v : venues_of_[u]) {
    venue_held += protocols::wad_to_double(book_.hedges()[v].qty_wad + book_.hedges()[v].inflight_wad);
  }
  const double wanted = std::clamp(venue_held - house_delta_[u], -limit, limit);
  double traded = wanted - held;
  if (traded == 0 || (traded > 0) != (units > 0)) return units;
  if (std::abs(traded) > std::abs(units)) traded = units;
  const i128 qty = protocols::double_to_wad(traded);
  if (qty == 0) return units;
  ib_.trade(*counterparty_, u, qty, mark);
  ++ib_stats_.trades_sent;
  ib_stats_.traded_usd += std::abs(traded) * price;
  const Peer& p = peers_[*counterparty_];
  env_.engine->send(self_, p.endpoint, p.delay, InterbrokerTrade{env_.index, u, -qty, mark});
  if (observed()) note({"interbroker_trade", *counterparty_, "broker " + std::to_string(*counterparty_), "qty=" + core::Amount::units(qty).str(18), u, {}});
  return units - protocols::wad_to_double(qty);
}

bool Broker::on_interbroker_message(const core::Envelope& env) {
  if (env.is<InterbrokerTrade>()) {
    const InterbrokerTrade t = env.as<InterbrokerTrade>();
    const Peer& p = peers_[t.from_broker];
    if (frozen_) {  // in default: no new exposure
      env_.engine->send(self_, p.endpoint, p.delay, InterbrokerReject{env_.index, t});
      return true;
    }
    refresh_marks();
    ib_.trade(t.from_broker, t.underlying, t.qty_wad, t.mark_wad);
    ++ib_stats_.trades_received;
    owe(t.underlying, config_.settlement.order_deadline, "order");
    if (config_.hedging.policy == HedgePolicy::immediate || config_.hedging.policy == HedgePolicy::threshold) {
      plan_hedges(false);
    }
    return true;
  }
  if (env.is<InterbrokerReject>()) {
    const InterbrokerReject r = env.as<InterbrokerReject>();
    ib_.trade(r.from_broker, r.trade.underlying, r.trade.qty_wad, r.trade.mark_wad);  // undone at the same mark
    ++ib_stats_.trades_refused;
    counterparty_refused_ = true;  // hedge on venues from now on
    refresh_marks();
    plan_hedges(false);
    return true;
  }
  if (env.is<VariationCall>()) {
    // Called by a creditor: the payable is booked and reported to the clearing house; a broker
    // in default still reports it, and its refusal to pay is the creditor's loss.
    const VariationCall c = env.as<VariationCall>();
    ib_.settle(c.from_broker, c.underlying, c.mark_wad);
    book_.house_pay_out(env_.quote, c.amount);
    ++ib_stats_.calls_received;
    refresh_marks();
    ib_stats_.owed_usd += book_.value(env_.quote, c.amount);
    ObligationMsg o;
    o.id = next_obligation_++;
    o.from_broker = env_.index;
    o.to_broker = c.from_broker;
    o.from_client = kHouseClient;
    o.to_client = kHouseClient;
    o.asset = env_.quote;
    o.amount = c.amount;
    o.created_us = env_.engine->now().count_us();
    env_.engine->send(self_, *env_.clearing_house, env_.clearing_delay, o);
    if (observed()) note({"variation_owed", c.from_broker, "broker " + std::to_string(c.from_broker), {}, env_.quote, c.amount});
    return true;
  }
  return false;
}

// Per position, the side that is owed calls its variation margin at its marks.
void Broker::call_variation_margin() {
  if (!env_.clearing_house) return;
  for (const auto& [key, p] : ib_.positions()) {
    const auto [peer, u] = key;
    const i128 mark = book_.price_wad(u);
    if (mark <= 0) continue;
    const i128 vm = ib_.variation_usd_wad(p, mark);
    if (vm < kMinCallUsdWad) continue;  // owed by this side (the peer calls it) or too small
    const core::Amount amount = book_.usd_wad_to_quote(vm, Toward::floor);
    if (amount <= core::Amount{}) continue;
    ib_.settle(peer, u, mark);
    vm_pending_[peer] += amount;
    ++ib_stats_.calls_sent;
    ib_stats_.called_usd += book_.value(env_.quote, amount);
    const Peer& to = peers_[peer];
    env_.engine->send(self_, to.endpoint, to.delay, VariationCall{env_.index, u, mark, amount});
    if (observed()) note({"variation_called", peer, "broker " + std::to_string(peer), {}, env_.quote, amount});
  }
}

void Broker::on_house_obligation(const ObligationMsg& o) {
  book_.house_pay_in(o.asset, o.amount);
  core::Amount& pending = vm_pending_[o.from_broker];
  pending = std::max(core::Amount{}, pending - o.amount);
}

double Broker::interbroker_value() const {
  double v = 0;
  for (const auto& [key, p] : ib_.positions()) {
    const i128 mark = book_.price_wad(key.second);
    if (mark > 0) v += protocols::wad_to_double(ib_.variation_usd_wad(p, mark));
  }
  for (const auto& [peer, amount] : vm_pending_) v += book_.value(env_.quote, amount);
  return v;
}

i128 Broker::interbroker_value_wad() const {
  i128 v = 0;
  for (const auto& [key, p] : ib_.positions()) {
    const i128 mark = book_.price_wad(key.second);
    if (mark > 0) v += ib_.variation_usd_wad(p, mark);
  }
  const i128 quote_price = book_.price_wad(env_.quote) > 0 ? book_.price_wad(env_.quote) : protocols::kWadUnit;
  for (const auto& [peer, amount] : vm_pending_) v += units_to_usd_wad(amount, env_.decimals[env_.quote], quote_price, Toward::floor);
  return v;
}

void Broker::sample_interbroker() {
  if (ib_.empty()) return;
  double exposure = 0;
  for (const auto& [key, p] : ib_.positions()) exposure += std::abs(protocols::wad_to_double(p.qty_wad)) * book_.price(key.second);
  ib_stats_.exposure_peak_usd = std::max(ib_stats_.exposure_peak_usd, exposure);
  ib_stats_.credit_peak_usd = std::max(ib_stats_.credit_peak_usd, interbroker_value());
}

nlohmann::ordered_json Broker::interbroker_report() const {
  double exposure = 0;
  for (const auto& [key, p] : ib_.positions()) exposure += std::abs(protocols::wad_to_double(p.qty_wad)) * book_.price(key.second);
  return {{"counterparty", counterparty_ ? nlohmann::ordered_json(*counterparty_) : nlohmann::ordered_json(nullptr)},
          {"limit_usd", r6(config_.hedging.counterparty_limit_usd)},
          {"trades_sent", ib_stats_.trades_sent},
          {"trades_received", ib_stats_.trades_received},
          {"trades_refused", ib_stats_.trades_refused},
          {"traded_usd", r6(ib_stats_.traded_usd)},
          {"exposure_usd", r6(exposure)},
          {"exposure_peak_usd", r6(ib_stats_.exposure_peak_usd)},
          {"credit_peak_usd", r6(ib_stats_.credit_peak_usd)},
          {"variation_called_usd", r6(ib_stats_.called_usd)},
          {"variation_owed_usd", r6(ib_stats_.owed_usd)},
          {"calls_sent", ib_stats_.calls_sent},
          {"calls_received", ib_stats_.calls_received},
          {"counterparty_loss_usd", r6(ib_stats_.counterparty_loss_usd)},
          {"unrealised_usd", r6(interbroker_value())}};
}

}  // namespace shardsim::broker
