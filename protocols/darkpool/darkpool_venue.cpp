// Models the dark pool as a spot hedge venue: a hedge is a `cross` of the signed size at the
// oracle mid, bounded by a limit of the order's mark moved by its max slippage; a buy carries its
// quote (the mark plus the slippage allowance; what the cross does not use stays at the venue) and
// a sell delivers inventory held there. The fill is what crossed (exact outputs); the unfilled
// rest comes back at once, and the broker plans it again.
#include "protocols/api/hedge_venue.hpp"
#include "protocols/darkpool/darkpool.hpp"

namespace shardsim::protocols::darkpool {
namespace {

constexpr double kDarkCostRate = 0.0002;  // crossing at the mid: no spread, no impact; a nominal fee

std::string raw_text(i128 raw, int decimals) { return core::Amount::units(raw).str(decimals); }

class DarkVenue final : public HedgeVenue {
 public:
  DarkVenue(HedgeMarket market, std::string protocol, int underlying_decimals, int quote_decimals)
      : HedgeVenue(std::move(market)), protocol_(std::move(protocol)), ud_(underlying_decimals), qd_(quote_decimals) {}

  HedgeCall call(const HedgeOrder& o) const override {
    const bool buy = o.qty_wad > 0;
    const i128 units = buy ? o.qty_wad : -o.qty_wad;
    const i128 limit = wad_mul(o.mark_wad, buy ? kWadUnit + o.max_slippage_wad : kWadUnit - o.max_slippage_wad,
                               buy ? Round::up : Round::down);
    HedgeCall c;
    c.op = "cross";
    c.args = {{"side", buy ? "buy" : "sell"},
              {"qty", raw_text(wad_to_raw(units, ud_), ud_)},
              {"limit_price", core::Amount::units(limit).str(18)}};
    if (buy) c.value = core::Amount::units(wad_to_raw(wad_mul(units, limit, Round::up), qd_, Round::up));
    return c;
  }

  std::optional<HedgeFill> fill(const HedgeOrder& o, const std::vector<TxOutput>& outputs) const override {
    const TxOutput* filled = find_output(outputs, "filled");
    const TxOutput* quote = find_output(outputs, "quote");
    const TxOutput* mid = find_output(outputs, "mid");
    if (filled == nullptr || quote == nullptr || mid == nullptr || filled->raw <= 0) return std::nullopt;
    const bool buy = o.qty_wad > 0;
    const i128 units_wad = raw_to_wad(filled->raw, ud_);
    HedgeFill f;
    f.qty_wad = buy ? units_wad : -units_wad;
    if (buy) f.quote_spent = core::Amount::units(quote->raw);
    f.avg_price_wad = wad_div(raw_to_wad(quote->raw, qd_), units_wad);
    return f;
  }

  std::optional<InstrumentDescriptor> own_instrument() const override {
    return spot_holding_instrument(market(), protocol_);
  }

 private:
  std::string protocol_;
  int ud_, qd_;
};

}  // namespace

HedgeVenues DarkPool::hedge_venues(const ShardContext& ctx) const {
  const AssetId x = params_.underlying, q = params_.quote;
  HedgeMarket m{name_ + "." + ctx.asset_symbol(x), x, q, HedgeStyle::spot, kDarkCostRate, q};
  m.dark = true;
  return {std::make_shared<DarkVenue>(std::move(m), name_, ctx.decimals(x), ctx.decimals(q))};
}

}  // namespace shardsim::protocols::darkpool
