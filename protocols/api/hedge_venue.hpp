// Models a market that takes a prime broker's hedges by cross-shard call. A protocol able to take
// hedges hands out one HedgeVenue per market it offers (a perpetual market; each side of an AMM
// pair, bought with the other). A venue is immutable configuration fixed when the world is
// built: it builds the call for a signed quantity and reads the exact fill back from the call's
// outputs, so the broker knows no protocol, operation or output by name and may use a venue from
// any LP. Adding a venue kind is its protocol's folder plus its registration.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/amount.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"
#include "protocols/api/protocol.hpp"
#include "protocols/api/tx.hpp"

namespace shardsim::protocols {

enum class HedgeStyle : std::uint8_t {
  margined,  // a derivative: trades both ways on collateral deposited at the protocol beforehand
  spot,      // buys the underlying with quote carried in the call; sells only inventory held there
};

// What the broker asks of a venue: a signed quantity of the underlying at an expected price.
struct HedgeOrder {
  i128 qty_wad = 0;           // > 0 buys the underlying, < 0 sells it (WAD whole units)
  i128 mark_wad = 0;          // expected price per whole underlying, in the market's price_asset (WAD); > 0
  i128 max_slippage_wad = 0;  // the worst price move against the order it accepts, of the mark
};

// The transaction part of one hedge leg.
struct HedgeCall {
  std::string op;
  std::vector<TxArg> args;
  core::Amount value;  // quote carried with the call (raw units of the venue's quote); zero if none
};

// What a filled leg did, read exactly from the call's outputs.
struct HedgeFill {
  i128 qty_wad = 0;              // signed: what the broker's holding at the venue changed by
  core::Amount quote_spent;      // of the value carried, what the venue kept (spot buys)
  i128 avg_price_wad = 0;        // per whole underlying, in the market's price_asset (WAD)
  std::optional<i128> mark_wad;  // the venue's own mark at the fill, when it reports one
};

struct HedgeMarket {
  std::string instrument;  // the instrument the venue trades: dydx.BTC-PERP, uni.ETH
  AssetId underlying = 0;
  AssetId quote = 0;       // a spot venue's pair asset; a margined venue's collateral
  HedgeStyle style = HedgeStyle::margined;
  // Expected spread + fee + impact of a typical hedge, as a fraction of its notional (a risk
  // estimate for the margin engine's latency add-on and a spot buy's budget, never money).
  double cost_rate = 0.0005;
  // The asset the venue's prices (HedgeOrder::mark_wad, HedgeFill::avg_price_wad) are in: a spot
  // venue's quote; nothing for USD (a margined venue marks at its USD oracle).
  std::optional<AssetId> price_asset;
  // The venue trades the listed instrument itself, a claim with no price underlying (a
  // prediction share): the broker hedges its net holding of that instrument, not an
  // underlying's delta (`underlying` is then the collateral the shares are bought with).
  bool claim = false;
  // Orders rest unseen and cross at a reference mid (a dark pool): nothing a searcher could move;
  // fills are uncertain. Chosen by the broker's `venues: {dark: true}`.
  bool dark = false;
};

class HedgeVenue {
 public:
  explicit HedgeVenue(HedgeMarket market) : market_(std::move(market)) {}
  virtual ~HedgeVenue() = default;
  const HedgeMarket& market() const { return market_; }

  // The call for `order` (which must be non-zero).
  virtual HedgeCall call(const HedgeOrder& order) const = 0;
  // The fill of a successful call for `order`, read from its outputs; nothing when they do not
  // say (a defect of the venue, reported as a failed leg).
  virtual std::optional<HedgeFill> fill(const HedgeOrder& order, const std::vector<TxOutput>& outputs) const = 0;
  // A spot venue's own instrument (the underlying held at the venue, priced at its oracle), which
  // the protocol's instruments() does not list; nothing for a venue trading a listed instrument.
  virtual std::optional<InstrumentDescriptor> own_instrument() const { return std::nullopt; }

 private:
  HedgeMarket market_;
};

// The instrument of a spot venue's holding: the underlying held at the venue, priced at its oracle.
inline InstrumentDescriptor spot_holding_instrument(const HedgeMarket& m, std::string protocol) {
  const AssetId x = m.underlying;
  InstrumentDescriptor d;
  d.id = m.instrument;
  d.protocol = std::move(protocol);
  d.underlyings = {x};
  d.deltas_per_unit = {1.0};
  d.snapshot_keys = std::vector<std::string>{};  // priced from the oracle alone
  d.revalue = [x](double q, const ProtocolSnapshot&, const PriceVector& px) { return x < px.size() ? q * px[x] : 0.0; };
  return d;
}

// Exact conversions between WAD whole units and an asset's raw units (decimals <= 18).
inline i128 wad_to_raw(i128 wad, int decimals, Round r = Round::down) {
  return mul_div(wad, 1, pow10(18 - decimals), r);
}
inline i128 raw_to_wad(i128 raw, int decimals) { return raw * pow10(18 - decimals); }

}  // namespace shardsim::protocols
