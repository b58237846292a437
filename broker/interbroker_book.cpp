// The inter-broker positions' arithmetic (broker/interbroker.hpp): exact WAD accrual of a
// position's P&L between variation calls, and the messages' encoding.
#include "broker/exact_money.hpp"
#include "broker/interbroker.hpp"

namespace shardsim::broker {

void InterbrokerTrade::encode(core::ByteWriter& w) const {
  w.pod(from_broker);
  w.pod(underlying);
  w.pod(qty_wad);
  w.pod(mark_wad);
}

InterbrokerTrade InterbrokerTrade::decode(core::ByteReader& r) {
  InterbrokerTrade m;
  m.from_broker = r.pod<std::uint32_t>();
  m.underlying = r.pod<protocols::AssetId>();
  m.qty_wad = r.pod<i128>();
  m.mark_wad = r.pod<i128>();
  return m;
}

void InterbrokerReject::encode(core::ByteWriter& w) const {
  w.pod(from_broker);
  trade.encode(w);
}

InterbrokerReject InterbrokerReject::decode(core::ByteReader& r) {
  InterbrokerReject m;
  m.from_broker = r.pod<std::uint32_t>();
  m.trade = InterbrokerTrade::decode(r);
  return m;
}

void VariationCall::encode(core::ByteWriter& w) const {
  w.pod(from_broker);
  w.pod(underlying);
  w.pod(mark_wad);
  w.pod(amount);
}

VariationCall VariationCall::decode(core::ByteReader& r) {
  VariationCall m;
  m.from_broker = r.pod<std::uint32_t>();
  m.underlying = r.pod<protocols::AssetId>();
  m.mark_wad = r.pod<i128>();
  m.amount = r.pod<core::Amount>();
  return m;
}

void InterbrokerBook::trade(std::uint32_t peer, protocols::AssetId u, i128 qty_wad, i128 mark_wad) {
  Position& p = positions_[{peer, u}];
  if (p.qty_wad != 0) p.accrued_usd_wad += usd_wad_of(p.qty_wad, mark_wad - p.last_mark_wad, Toward::floor);
  p.last_mark_wad = mark_wad;
  p.qty_wad += qty_wad;
}

i128 InterbrokerBook::variation_usd_wad(const Position& p, i128 mark_wad) const {
  return p.accrued_usd_wad + usd_wad_of(p.qty_wad, mark_wad - p.last_mark_wad, Toward::floor);
}

void InterbrokerBook::settle(std::uint32_t peer, protocols::AssetId u, i128 mark_wad) {
  Position& p = positions_[{peer, u}];
  p.accrued_usd_wad = 0;
  p.last_mark_wad = mark_wad;
}

double InterbrokerBook::delta(protocols::AssetId u) const {
  double d = 0;
  for (const auto& [k, p] : positions_) {
    if (k.second == u) d += protocols::wad_to_double(p.qty_wad);
  }
  return d;
}

double InterbrokerBook::qty(std::uint32_t peer, protocols::AssetId u) const {
  const auto it = positions_.find({peer, u});
  return it == positions_.end() ? 0.0 : protocols::wad_to_double(it->second.qty_wad);
}

bool InterbrokerBook::trades_with(std::uint32_t peer) const {
  for (const auto& [k, p] : positions_) {
    if (k.first == peer) return true;
  }
  return false;
}

}  // namespace shardsim::broker
