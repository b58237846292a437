// Models a perpetual market as a margined hedge venue: a hedge is a market `trade` of the signed
// size on the margin the broker deposited at the protocol; the fill is the size, average price
// and mark the trade reports (exact WAD outputs). Prices are USD (the index oracle's unit).
#include "protocols/api/hedge_venue.hpp"
#include "protocols/perps/perps.hpp"

namespace shardsim::protocols::perps {
namespace {

constexpr double kPerpCostRate = 0.0005;  // expected spread + fee of a perp hedge, of notional

class PerpVenue final : public HedgeVenue {
 public:
  PerpVenue(HedgeMarket market, std::string market_name) : HedgeVenue(std::move(market)), market_name_(std::move(market_name)) {}

  HedgeCall call(const HedgeOrder& o) const override {
    return HedgeCall{"trade", {{"market", market_name_}, {"size", core::Amount::units(o.qty_wad).str(18)}}, {}};
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
};

}  // namespace

HedgeVenues Perps::hedge_venues(const ShardContext&) const {
  HedgeVenues out;
  for (const MarketConfig& mk : config_.markets) {
    HedgeMarket m{name_ + "." + mk.name, mk.index, config_.collateral, HedgeStyle::margined, kPerpCostRate, std::nullopt};
    out.push_back(std::make_shared<PerpVenue>(std::move(m), mk.name));
  }
  return out;
}

}  // namespace shardsim::protocols::perps
