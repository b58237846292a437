// Models obligations between brokers and the clearing cycles that settle them (spec/clearing.md
// §2, §4 "Obligations between participants"). A client's payment to a client of another broker
// is an obligation of the payer's broker to the payee's; a clearing house collects them for a
// cycle, then settles the cycle: `gross` sends each obligation as its own on-chain transfer,
// `multilateral` nets the cycle (broker/netting.hpp) and sends only the net payments. Each
// broker's books carry its net position against the cycles (BrokerLedger's `clearing` book).
//
// Failure rule (loss allocation): once a cycle closes its obligations are final on the clients'
// books. A payment of the cycle that fails (the payer broker is in default and refuses, or its
// transfer reverts or is not included before its deadline, e.g. its home shard halted) is not
// retried: the broker that payment was routed to writes the unpaid amount off against its
// capital (its receivable on the `clearing` book moves to `capital`), and the payer keeps the
// debt on its books. In a netted cycle the loss is thus the defaulter's net, not its gross.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/clearing_config.hpp"
#include "core/amount.hpp"
#include "core/codec.hpp"
#include "core/engine.hpp"
#include "core/state_digest.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::broker {

// Payer broker -> clearing house: its client paid `amount` to client `to_client` of `to_broker`.
struct ObligationMsg {
  static constexpr core::MsgKind kKind = 240;
  std::uint64_t id = 0;  // unique per payer broker
  std::uint32_t from_broker = 0, to_broker = 0, from_client = 0, to_client = 0;
  protocols::AssetId asset = 0;
  core::Amount amount;
  std::int64_t created_us = 0;

  void encode(core::ByteWriter& w) const;
  static ObligationMsg decode(core::ByteReader& r);
};

// Clearing house -> payee broker: the obligation was accepted into a cycle; credit the payee.
struct ObligationNotice {
  static constexpr core::MsgKind kKind = 241;
  ObligationMsg obligation;
  std::uint64_t cycle = 0;

  void encode(core::ByteWriter& w) const;
  static ObligationNotice decode(core::ByteReader& r);
};

// Clearing house -> payer broker: pay `amount` of `asset` to the receiver's clearing account.
struct PayOrder {
  static constexpr core::MsgKind kKind = 242;
  std::uint64_t cycle = 0, pay_id = 0;
  std::uint32_t to_broker = 0;
  protocols::AccountId to_account = 0;
  protocols::ShardId to_shard = 0;
  protocols::AssetId asset = 0;
  core::Amount amount;

  void encode(core::ByteWriter& w) const;
  static PayOrder decode(core::ByteReader& r);
};

// Payer broker -> clearing house: the payment's transfer was included (ok) or not.
struct PayDone {
  static constexpr core::MsgKind kKind = 243;
  std::uint64_t pay_id = 0;
  bool ok = false;

  void encode(core::ByteWriter& w) const;
  static PayDone decode(core::ByteReader& r);
};

// Clearing house -> receiving broker: a payment routed to it failed; it bears the loss.
struct PayShortfall {
  static constexpr core::MsgKind kKind = 244;
  std::uint64_t cycle = 0, pay_id = 0;
  std::uint32_t from_broker = 0;
  protocols::AssetId asset = 0;
  core::Amount amount;

  void encode(core::ByteWriter& w) const;
  static PayShortfall decode(core::ByteReader& r);
};

// A broker as the clearing house reaches it.
struct ClearingMember {
  std::string name;
  core::EndpointId endpoint = 0;
  protocols::AccountId account = 0;  // its clearing account on its home shard: payments go there
  protocols::ShardId shard = 0;      // its home shard
  core::Duration delay;              // house -> broker message delay
};

// Per cycle (and summed over the run): what the cycle owed and what it sent.
struct CycleStats {
  std::uint64_t cycle = 0;
  core::SimTime closed_at;
  std::uint64_t obligations = 0;
  std::map<protocols::AssetId, core::Amount> gross;  // sum of the obligations
  std::map<protocols::AssetId, core::Amount> net;    // sum of the payments ordered
  std::uint64_t payments = 0, paid = 0, failed = 0;
  std::map<protocols::AssetId, core::Amount> paid_amount, loss;  // loss: the amounts of failed payments
  std::set<std::uint32_t> failed_payers;
};

class ClearingHouse final : public core::Handler {
 public:
  // `usd(asset, amount)` values an amount for the report (never for the money).
  ClearingHouse(core::Engine& engine, core::LpId lp, ClearingConfig config,
                std::function<double(protocols::AssetId, core::Amount)> usd);
  core::EndpointId endpoint() const { return self_; }
  void set_members(std::vector<ClearingMember> members) { members_ = std::move(members); }
  void start();  // the first cycle closes one `cycle` after now
  void on_message(const core::Envelope& env) override;

  const ClearingConfig& config() const { return config_; }
  const std::vector<CycleStats>& cycles() const { return cycles_; }  // closed cycles with obligations
  std::uint64_t cycles_closed() const { return cycle_; }
  nlohmann::ordered_json report() const;
  void digest(core::StateDigest& d) const;

 private:
  struct Pending {
    std::size_t cycle_index = 0;  // into cycles_
    std::uint32_t from = 0, to = 0;
    protocols::AssetId asset = 0;
    core::Amount amount;
  };
  void close_cycle();
  nlohmann::ordered_json cycle_json(const CycleStats& c) const;
  double usd_of(const std::map<protocols::AssetId, core::Amount>& by_asset) const;

  core::Engine& engine_;
  ClearingConfig config_;
  std::function<double(protocols::AssetId, core::Amount)> usd_;
  core::EndpointId self_ = 0;
  std::vector<ClearingMember> members_;
  std::vector<ObligationMsg> open_;  // accepted into the cycle now open
  std::uint64_t cycle_ = 0;          // cycles closed so far
  std::uint64_t next_pay_ = 0;
  std::map<std::uint64_t, Pending> pending_;  // payments ordered, not yet reported
  std::vector<CycleStats> cycles_;
};

}  // namespace shardsim::broker
