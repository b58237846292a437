// The front-run measurement: sandwich windows per pool, victims' exact counterfactual outputs, and
// the summary's `frontrun` section.
#include "app/observe/frontrun_monitor.hpp"

#include <algorithm>

#include "protocols/amm/amm_math.hpp"

namespace shardsim::app {
namespace {

using protocols::i128;

const std::string* arg(const std::vector<protocols::TxArg>& args, std::string_view key) {
  for (const protocols::TxArg& a : args) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

}  // namespace

FrontrunMonitor::FrontrunMonitor(World& world) : world_(world) {
  for (const auto& a : world.protocol_agents()) {
    if (a->kind() == agents::AgentKind::searcher) searchers_.insert(a->account());
  }
  for (std::size_t b = 0; b < world.broker_count(); ++b) {
    for (const protocols::AccountId a : world.broker(b).home_accounts()) broker_of_[a] = world.broker(b).config().name;
  }
  for (std::uint32_t s = 0; s < world.shard_count(); ++s) {
    shards::Shard& shard = world.shard(s);
    const auto& ps = shard.protocols();
    if (std::none_of(ps.begin(), ps.end(), [](const auto& p) {
          const protocols::ProtocolQueries q = p->queries();
          return q.pool != nullptr || q.perps != nullptr;
        })) {
      continue;
    }
    shard.observe_protocol_ops([this, s](const shards::Shard::ProtocolOpRun& run) { on_op(s, run); });
  }
}

// A swap that ran on a pool: who sold what, exactly how much went in and out, and the pool after.
void FrontrunMonitor::on_op(std::uint32_t shard, const shards::Shard::ProtocolOpRun& run) {
  const protocols::ProtocolQueries queries = world_.shard(shard).protocols()[run.protocol]->queries();
  if (queries.perps != nullptr) {
    on_perps_op(shard, *queries.perps, run);
    return;
  }
  const protocols::PoolQuery* pool = queries.pool;
  if (pool == nullptr) return;
  const PoolKey key{shard, run.protocol};
  const bool searcher = searchers_.contains(run.from);
  if (searcher && run.op != "swap") return;
  std::optional<Swap> swap;
  if (run.status == protocols::TxStatus::ok && run.op == "swap") {
    const std::string* sell = arg(run.args, "sell");
    const protocols::TxOutput* in = protocols::find_output(run.outputs, "amount_in");
    const protocols::TxOutput* out = protocols::find_output(run.outputs, "amount_out");
    const auto sold = sell ? world_.registry().asset(*sell) : std::nullopt;
    if (sold && in && out) {
      Swap s{.after = pool->pool_view()};
      s.sell = *sold;
      s.buy = *sold == s.after.asset_a ? s.after.asset_b : s.after.asset_a;
      s.in = in->raw;
      s.out = out->raw;
      swap = s;
    }
  }
  if (searcher) {
    const std::string* sell = arg(run.args, "sell");
    const auto sold = sell ? world_.registry().asset(*sell) : std::nullopt;
    if (sold) on_searcher_swap(key, run.from, *sold, swap ? &*swap : nullptr);
    return;
  }
  const auto open = open_.find(key);
  if (open == open_.end() || run.status != protocols::TxStatus::ok) return;  // a revert changed nothing
  if (swap && open->second.sell == swap->sell) {
    on_victim_swap(key, open->second, run.from, *swap);
  } else {
    open_.erase(open);  // the pool moved otherwise (an arbitrage back, liquidity): no clean counterfactual
  }
}

// A searcher's swap against its own open position on the pool (a back-run or an unwind, whatever
// its status) ends that position and its window; a successful one otherwise is a front-run and
// opens a window at the reserves it found (unless another searcher's window is open there).
void FrontrunMonitor::on_searcher_swap(const PoolKey& pool, protocols::AccountId searcher, protocols::AssetId sell,
                                       const Swap* swap) {
  const auto open = open_.find(pool);
  const bool owner = open != open_.end() && open->second.searcher == searcher;
  const auto side = position_.find({pool, searcher});
  if (side != position_.end() && side->second != sell) {
    position_.erase(side);
    if (owner) open_.erase(open);
    return;
  }
  if (swap == nullptr) return;
  position_[{pool, searcher}] = sell;
  if (open != open_.end() && !owner) return;  // another searcher's sandwich is under way
  const bool in_is_a = swap->sell == swap->after.asset_a;
  const i128 reserve_in = (in_is_a ? swap->after.reserve_a : swap->after.reserve_b) - swap->in;
  const i128 reserve_out = (in_is_a ? swap->after.reserve_b : swap->after.reserve_a) + swap->out;
  open_[pool] = Window{searcher, swap->sell, swap->buy, reserve_in, reserve_out};
}

// The victim's output on the pool as it would be without the front-run (earlier victims' swaps
// replayed on it), against what it got; the window's pool then takes this swap too.
void FrontrunMonitor::on_victim_swap(const PoolKey& pool, Window& w, protocols::AccountId victim, const Swap& swap) {
  const protocols::amm::FeeFraction fee{swap.after.fee_num, swap.after.fee_den};
  FrontrunLoss l;
  l.victim = victim;
  l.searcher = w.searcher;
  l.shard = pool.first;
  l.protocol = pool.second;
  l.asset = w.buy;
  l.clean_out = protocols::amm::amount_out(swap.in, w.reserve_in, w.reserve_out, fee);
  l.got_out = swap.out;
  w.reserve_in += swap.in;
  w.reserve_out -= l.clean_out;
  l.at_us = world_.engine().now().count_us();
  const int decimals = world_.topology().assets[w.buy].decimals;
  std::optional<double> price = world_.oracle_reader(pool.first)(w.buy);
  if (!price && world_.prices() != nullptr && world_.prices()->has(w.buy)) {
    price = world_.prices()->price(w.buy, world_.engine().now());
  }
  l.usd = core::Amount::units(l.lost()).to_double(decimals) * price.value_or(0.0);
  losses_.push_back(l);
}

double FrontrunMonitor::loss_usd(const std::vector<protocols::AccountId>& accounts) const {
  double usd = 0;
  for (const FrontrunLoss& l : losses_) {
    if (std::find(accounts.begin(), accounts.end(), l.victim) != accounts.end()) usd += l.usd;
  }
  return usd;
}

std::string FrontrunMonitor::victim_name(protocols::AccountId a) const {
  const auto it = broker_of_.find(a);
  return it != broker_of_.end() ? it->second : world_.registry().account_name(a);
}

// Per victim (a broker's accounts under its name), by name: swaps, exact loss per output asset, USD.
nlohmann::ordered_json FrontrunMonitor::by_victim() const {
  struct Tally {
    bool broker = false;
    std::uint64_t swaps = 0;
    std::map<protocols::AssetId, i128> lost;
    double usd = 0;
  };
  std::map<std::string, Tally> by;
  for (const FrontrunLoss& l : losses_) {
    Tally& t = by[victim_name(l.victim)];
    t.broker = broker_of_.contains(l.victim);
    ++t.swaps;
    t.lost[l.asset] += l.lost();
    t.usd += l.usd;
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [name, t] : by) {
    nlohmann::ordered_json lost = nlohmann::ordered_json::object();
    for (const auto& [asset, raw] : t.lost) {
      lost[world_.registry().asset_symbol(asset)] = core::Amount::units(raw).str(world_.topology().assets[asset].decimals);
    }
    out.push_back({{"victim", name}, {"broker", t.broker}, {"swaps", t.swaps}, {"lost", lost}, {"usd", t.usd}});
  }
  return out;
}

nlohmann::ordered_json FrontrunMonitor::by_searcher() const {
  std::map<std::string, std::pair<std::uint64_t, double>> by;
  for (const FrontrunLoss& l : losses_) {
    auto& [swaps, usd] = by[world_.registry().account_name(l.searcher)];
    ++swaps;
    usd += l.usd;
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [name, t] : by) out.push_back({{"searcher", name}, {"swaps", t.first}, {"usd", t.second}});
  return out;
}

nlohmann::ordered_json FrontrunMonitor::results() const {
  double total = 0;
  for (const FrontrunLoss& l : losses_) total += l.usd;
  return {{"swaps", losses_.size()}, {"total_usd", total}, {"by_victim", by_victim()}, {"by_searcher", by_searcher()}};
}

}  // namespace shardsim::app
