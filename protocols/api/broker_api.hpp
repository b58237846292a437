// Models what a client (the script, an agent) sends a prime broker: a deposit notice, a
// withdrawal request, an order, or a payment to another client (of this or another broker), by
// index into the broker's clients and instruments. Agents use it without seeing the broker's code.
#pragma once

#include <cstdint>

#include "core/amount.hpp"
#include "core/codec.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::protocols {

// pledge: the client posts `qty_wad` units of `instrument` (an LP share) it has moved to the
// broker's account at the protocol, as collateral.
enum class RequestOp : std::uint8_t { deposit, withdraw, order, pay, pledge };

struct ClientRequest {
  static constexpr core::MsgKind kKind = 230;
  std::uint32_t client = 0;
  RequestOp op = RequestOp::order;
  std::uint32_t instrument = 0;   // order, pledge
  AssetId asset = 0;              // deposit, withdraw
  ShardId shard = 0;              // deposit: from; withdraw: to
  core::Amount amount;            // deposit, withdraw
  __int128 qty_wad = 0;           // order, signed; pledge, > 0
  __int128 limit_wad = 0;         // order: 0 = no limit
  // order: how soon its hedge must settle (the client's time-in-force); 0 = the broker's default.
  std::int64_t time_in_force_us = 0;
  std::uint32_t to_broker = 0;    // pay: the payee's broker (index among the world's brokers)
  std::uint32_t to_client = 0;    // pay: the payee, by index into that broker's clients

  void encode(core::ByteWriter& w) const;
  static ClientRequest decode(core::ByteReader& r);
};

}  // namespace shardsim::protocols
