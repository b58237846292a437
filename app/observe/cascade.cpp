// Links the cascade's events by exposure (see cascade.hpp) and computes the depth of the chain.
#include "app/observe/cascade.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace shardsim::app {
namespace {

constexpr std::int64_t kWindowUs = 10LL * 60 * 1'000'000;  // how long a move or a root explains what follows

int rank(CascadeKind k) {
  switch (k) {
    case CascadeKind::fault:
    case CascadeKind::script: return 0;
    case CascadeKind::price_move: return 1;
    case CascadeKind::liquidations: return 2;
    case CascadeKind::bad_debt: return 3;
    case CascadeKind::insolvent: return 4;
    case CascadeKind::shortfall: return 5;
  }
  return 6;
}

bool is_root(const CascadeEvent& e) { return e.kind == CascadeKind::fault || e.kind == CascadeKind::script; }
bool in_effect(const CascadeEvent& r, std::int64_t t) { return r.at_us <= t && t <= r.until_us; }
bool touches_shard(const CascadeEvent& r, std::uint32_t shard) { return !r.shard || *r.shard == shard; }
// A root that moves `asset` as the feeds of `shard` see it: a fault or shock on that asset, or a
// scripted swap on that shard (it moves the shard's pools, so every feed priced from them).
bool moves(const CascadeEvent& r, std::optional<std::uint32_t> shard, std::uint32_t asset) {
  if (!is_root(r) || (shard && !touches_shard(r, *shard))) return false;
  return r.asset ? *r.asset == asset : r.kind == CascadeKind::script && r.shard.has_value();
}
bool within_window(const CascadeEvent& cause, const CascadeEvent& e) { return cause.at_us + kWindowUs >= e.at_us; }

// The latest event before `i` that `pick` accepts; appended to i's causes when there is one.
bool link_latest(std::vector<CascadeEvent>& events, std::size_t i, const std::function<bool(const CascadeEvent&)>& pick) {
  for (std::size_t j = i; j-- > 0;) {
    if (events[j].at_us <= events[i].at_us && pick(events[j])) {
      events[i].causes.push_back(j);
      return true;
    }
  }
  return false;
}

void link_one(std::vector<CascadeEvent>& events, std::size_t i) {
  const CascadeEvent& e = events[i];
  const auto same_shard = [&](const CascadeEvent& c) { return c.shard && e.shard && *c.shard == *e.shard; };
  const auto root_on_shard = [&](const CascadeEvent& c) {
    return is_root(c) && in_effect(c, e.at_us) && (!e.shard || touches_shard(c, *e.shard));
  };
  switch (e.kind) {
    case CascadeKind::fault:
    case CascadeKind::script:
      return;
    case CascadeKind::price_move:
      if (link_latest(events, i, [&](const CascadeEvent& c) {
            return c.kind == CascadeKind::liquidations && same_shard(c) && c.at_us < e.at_us && within_window(c, e);
          })) {
        return;
      }
      link_latest(events, i, [&](const CascadeEvent& c) { return moves(c, e.shard, *e.asset) && in_effect(c, e.at_us); });
      return;
    case CascadeKind::liquidations:
      if (link_latest(events, i, [&](const CascadeEvent& c) {
            return c.kind == CascadeKind::price_move && same_shard(c) && within_window(c, e);
          })) {
        return;
      }
      link_latest(events, i, root_on_shard);
      return;
    case CascadeKind::bad_debt:
      if (link_latest(events, i, [&](const CascadeEvent& c) { return c.kind == CascadeKind::fault && c.protocol == e.protocol; })) return;
      if (link_latest(events, i, [&](const CascadeEvent& c) { return c.kind == CascadeKind::liquidations && c.protocol == e.protocol; })) {
        return;
      }
      if (link_latest(events, i, [&](const CascadeEvent& c) {
            return c.kind == CascadeKind::price_move && same_shard(c) && within_window(c, e);
          })) {
        return;
      }
      link_latest(events, i, root_on_shard);
      return;
    case CascadeKind::shortfall:
    case CascadeKind::insolvent: {
      if (e.kind == CascadeKind::shortfall) {
        link_latest(events, i, [&](const CascadeEvent& c) { return c.kind == CascadeKind::insolvent && c.broker == e.broker; });
      }
      link_latest(events, i, [&](const CascadeEvent& c) { return c.kind == CascadeKind::fault && c.broker == e.broker; });
      // The latest price move in the window or price root in effect: the loss it booked.
      link_latest(events, i, [&](const CascadeEvent& c) {
        return (c.kind == CascadeKind::price_move && within_window(c, e)) || (is_root(c) && c.asset && in_effect(c, e.at_us));
      });
      if (e.clearing_loss) {
        link_latest(events, i, [&](const CascadeEvent& c) { return c.kind == CascadeKind::insolvent && c.broker != e.broker; });
      }
      return;
    }
  }
}

// Drops price moves and scripted events that caused nothing, keeping indexes consistent.
void prune(std::vector<CascadeEvent>& events) {
  for (const CascadeKind k : {CascadeKind::price_move, CascadeKind::script}) {
    std::vector<bool> used(events.size(), false);
    for (const CascadeEvent& e : events) {
      for (const std::size_t c : e.causes) used[c] = true;
    }
    std::vector<std::size_t> index(events.size());
    std::vector<CascadeEvent> kept;
    for (std::size_t i = 0; i < events.size(); ++i) {
      index[i] = kept.size();
      if (events[i].kind != k || used[i]) kept.push_back(std::move(events[i]));
    }
    for (CascadeEvent& e : kept) {
      for (std::size_t& c : e.causes) c = index[c];
    }
    events = std::move(kept);
  }
}

}  // namespace

std::size_t link_causes(std::vector<CascadeEvent>& events) {
  // Price moves seen at one time: the larger later, so that what follows links to it first.
  std::stable_sort(events.begin(), events.end(), [](const CascadeEvent& a, const CascadeEvent& b) {
    if (a.at_us != b.at_us) return a.at_us < b.at_us;
    if (rank(a.kind) != rank(b.kind)) return rank(a.kind) < rank(b.kind);
    return a.kind == CascadeKind::price_move && std::abs(a.move) < std::abs(b.move);
  });
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].causes.clear();
    link_one(events, i);
  }
  prune(events);
  std::vector<std::size_t> depth(events.size(), 1);
  std::size_t deepest = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (const std::size_t c : events[i].causes) depth[i] = std::max(depth[i], depth[c] + 1);  // causes come first
    deepest = std::max(deepest, depth[i]);
  }
  return deepest;
}

nlohmann::ordered_json cascade_events_json(const std::vector<CascadeEvent>& events) {
  using nlohmann::ordered_json;
  ordered_json out = ordered_json::array();
  for (const CascadeEvent& e : events) {
    ordered_json j{{"who", e.who}, {"what", e.what}, {"at_s", static_cast<double>(e.at_us) / 1e6}};
    j["caused_by"] = e.causes.empty() ? ordered_json(nullptr) : ordered_json(events[e.causes.front()].who);
    ordered_json causes = ordered_json::array();
    for (const std::size_t c : e.causes) causes.push_back(events[c].who);
    j["causes"] = causes;
    if (e.amount_usd) j["amount_usd"] = *e.amount_usd;
    if (e.kind == CascadeKind::price_move) j["move"] = e.move;
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::ordered_json cascade_edges_json(const std::vector<CascadeEvent>& events) {
  using nlohmann::ordered_json;
  ordered_json out = ordered_json::array();
  for (const CascadeEvent& e : events) {
    for (const std::size_t c : e.causes) {
      out.push_back({{"from", events[c].who}, {"to", e.who},
                     {"amount_usd", e.amount_usd ? ordered_json(*e.amount_usd) : ordered_json(nullptr)}});
    }
  }
  return out;
}

}  // namespace shardsim::app
