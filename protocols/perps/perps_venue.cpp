// Models a perpetual market as a margined hedge venue: a hedge is a market `trade` of the signed
// size on the margin the broker deposited at the protocol; the fill is the size, average price
// and mark the trade reports (exact WAD outputs). Prices are USD (the index oracle's unit). In a
// market with finite depth (a vAMM with impact) the trade carries a limit price of the order's
// mark moved by its max slippage against it, so the hedge reverts rather than fill beyond it.
#include "protocols/api/hedge_venue.hpp"
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {
namespace {

constexpr double kPerpCostRate = 0.0005;  // expected spread + fee of a perp hedge, of notional

class PerpVenue final : public HedgeVenue {
 public:
  PerpVenue(HedgeMarket market, std::string market_name, bool finite_depth)
      : HedgeVenue(std::move(market)), market_name_(std::move(market_name)), finite_depth_(finite_depth) {}

  HedgeCall call(const HedgeOrder& o) const override {
    HedgeCall c{"trade", {{"market", market_name_}, {"size", core::Amount::units(o.qty_wad).str(18)}}, {}};
    if (finite_depth_) {
      const bool buy = o.qty_wad > 0;
      const i128 limit = wad_mul(o.mark_wad, buy ? kWadUnit + o.max_slippage_wad : kWadUnit - o.max_slippage_wad,
                                 buy ? Round::up : Round::down);
      c.args.push_back({"limit_price", core::Amount::units(limit).str(18)});
    }
    return c;
  }

  std::optional<HedgeFill> fill(const HedgeOrder&, const std::vector<TxOutput>& outputs) const override {
    const TxOutput* size = find_output(outputs, "size");
    const TxOutput* avg = find_output(outputs, "avg_price");
    if (size == nullptr || avg == nullptr || size->decimals != 18 || avg->decimals != 18) return std::nullopt;
    HedgeFill f;
    f.qty_wad = size->raw;
    f.avg_price_wad = avg->raw;
    if (const TxOutput* mark = find_output(outputs, "mark")) f.mark_wad = mark->raw;
    return f;
  }

 private:
  std::string market_name_;
  bool finite_depth_;
};

}  // namespace

HedgeVenues Perps::hedge_venues(const ShardContext&) const {
  HedgeVenues out;
  for (const MarketConfig& mk : config_.markets) {
    HedgeMarket m{name_ + "." + mk.name, mk.index, config_.collateral, HedgeStyle::margined, kPerpCostRate, std::nullopt};
    out.push_back(std::make_shared<PerpVenue>(std::move(m), mk.name, mk.vamm_depth_wad > 0));
  }
  return out;
}

}  // namespace shardsim::protocols::perps
