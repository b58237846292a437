// What a finished world reports: per-shard statistics, cross-shard latency, the fault log, the
// conservation audit and the `--dump-state` snapshot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "app/world/world.hpp"
#include "core/assert.hpp"

namespace shardsim::app {
namespace {

nlohmann::ordered_json ms_percentiles(const core::Histogram& us, std::initializer_list<int> ps) {
  nlohmann::ordered_json j;
  for (const int p : ps) j["p" + std::to_string(p)] = static_cast<double>(us.percentile(p)) / 1000.0;
  j["max"] = static_cast<double>(us.max()) / 1000.0;
  return j;
}

// Two-phase prepare locks on one shard, or summed over all.
nlohmann::ordered_json lock_report(const shards::LockStats& l) {
  nlohmann::ordered_json j = {{"taken", l.taken},
                              {"committed", l.committed},
                              {"released", l.released},
                              {"expired", l.expired},
                              {"refused", l.refused},
                              {"blocked_reverted", l.blocked_reverted},
                              {"blocked_waits", l.blocked_waits},
                              {"hold_ms_total", static_cast<double>(l.hold_us_total) / 1000.0}};
  j["hold_ms"] = ms_percentiles(l.hold_us, {50, 99});
  return j;
}

}  // namespace

nlohmann::ordered_json World::results() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  nlohmann::ordered_json shards = nlohmann::ordered_json::array();
  core::Histogram cross;
  std::uint64_t consumed = 0, emitted = 0;
  shards::LockStats locks, yanks;  // two-phase locks; venues yanked away (their time unavailable)
  for (const auto& s : shards_) {
    const shards::ShardStats& st = s->stats();
    nlohmann::ordered_json e;
    e["id"] = s->config().name;
    e["height"] = s->height();
    e["blocks"] = st.blocks;
    e["blocks_skipped_halted"] = st.blocks_skipped_halted;
    e["txs_included"] = st.txs_included;
    e["txs_reverted"] = st.txs_reverted;
    e["txs_refused"] = st.txs_refused;
    e["txs_dropped"] = st.txs_dropped;
    e["gas_utilization_mean"] = st.blocks == 0 ? 0.0 : st.gas_utilization_sum / static_cast<double>(st.blocks);
    e["mempool_max"] = st.mempool_max;
    e["mempool_at_end"] = s->mempool_size();
    e["inclusion_delay_ms"] = ms_percentiles(st.inclusion_delay_us, {50, 99});
    e["receipts_emitted"] = st.receipts_emitted;
    e["receipts_consumed"] = st.receipts_consumed;
    e["receipts_dropped"] = st.receipts_dropped;
    e["receipts_resent"] = st.receipts_resent;
    e["receipts_duplicate"] = st.receipts_duplicate;
    e["oracle_updates"] = st.oracle_updates;
    nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
    for (const auto& [why, count] : st.revert_reasons) reasons[why] = count;
    e["revert_reasons"] = reasons;
    e["locks"] = lock_report(s->lock_stats());
    e["yanks"] = lock_report(s->yank_stats());
    locks.merge(s->lock_stats());
    yanks.merge(s->yank_stats());
    shards.push_back(e);
    cross.merge(st.cross_shard_latency_us);
    consumed += st.receipts_consumed;
    emitted += st.receipts_emitted;
  }
  j["shards"] = shards;
  j["cross_shard"] = {{"messages", consumed}, {"emitted", emitted}, {"in_flight", emitted - consumed},
                      {"latency_ms", ms_percentiles(cross, {50, 90, 99})}};
  j["locks"] = lock_report(locks);
  j["yanks"] = lock_report(yanks);
  nlohmann::ordered_json faults = nlohmann::ordered_json::array();
  std::vector<shards::FaultLogEntry> log;
  for (const auto& s : shards_) log.insert(log.end(), s->fault_log().begin(), s->fault_log().end());
  std::stable_sort(log.begin(), log.end(), [](const auto& a, const auto& b) {
    return std::tie(a.at_us, a.fault_index, b.start) < std::tie(b.at_us, b.fault_index, a.start);
  });
  for (const auto& e : log) {
    faults.push_back({{"fault", e.fault_index}, {"event", e.start ? "start" : "end"},
                      {"at", core::SimTime::from_us(e.at_us).str()},
                      {"at_s", static_cast<double>(e.at_us) / 1e6}, {"what", e.label}});
  }
  j["faults"] = faults;
  if (!brokers_.empty()) j["brokers"] = broker_results();
  if (clearing_) j["clearing"] = clearing_results();
  if (!protocol_agents_.empty()) j["agents"].update(agent_results());  // world_agents.cpp
  j["conservation"] = check_conservation().json;
  if (ping_) j["workload"] = ping_->summary();
  j["warnings"] = end_warnings();
  return j;
}

// A stablecoin (a true price fixed at 1 USD) whose feed ended far from 1: most likely a feed
// priced from a pool far off its peg. One line per shard and asset.
nlohmann::ordered_json World::end_warnings() const {
  constexpr double kOffPeg = 0.10;
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (prices_ == nullptr) return out;
  for (const PriceAssetSpec& p : topology_.prices.assets) {
    if (p.vol_annual != 0 || p.initial != 1 || !prices_->has(p.asset)) continue;
    const double truth = prices_->price(p.asset, engine_->now());
    for (const auto& s : shards_) {
      if (p.asset >= s->oracles().size() || s->oracles()[p.asset].round == 0) continue;
      const double feed = protocols::wad_to_double(s->oracles()[p.asset].price_wad);
      if (std::fabs(feed / truth - 1) <= kOffPeg) continue;
      char line[256];
      std::snprintf(line, sizeof line, "the %s feed on shard %s ended at %.4g USD, %.0f%% off its true price %.4g "
                    "(a feed priced from a pool far off its peg?)", topology_.assets[p.asset].symbol.c_str(),
                    s->config().name.c_str(), feed, 100 * std::fabs(feed / truth - 1), truth);
      out.push_back(line);
    }
  }
  return out;
}

ConservationReport World::check_conservation() const {
  ConservationReport r;
  nlohmann::ordered_json assets = nlohmann::ordered_json::object();
  for (std::uint32_t a = 0; a < topology_.assets.size(); ++a) {
    core::Amount minted, burned, held, sent, received, recounted;
    for (const auto& s : shards_) {
      const shards::AssetFlows& f = s->ledger().flows(a);
      minted += f.minted;
      burned += f.burned;
      held += f.held;
      sent += f.sent_out;
      received += f.received;
      recounted += s->ledger().recount_held(a);
    }
    const core::Amount in_flight = sent - received;
    const int d = topology_.assets[a].decimals;
    const bool ok = held == recounted && held + in_flight == minted - burned && !in_flight.is_negative();
    if (!ok && r.ok) {
      r.ok = false;
      r.breach = "asset " + topology_.assets[a].symbol + ": held " + held.str(d) + " (recounted " + recounted.str(d) +
                 ") + in flight " + in_flight.str(d) + " != minted " + minted.str(d) + " - burned " + burned.str(d);
    }
    assets[topology_.assets[a].symbol] = {{"minted", minted.str(d)}, {"burned", burned.str(d)},
                                          {"held", held.str(d)}, {"in_flight", in_flight.str(d)}};
  }
  if (const auto why = broker_audit(); why && r.ok) {
    r.ok = false;
    r.breach = *why;
  }
  r.json = {{"ok", r.ok}, {"assets", assets}};
  if (!r.ok) r.json["breach"] = r.breach;
  return r;
}

nlohmann::ordered_json World::dump_state() const {
  nlohmann::ordered_json j;
  j["time_us"] = engine_->now().count_us();
  nlohmann::ordered_json shards = nlohmann::ordered_json::object();
  for (const auto& s : shards_) {
    nlohmann::ordered_json e;
    e["height"] = s->height();
    nlohmann::ordered_json balances = nlohmann::ordered_json::object();
    for (const auto& [account, asset, amount] : s->ledger().sorted_balances()) {
      balances[registry_.account_name(account)][topology_.assets[asset].symbol] = amount.str(topology_.assets[asset].decimals);
    }
    e["balances"] = balances;
    nlohmann::ordered_json protocols = nlohmann::ordered_json::object();
    for (const auto& p : s->protocols()) protocols[p->name()] = p->state(s->host());
    e["protocols"] = protocols;
    nlohmann::ordered_json oracles = nlohmann::ordered_json::object();
    for (std::uint32_t a = 0; a < s->oracles().size(); ++a) {
      const shards::OracleValue& v = s->oracles()[a];
      if (v.round == 0) continue;
      oracles[topology_.assets[a].symbol] = {{"price", core::Amount::units(v.price_wad).str(18)},
                                             {"updated_at_us", v.updated_at_us}, {"round", v.round}};
    }
    e["oracles"] = oracles;
    shards[s->config().name] = e;
  }
  j["shards"] = shards;
  return j;
}

}  // namespace shardsim::app
