// Models a prediction market's outcome shares as a broker sees them: each share is a bounded claim
// (pays 1 collateral if its outcome wins, 1/n of one if the market resolves INVALID, else 0),
// marked at the LMSR price the protocol publishes, and tradable at a hedge venue that buys shares
// from the maker with collateral carried in the call and sells back only shares held there (spot
// style; `limit` bounds the cash). Markets a script creates later are announced up front from the
// create_market arguments, so a broker can list them before they exist.
#include <algorithm>
#include <cmath>

#include "protocols/api/hedge_venue.hpp"
#include "protocols/prediction/prediction_protocol.hpp"

namespace shardsim::protocols::prediction {
namespace {

// Spread + expected LMSR impact of a typical hedge, of its notional (a risk estimate, never money).
constexpr double kClaimCostRate = 0.01;

// What the LMSR maker charges for `d` shares of an outcome priced `p` (d < 0: pays for -d
// sold), from the cost function alone: b*ln(1 - p + p*exp(d/b)). A bound's estimate, never money.
double lmsr_cash(double p, double d, double b) { return b * std::log1p(p * std::expm1(d / b)); }

std::string raw_text(i128 raw, int decimals) { return core::Amount::units(raw).str(decimals); }

class OutcomeVenue final : public HedgeVenue {
 public:
  OutcomeVenue(HedgeMarket market, std::string market_id, std::string outcome, int collateral_decimals, double b)
      : HedgeVenue(std::move(market)), market_id_(std::move(market_id)), outcome_(std::move(outcome)),
        cd_(collateral_decimals), b_(b) {}

  HedgeCall call(const HedgeOrder& o) const override {
    const i128 units = o.qty_wad < 0 ? -o.qty_wad : o.qty_wad;
    const i128 shares_raw = wad_to_raw(units, cd_);
    HedgeCall c;
    c.op = "trade";
    // The cash it accepts: the maker's price for this size at the mark (its own impact included),
    // moved by the slippage bound (the mark may have moved since) and the cost rate of the
    // shares; a buy never pays above 1 a share, a sell never asks below 0.
    const double p = std::clamp(wad_to_double(o.mark_wad), 0.0, 1.0);
    const double d = wad_to_double(units);
    const double slip = wad_to_double(o.max_slippage_wad) + market().cost_rate;
    if (o.qty_wad > 0) {
      const double cash = std::min(d, lmsr_cash(p, d, b_) * (1 + slip) + d * slip);
      const i128 budget = wad_to_raw(double_to_wad(cash), cd_, Round::up) + 1;
      c.value = core::Amount::units(budget);
      c.args = {{"market", market_id_}, {"outcome", outcome_}, {"shares", raw_text(shares_raw, cd_)},
                {"limit", raw_text(budget, cd_)}};
    } else {
      const double cash = std::max(0.0, -lmsr_cash(p, -d, b_) * (1 - slip) - d * slip);
      c.args = {{"market", market_id_}, {"outcome", outcome_}, {"shares", raw_text(-shares_raw, cd_)},
                {"limit", raw_text(wad_to_raw(double_to_wad(cash), cd_), cd_)}};
    }
    return c;
  }

  std::optional<HedgeFill> fill(const HedgeOrder&, const std::vector<TxOutput>& outputs) const override {
    const TxOutput* shares = find_output(outputs, "shares");
    const TxOutput* cash = find_output(outputs, "cash");
    if (shares == nullptr || cash == nullptr || shares->raw == 0) return std::nullopt;
    HedgeFill f;
    f.qty_wad = raw_to_wad(shares->raw, cd_);
    if (shares->raw > 0) f.quote_spent = core::Amount::units(cash->raw);
    const i128 units = f.qty_wad < 0 ? -f.qty_wad : f.qty_wad;
    f.avg_price_wad = wad_div(raw_to_wad(cash->raw, cd_), units);
    return f;
  }

 private:
  std::string market_id_, outcome_;
  int cd_;
  double b_;  // the maker's liquidity, whole collateral units
};

}  // namespace

std::vector<InstrumentDescriptor> outcome_claims(const std::string& protocol, const std::string& market,
                                                 const std::vector<std::string>& outcomes) {
  std::vector<InstrumentDescriptor> out;
  const std::size_t n = outcomes.size();
  for (std::size_t i = 0; i < n; ++i) {
    InstrumentDescriptor d;
    const std::string key = market + "-" + outcomes[i];
    d.id = protocol + "." + key;
    d.protocol = protocol;
    d.snapshot_keys = std::vector<std::string>{key};
    d.mark_by_revalue = true;
    InstrumentDescriptor::OutcomeClaim claim;
    claim.market = protocol + "." + market;
    claim.open_key = market + ".open";
    for (std::size_t k = 0; k < n; ++k) {
      claim.payoff_if.push_back(k == kInvalidOutcome ? 1.0 / static_cast<double>(n) : (k == i ? 1.0 : 0.0));
    }
    d.outcome = std::move(claim);
    // A share is worth its probability (or settlement value): no price underlying.
    d.revalue = [key](double quantity, const ProtocolSnapshot& snap, const PriceVector&) {
      return quantity * std::clamp(snap.get(key).value_or(0.0), 0.0, 1.0);
    };
    out.push_back(std::move(d));
  }
  return out;
}

HedgeVenues outcome_venues(const ShardContext& ctx, const Params& params, const std::string& protocol,
                           const std::string& market, const std::vector<std::string>& outcomes) {
  HedgeVenues out;
  for (const std::string& outcome : outcomes) {
    HedgeMarket m;
    m.instrument = protocol + "." + market + "-" + outcome;
    m.underlying = params.collateral;
    m.quote = params.collateral;
    m.style = HedgeStyle::spot;
    m.cost_rate = kClaimCostRate;
    m.price_asset = params.collateral;
    m.claim = true;
    const int dec = ctx.decimals(params.collateral);
    out.push_back(std::make_shared<OutcomeVenue>(std::move(m), market, outcome, dec, params.b.to_double(dec)));
  }
  return out;
}

HedgeVenues PredictionProtocol::hedge_venues(const ShardContext& ctx) const {
  HedgeVenues out;
  for (const auto& [id, m] : markets_) {
    for (auto& v : outcome_venues(ctx, params_, name_, id, m.outcomes)) out.push_back(std::move(v));
  }
  return out;
}

namespace {

// The market a create_market with these arguments would add: its id and outcomes (INVALID
// first); nothing when the arguments are malformed (the op would revert).
std::optional<std::pair<std::string, std::vector<std::string>>> created_market(std::string_view op, const OpArgs& args) {
  if (op != "create_market") return std::nullopt;
  const auto id = args.text("id");
  const auto text = args.text("outcomes");
  if (!id || !text) return std::nullopt;
  std::string why;
  std::vector<std::string> outcomes = parse_outcomes(*text, why);
  if (outcomes.empty()) return std::nullopt;
  return std::make_pair(std::string(*id), std::move(outcomes));
}

}  // namespace

std::vector<InstrumentDescriptor> PredictionProtocol::instruments_added_by(const ShardContext&, std::string_view op,
                                                                           const OpArgs& args) const {
  const auto m = created_market(op, args);
  if (!m || markets_.contains(m->first)) return {};
  return outcome_claims(name_, m->first, m->second);
}

HedgeVenues PredictionProtocol::hedge_venues_added_by(const ShardContext& ctx, std::string_view op,
                                                      const OpArgs& args) const {
  const auto m = created_market(op, args);
  if (!m || markets_.contains(m->first)) return {};
  return outcome_venues(ctx, params_, name_, m->first, m->second);
}

std::optional<i128> PredictionProtocol::claim_held_wad(const ShardContext& ctx, AccountId holder,
                                                       std::string_view instrument) const {
  if (!instrument.starts_with(name_ + ".")) return std::nullopt;
  instrument.remove_prefix(name_.size() + 1);
  const std::size_t dash = instrument.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const Market* m = market(instrument.substr(0, dash));
  if (m == nullptr) return std::nullopt;
  const std::size_t k = m->find_outcome(instrument.substr(dash + 1));
  if (k == m->n()) return std::nullopt;
  const auto it = m->holdings.find(holder);
  const i128 raw = it == m->holdings.end() ? 0 : it->second[k];
  return raw_to_wad(raw, ctx.decimals(params_.collateral));
}

}  // namespace shardsim::protocols::prediction
