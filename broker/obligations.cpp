// Models the clearing house of the obligations between brokers (see obligations.hpp): it
// accepts obligations into the open cycle, closes a cycle every `cycle`, orders the payments
// (one per obligation, or the netted ones), and routes a failed payment's loss to its receiver.
#include "broker/obligations.hpp"

#include <cmath>

#include "broker/netting.hpp"
#include "core/assert.hpp"

namespace shardsim::broker {
namespace {

struct CycleTick {
  static constexpr core::MsgKind kKind = 245;
  std::uint64_t n = 0;
};

double round6(double x) { return std::round(x * 1e6) / 1e6; }

void add(std::map<protocols::AssetId, core::Amount>& m, protocols::AssetId a, core::Amount x) { m[a] += x; }

}  // namespace

// ---- messages -------------------------------------------------------------------------------

void ObligationMsg::encode(core::ByteWriter& w) const {
  w.pod(id);
  w.pod(from_broker);
  w.pod(to_broker);
  w.pod(from_client);
  w.pod(to_client);
  w.pod(asset);
  w.pod(amount);
  w.pod(created_us);
}

ObligationMsg ObligationMsg::decode(core::ByteReader& r) {
  ObligationMsg m;
  m.id = r.pod<std::uint64_t>();
  m.from_broker = r.pod<std::uint32_t>();
  m.to_broker = r.pod<std::uint32_t>();
  m.from_client = r.pod<std::uint32_t>();
  m.to_client = r.pod<std::uint32_t>();
  m.asset = r.pod<protocols::AssetId>();
  m.amount = r.pod<core::Amount>();
  m.created_us = r.pod<std::int64_t>();
  return m;
}

void ObligationNotice::encode(core::ByteWriter& w) const {
  obligation.encode(w);
  w.pod(cycle);
}

ObligationNotice ObligationNotice::decode(core::ByteReader& r) {
  ObligationNotice n;
  n.obligation = ObligationMsg::decode(r);
  n.cycle = r.pod<std::uint64_t>();
  return n;
}

void PayOrder::encode(core::ByteWriter& w) const {
  w.pod(cycle);
  w.pod(pay_id);
  w.pod(to_broker);
  w.pod(to_account);
  w.pod(to_shard);
  w.pod(asset);
  w.pod(amount);
}

PayOrder PayOrder::decode(core::ByteReader& r) {
  PayOrder p;
  p.cycle = r.pod<std::uint64_t>();
  p.pay_id = r.pod<std::uint64_t>();
  p.to_broker = r.pod<std::uint32_t>();
  p.to_account = r.pod<protocols::AccountId>();
  p.to_shard = r.pod<protocols::ShardId>();
  p.asset = r.pod<protocols::AssetId>();
  p.amount = r.pod<core::Amount>();
  return p;
}

void PayDone::encode(core::ByteWriter& w) const {
  w.pod(pay_id);
  w.pod(static_cast<std::uint8_t>(ok));
}

PayDone PayDone::decode(core::ByteReader& r) {
  PayDone d;
  d.pay_id = r.pod<std::uint64_t>();
  d.ok = r.pod<std::uint8_t>() != 0;
  return d;
}

void PayShortfall::encode(core::ByteWriter& w) const {
  w.pod(cycle);
  w.pod(pay_id);
  w.pod(from_broker);
  w.pod(asset);
  w.pod(amount);
}

PayShortfall PayShortfall::decode(core::ByteReader& r) {
  PayShortfall s;
  s.cycle = r.pod<std::uint64_t>();
  s.pay_id = r.pod<std::uint64_t>();
  s.from_broker = r.pod<std::uint32_t>();
  s.asset = r.pod<protocols::AssetId>();
  s.amount = r.pod<core::Amount>();
  return s;
}

// ---- the house ------------------------------------------------------------------------------

ClearingHouse::ClearingHouse(core::Engine& engine, core::LpId lp, ClearingConfig config,
                             std::function<double(protocols::AssetId, core::Amount)> usd)
    : engine_(engine), config_(config), usd_(std::move(usd)) {
  SHARDSIM_ASSERT(config_.cycle.count_us() > 0);
  self_ = engine_.add_handler(lp, *this, "clearing");
}

void ClearingHouse::start() { engine_.send(self_, self_, config_.cycle, CycleTick{}); }

void ClearingHouse::on_message(const core::Envelope& env) {
  if (env.is<CycleTick>()) {
    close_cycle();
    engine_.send(self_, self_, config_.cycle, CycleTick{});
  } else if (env.is<ObligationMsg>()) {
    const ObligationMsg o = env.as<ObligationMsg>();
    SHARDSIM_ASSERT(o.to_broker < members_.size());
    open_.push_back(o);
    engine_.send(self_, members_[o.to_broker].endpoint, members_[o.to_broker].delay, ObligationNotice{o, cycle_});
  } else if (env.is<PayDone>()) {
    const PayDone d = env.as<PayDone>();
    const auto it = pending_.find(d.pay_id);
    SHARDSIM_ASSERT_MSG(it != pending_.end(), "a payment reported twice or never ordered");
    const Pending p = it->second;
    pending_.erase(it);
    CycleStats& c = cycles_[p.cycle_index];
    if (d.ok) {
      ++c.paid;
      add(c.paid_amount, p.asset, p.amount);
      return;
    }
    ++c.failed;
    c.failed_payers.insert(p.from);
    add(c.loss, p.asset, p.amount);
    engine_.send(self_, members_[p.to].endpoint, members_[p.to].delay,
                 PayShortfall{c.cycle, d.pay_id, p.from, p.asset, p.amount});
  }
}

// The cycle's obligations as flows between brokers; gross pays each, multilateral pays the nets.
void ClearingHouse::close_cycle() {
  ++cycle_;
  if (open_.empty()) return;
  CycleStats c;
  c.cycle = cycle_;
  c.closed_at = engine_.now();
  c.obligations = open_.size();
  std::vector<Flow> flows;
  flows.reserve(open_.size());
  for (const ObligationMsg& o : open_) {
    flows.push_back(Flow{o.from_broker, o.to_broker, o.asset, o.amount});
    add(c.gross, o.asset, o.amount);
  }
  open_.clear();
  const std::vector<Flow> payments =
      config_.mode == ClearingMode::gross ? flows : settle_nets(multilateral_net(flows));
  cycles_.push_back(std::move(c));
  CycleStats& cs = cycles_.back();
  for (const Flow& f : payments) {
    if (f.from == f.to || f.amount.is_zero()) continue;  // gross: nothing to move between brokers
    const std::uint64_t id = next_pay_++;
    pending_[id] = Pending{cycles_.size() - 1, f.from, f.to, f.asset, f.amount};
    ++cs.payments;
    add(cs.net, f.asset, f.amount);
    const ClearingMember& to = members_[f.to];
    engine_.send(self_, members_[f.from].endpoint, members_[f.from].delay,
                 PayOrder{cs.cycle, id, f.to, to.account, to.shard, f.asset, f.amount});
  }
}

double ClearingHouse::usd_of(const std::map<protocols::AssetId, core::Amount>& by_asset) const {
  double usd = 0;
  for (const auto& [asset, amount] : by_asset) usd += usd_(asset, amount);
  return usd;
}

nlohmann::ordered_json ClearingHouse::cycle_json(const CycleStats& c) const {
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const std::uint32_t p : c.failed_payers) names.push_back(members_[p].name);
  return {{"cycle", c.cycle},
          {"closed_at_s", static_cast<double>(c.closed_at.count_us()) / 1e6},
          {"obligations", c.obligations},
          {"gross_usd", round6(usd_of(c.gross))},
          {"payments", c.payments},
          {"net_usd", round6(usd_of(c.net))},
          {"paid", c.paid},
          {"paid_usd", round6(usd_of(c.paid_amount))},
          {"failed", c.failed},
          {"loss_usd", round6(usd_of(c.loss))},
          {"failed_payers", names}};
}

nlohmann::ordered_json ClearingHouse::report() const {
  CycleStats total;
  std::uint64_t failed_payers = 0;
  nlohmann::ordered_json per_cycle = nlohmann::ordered_json::array();
  for (const CycleStats& c : cycles_) {
    total.obligations += c.obligations;
    total.payments += c.payments;
    total.paid += c.paid;
    total.failed += c.failed;
    failed_payers += c.failed_payers.size();
    for (const auto& [a, x] : c.gross) add(total.gross, a, x);
    for (const auto& [a, x] : c.net) add(total.net, a, x);
    for (const auto& [a, x] : c.paid_amount) add(total.paid_amount, a, x);
    for (const auto& [a, x] : c.loss) add(total.loss, a, x);
    per_cycle.push_back(cycle_json(c));
  }
  const double gross = usd_of(total.gross), net = usd_of(total.net);
  return {{"mode", clearing_mode_name(config_.mode)},
          {"cycle_ms", static_cast<double>(config_.cycle.count_us()) / 1000.0},
          {"cycles", cycle_},
          {"cycles_with_obligations", cycles_.size()},
          {"obligations", total.obligations},
          {"obligations_open", open_.size()},
          {"gross_usd", round6(gross)},
          {"net_usd", round6(net)},
          {"netting_ratio", gross > 0 ? round6(net / gross) : 1.0},
          {"transfers_ordered", total.payments},
          {"transfers_sent", total.paid},
          {"transfers_failed", total.failed},
          {"transfers_pending", pending_.size()},
          {"paid_usd", round6(usd_of(total.paid_amount))},
          {"failed_payers", failed_payers},
          {"loss_usd", round6(usd_of(total.loss))},
          {"per_cycle", per_cycle}};
}

void ClearingHouse::digest(core::StateDigest& d) const {
  d.u64(cycle_);
  d.u64(open_.size());
  d.u64(pending_.size());
  d.u64(cycles_.size());
  for (const CycleStats& c : cycles_) {
    d.u64(c.cycle);
    d.u64(c.obligations);
    d.u64(c.payments);
    d.u64(c.paid);
    d.u64(c.failed);
    for (const auto* m : {&c.gross, &c.net, &c.paid_amount, &c.loss}) {
      d.u64(m->size());
      for (const auto& [a, x] : *m) {
        d.u64(a);
        d.amount(x);
      }
    }
    for (const std::uint32_t p : c.failed_payers) d.u64(p);
  }
}

}  // namespace shardsim::broker
