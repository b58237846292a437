// Models an AMM pool as a spot hedge venue: each side of the pair is bought by an exact-input
// swap of the other (the quote carried in the call) and sold back out of inventory held at the
// venue; min_out bounds each swap at the expected price less the allowed slippage. The fill is
// read from the swap's exact outputs (amount_in, amount_out).
#include "protocols/amm/amm_pool.hpp"
#include "protocols/api/hedge_venue.hpp"

namespace shardsim::protocols::amm {
namespace {

constexpr double kSpotCostRate = 0.004;  // pool fee (0.3%) + expected price impact, of notional

std::string raw_text(i128 raw, int decimals) { return core::Amount::units(raw).str(decimals); }

class SpotVenue final : public HedgeVenue {
 public:
  SpotVenue(HedgeMarket market, std::string protocol, std::string underlying_symbol, std::string quote_symbol,
            int underlying_decimals, int quote_decimals)
      : HedgeVenue(std::move(market)),
        protocol_(std::move(protocol)),
        underlying_symbol_(std::move(underlying_symbol)),
        quote_symbol_(std::move(quote_symbol)),
        ud_(underlying_decimals),
        qd_(quote_decimals) {}

  HedgeCall call(const HedgeOrder& o) const override {
    const i128 cost = double_to_wad(market().cost_rate);
    const i128 units = o.qty_wad < 0 ? -o.qty_wad : o.qty_wad;
    const i128 notional_wad = wad_mul(units, o.mark_wad, Round::up);  // quote, WAD
    HedgeCall c;
    c.op = "swap";
    if (o.qty_wad > 0) {
      // Budget: the notional plus the expected cost; what the swap does not use stays at the venue.
      const i128 budget = wad_to_raw(wad_mul(notional_wad, kWadUnit + cost, Round::up), qd_, Round::up);
      const i128 least = wad_to_raw(wad_mul(units, kWadUnit - o.max_slippage_wad), ud_);
      c.value = core::Amount::units(budget);
      c.args = {{"sell", quote_symbol_}, {"amount", raw_text(budget, qd_)}, {"min_out", raw_text(least, ud_)}};
    } else {
      const i128 least = wad_to_raw(wad_mul(notional_wad, kWadUnit - cost - o.max_slippage_wad), qd_);
      c.args = {{"sell", underlying_symbol_}, {"amount", raw_text(wad_to_raw(units, ud_), ud_)},
                {"min_out", raw_text(least > 0 ? least : 0, qd_)}};
    }
    return c;
  }

  std::optional<HedgeFill> fill(const HedgeOrder& o, const std::vector<TxOutput>& outputs) const override {
    const TxOutput* in = find_output(outputs, "amount_in");
    const TxOutput* out = find_output(outputs, "amount_out");
    if (in == nullptr || out == nullptr) return std::nullopt;
    const bool buy = o.qty_wad > 0;
    const i128 units_wad = raw_to_wad(buy ? out->raw : in->raw, ud_);
    const i128 quote_wad = raw_to_wad(buy ? in->raw : out->raw, qd_);
    if (units_wad <= 0) return std::nullopt;
    HedgeFill f;
    f.qty_wad = buy ? units_wad : -units_wad;
    if (buy) f.quote_spent = core::Amount::units(in->raw);
    f.avg_price_wad = wad_div(quote_wad, units_wad);
    return f;
  }

  std::optional<InstrumentDescriptor> own_instrument() const override {
    return spot_holding_instrument(market(), protocol_);
  }

 private:
  std::string protocol_, underlying_symbol_, quote_symbol_;
  int ud_, qd_;
};

}  // namespace

HedgeVenues AmmPool::hedge_venues(const ShardContext& ctx) const {
  HedgeVenues out;
  const AssetId pair[2] = {config_.asset_a, config_.asset_b};
  for (int side = 0; side < 2; ++side) {
    const AssetId x = pair[side], quote = pair[1 - side];
    HedgeMarket m{name_ + "." + ctx.asset_symbol(x), x, quote, HedgeStyle::spot, kSpotCostRate, quote};
    out.push_back(std::make_shared<SpotVenue>(std::move(m), name_, ctx.asset_symbol(x), ctx.asset_symbol(quote),
                                              ctx.decimals(x), ctx.decimals(quote)));
  }
  return out;
}

}  // namespace shardsim::protocols::amm
