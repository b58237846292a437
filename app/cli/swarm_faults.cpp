// Derives a swarm run's fault mix from its seed (see swarm_command.hpp) and prints it on one line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

#include "app/cli/swarm_command.hpp"
#include "core/rng.hpp"

namespace shardsim::app {
namespace {

// Times are drawn on a grid that reads well in the printed mix: whole seconds for runs of ten
// minutes or more, milliseconds for shorter ones.
core::Duration grid_of(core::Duration run) {
  if (run >= core::Duration::min(10)) return core::Duration::s(1);
  if (run >= core::Duration::s(1)) return core::Duration::ms(1);
  return core::Duration::us(1);
}

// A duration in [lo, hi] on the grid (lo rounded up, hi rounded down; lo if the range is empty).
core::Duration draw_span(core::Rng& rng, core::Duration lo, core::Duration hi, core::Duration grid) {
  const std::int64_t g = grid.count_us();
  const std::int64_t a = (lo.count_us() + g - 1) / g;
  const std::int64_t b = hi.count_us() / g;
  if (b <= a) return core::Duration::us(a * g);
  return core::Duration::us(rng.uniform_int(a, b) * g);
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Whole seconds as `1h2m3s` (the topology's own notation); anything finer as Duration::str().
std::string span_str(core::Duration d) {
  const std::int64_t us = d.count_us();
  if (us <= 0 || us % 1'000'000 != 0) return d.str();
  const std::int64_t s = us / 1'000'000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60 != 0) out += std::to_string(s % 60) + "s";
  return out;
}

std::string percent(double ratio) { return std::to_string(std::lround(ratio * 100)) + "%"; }

}  // namespace

namespace {

// What each fault kind can act on in a topology.
struct FaultTargets {
  std::uint32_t shards = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> feeds;  // (shard, asset) with an oracle feed
  std::vector<std::uint32_t> fee_shards;
  std::vector<std::uint32_t> priced;  // assets with a price process of their own
  std::vector<FaultKind> kinds;       // the kinds that have something to act on
};

FaultTargets targets_of(const Topology& topology) {
  FaultTargets t;
  t.shards = static_cast<std::uint32_t>(topology.shards.size());
  for (std::uint32_t s = 0; s < t.shards; ++s) {
    const ShardSpec& spec = topology.shards[s];
    if (spec.oracles) {
      for (const std::uint32_t a : spec.oracles->assets) t.feeds.emplace_back(s, a);
    }
    if (spec.fee_asset && !spec.base_fee.is_zero()) t.fee_shards.push_back(s);
  }
  if (topology.prices.present) {
    for (const PriceAssetSpec& p : topology.prices.assets) {
      if (!p.peg) t.priced.push_back(p.asset);
    }
  }
  t.kinds = {FaultKind::shard_halt, FaultKind::tx_drop};
  if (t.shards >= 2) {
    t.kinds.push_back(FaultKind::latency_spike);
    t.kinds.push_back(FaultKind::partition);
  }
  if (!t.feeds.empty()) t.kinds.push_back(FaultKind::oracle);
  if (!t.priced.empty()) t.kinds.push_back(FaultKind::price_crash);
  if (!t.fee_shards.empty()) t.kinds.push_back(FaultKind::gas_spike);
  return t;
}

// Two groups of shards, each non-empty, the one holding the lowest shard first.
std::vector<std::vector<std::uint32_t>> draw_partition(core::Rng& rng, std::uint32_t shards) {
  std::vector<std::uint32_t> order(shards);
  std::iota(order.begin(), order.end(), 0u);
  for (std::uint32_t k = shards - 1; k > 0; --k) std::swap(order[k], order[rng.uniform_index(k + 1)]);
  const auto cut = static_cast<std::size_t>(rng.uniform_int(1, shards - 1));
  std::vector<std::uint32_t> a(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
  std::vector<std::uint32_t> b(order.begin() + static_cast<std::ptrdiff_t>(cut), order.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (b.front() < a.front()) std::swap(a, b);
  return {std::move(a), std::move(b)};
}

// Draws what `f` (of a kind already drawn) acts on and how hard.
void draw_target(FaultSpec& f, core::Rng& rng, const FaultTargets& t, core::Duration longest, core::Duration grid) {
  switch (f.kind) {
    case FaultKind::shard_halt:
      f.shard = static_cast<std::uint32_t>(rng.uniform_index(t.shards));
      break;
    case FaultKind::latency_spike: {
      f.from = static_cast<std::uint32_t>(rng.uniform_index(t.shards));
      f.to = static_cast<std::uint32_t>(rng.uniform_index(t.shards - 1));
      if (f.to >= f.from) ++f.to;
      f.factor = 1.0 + static_cast<double>(rng.uniform_int(0, 90)) / 10.0;  // 1 .. 10
      f.add = draw_span(rng, core::Duration{}, std::min(core::Duration::min(2), longest), grid);
      if (f.factor == 1.0 && f.add == core::Duration{}) f.factor = 2.0;  // a spike that slows nothing
      break;
    }
    case FaultKind::partition:
      f.groups = draw_partition(rng, t.shards);
      break;
    case FaultKind::tx_drop:
      f.shard = static_cast<std::uint32_t>(rng.uniform_index(t.shards));
      f.probability = static_cast<double>(rng.uniform_int(5, 100)) / 100.0;
      break;
    case FaultKind::oracle: {
      const auto& [shard, asset] = t.feeds[rng.uniform_index(t.feeds.size())];
      f.shard = shard;
      f.asset = asset;
      f.mode = OracleFaultMode::stale;
      break;
    }
    case FaultKind::price_crash:
      f.asset = t.priced[rng.uniform_index(t.priced.size())];
      f.move = -static_cast<double>(rng.uniform_int(5, 50)) / 100.0;  // the move happens over `duration`
      break;
    case FaultKind::gas_spike:
      f.shard = t.fee_shards[rng.uniform_index(t.fee_shards.size())];
      f.factor = static_cast<double>(rng.uniform_int(2, 50));
      break;
    default:
      break;  // never drawn
  }
}

// A third of the seeds also lose receipts on one link. The draw comes from a stream of its own,
// so the kinds above, drawn from the "swarm" stream, keep the mixes they had before it existed.
void maybe_add_receipt_drop(std::vector<FaultSpec>& faults, std::uint64_t seed, const FaultTargets& t,
                            core::Duration shortest, core::Duration longest, core::Duration half, core::Duration grid) {
  if (t.shards < 2) return;
  core::Rng rng = core::Rng::for_entity(seed, "swarm:receipt_drop");
  if (rng.uniform_int(0, 2) != 0) return;
  FaultSpec f;
  f.kind = FaultKind::receipt_drop;
  f.duration = std::min(draw_span(rng, shortest, longest, grid), half);
  f.at = core::SimTime::zero() + draw_span(rng, core::Duration{}, half - f.duration, grid);
  f.from = static_cast<std::uint32_t>(rng.uniform_index(t.shards));
  f.to = static_cast<std::uint32_t>(rng.uniform_index(t.shards - 1));
  if (f.to >= f.from) ++f.to;
  f.probability = static_cast<double>(rng.uniform_int(5, 100)) / 100.0;
  faults.push_back(std::move(f));
}

}  // namespace

std::vector<FaultSpec> derive_fault_mix(const Topology& topology, std::uint64_t seed) {
  core::Rng rng = core::Rng::for_entity(seed, "swarm");
  const FaultTargets targets = targets_of(topology);
  const core::Duration run = topology.duration;
  const core::Duration grid = grid_of(run);
  const core::Duration half = core::Duration::us(run.count_us() / 2);
  const core::Duration longest = core::Duration::us(std::min(run.count_us() / 10, half.count_us()));
  const core::Duration shortest = core::Duration::us(longest.count_us() / 10);

  std::vector<FaultSpec> faults;
  const auto count = rng.uniform_int(1, 4);
  for (std::int64_t i = 0; i < count; ++i) {
    FaultSpec f;
    f.kind = targets.kinds[rng.uniform_index(targets.kinds.size())];
    f.duration = draw_span(rng, shortest, longest, grid);
    if (f.duration > half) f.duration = half;  // only for runs shorter than the grid allows
    f.at = core::SimTime::zero() + draw_span(rng, core::Duration{}, half - f.duration, grid);
    draw_target(f, rng, targets, longest, grid);
    faults.push_back(std::move(f));
  }
  maybe_add_receipt_drop(faults, seed, targets, shortest, longest, half, grid);
  std::stable_sort(faults.begin(), faults.end(), [](const FaultSpec& x, const FaultSpec& y) { return x.at < y.at; });
  return faults;
}

std::string describe_fault_mix(const Topology& t, const std::vector<FaultSpec>& faults) {
  std::string out;
  for (const FaultSpec& f : faults) {
    if (!out.empty()) out += " + ";
    const std::string when = "at=" + span_str(f.at.since_start()) +
                             (f.kind == FaultKind::price_crash ? " over=" : " for=") + span_str(f.duration);
    switch (f.kind) {
      case FaultKind::shard_halt:
        out += "shard_halt{shard=" + t.shards[f.shard].id + " " + when + "}";
        break;
      case FaultKind::latency_spike:
        out += "latency_spike{from=" + t.shards[f.from].id + " to=" + t.shards[f.to].id + " add=" + span_str(f.add) +
               " factor=" + fmt(f.factor) + " " + when + "}";
        break;
      case FaultKind::partition: {
        std::string groups;
        for (const auto& g : f.groups) {
          groups += groups.empty() ? "[" : "|[";
          for (std::size_t i = 0; i < g.size(); ++i) groups += (i ? "," : "") + t.shards[g[i]].id;
          groups += "]";
        }
        out += "partition{groups=" + groups + " " + when + "}";
        break;
      }
      case FaultKind::tx_drop:
        out += "tx_drop{shard=" + t.shards[f.shard].id + " p=" + percent(f.probability) + " " + when + "}";
        break;
      case FaultKind::oracle:
        out += "oracle{shard=" + t.shards[f.shard].id + " asset=" + t.assets[f.asset].symbol + " mode=" +
               (f.mode == OracleFaultMode::stale ? "stale" : f.mode == OracleFaultMode::manipulated ? "manipulated" : "delayed") +
               " " + when + "}";
        break;
      case FaultKind::price_crash:
        out += "price_crash{asset=" + t.assets[f.asset].symbol + " move=" + percent(f.move) + " " + when + "}";
        break;
      case FaultKind::gas_spike:
        out += "gas_spike{shard=" + t.shards[f.shard].id + " factor=" + fmt(f.factor) + " " + when + "}";
        break;
      case FaultKind::receipt_drop:
        out += "receipt_drop{from=" + t.shards[f.from].id + " to=" + t.shards[f.to].id + " rate=" +
               percent(f.probability) + " " + when + "}";
        break;
      default:
        out += "fault{" + when + "}";
        break;
    }
  }
  return out.empty() ? "none" : out;
}

}  // namespace shardsim::app
