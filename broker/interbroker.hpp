// Models trades between brokers (issue 14, "inter-broker trades"): a broker with a `counterparty`
// offsets its house exposure with that broker instead of a venue; both book the trade at the
// initiator's mark, opposite ways, and the counterparty takes the exposure on and hedges it on its
// own venues. The trade is a credit exposure: every clearing cycle the broker that is owed its
// variation margin (the position's P&L at its marks since the last call) calls it from the other,
// which books the payable and reports it to the clearing house as an obligation between the
// houses (broker/obligations.hpp, client index kHouseClient). A counterparty in default refuses
// the payment and the caller writes it off (the clearing failure rule): the contagion channel.
// A frozen (insolvent) broker refuses new trades; the initiator then undoes its side and hedges
// on venues. Both sides value an open position at their own home marks; the calls are the money.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/amount.hpp"
#include "core/codec.hpp"
#include "core/time.hpp"
#include "protocols/api/fixed_point.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

using protocols::i128;

// An obligation's client index when it is owed by or to the house itself (variation margin).
inline constexpr std::uint32_t kHouseClient = 0xFFFF'FFFFu;

// Initiator -> counterparty: the counterparty is `qty_wad` (signed) more long `underlying` at `mark_wad`.
struct InterbrokerTrade {
  static constexpr core::MsgKind kKind = 260;
  std::uint32_t from_broker = 0;
  protocols::AssetId underlying = 0;
  i128 qty_wad = 0;
  i128 mark_wad = 0;

  void encode(core::ByteWriter& w) const;
  static InterbrokerTrade decode(core::ByteReader& r);
};

// Counterparty -> initiator: the trade was refused (the counterparty is frozen); the initiator undoes it.
struct InterbrokerReject {
  static constexpr core::MsgKind kKind = 261;
  std::uint32_t from_broker = 0;
  InterbrokerTrade trade;  // as sent (the counterparty's side)

  void encode(core::ByteWriter& w) const;
  static InterbrokerReject decode(core::ByteReader& r);
};

// Creditor -> debtor: variation margin of `amount` (quote units) on `underlying` up to `mark_wad`.
struct VariationCall {
  static constexpr core::MsgKind kKind = 262;
  std::uint32_t from_broker = 0;
  protocols::AssetId underlying = 0;
  i128 mark_wad = 0;
  core::Amount amount;

  void encode(core::ByteWriter& w) const;
  static VariationCall decode(core::ByteReader& r);
};

// A broker's positions with other brokers, per (peer broker, underlying): quantity (+ long), the
// mark its P&L was last called or accrued at, and P&L accrued (USD WAD) by trades since the call.
class InterbrokerBook {
 public:
  struct Position {
    i128 qty_wad = 0;
    i128 last_mark_wad = 0;
    i128 accrued_usd_wad = 0;
  };
  using Key = std::pair<std::uint32_t, protocols::AssetId>;

  // Adds `qty_wad` at `mark_wad`, first accruing the held quantity's P&L up to that mark.
  void trade(std::uint32_t peer, protocols::AssetId u, i128 qty_wad, i128 mark_wad);
  // The variation margin owed to this side (< 0: owed by it) at `mark_wad`, USD WAD, rounded down.
  i128 variation_usd_wad(const Position& p, i128 mark_wad) const;
  // The margin was called at `mark_wad`: nothing accrued, the mark moves.
  void settle(std::uint32_t peer, protocols::AssetId u, i128 mark_wad);
  const std::map<Key, Position>& positions() const { return positions_; }
  double delta(protocols::AssetId u) const;  // units long over every peer
  double qty(std::uint32_t peer, protocols::AssetId u) const;
  bool empty() const { return positions_.empty(); }
  bool trades_with(std::uint32_t peer) const;

 private:
  std::map<Key, Position> positions_;
};

struct InterbrokerStats {
  std::uint64_t trades_sent = 0, trades_received = 0, trades_refused = 0, calls_sent = 0, calls_received = 0;
  double traded_usd = 0;             // notional sent to the counterparty, at the marks
  double exposure_peak_usd = 0;      // peak notional of the positions with other brokers, at marks
  double credit_peak_usd = 0;        // peak variation margin owed to it and not yet paid
  double called_usd = 0, owed_usd = 0;  // variation margin called from / by others
  double counterparty_loss_usd = 0;  // unpaid variation (clearing write-offs from a broker it trades with)
};

}  // namespace shardsim::broker
