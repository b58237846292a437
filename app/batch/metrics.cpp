// Reads the metrics out of a summary (the JSON `shardsim run` writes).
#include "app/batch/metrics.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "app/topology/param_path.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app {
namespace {

std::optional<double> number_at(const Summary& j, std::string_view key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
  return std::nullopt;
}

double number(const Summary& j, std::string_view key) { return number_at(j, key).value_or(0.0); }

const Summary& child(const Summary& j, std::string_view key) {
  static const Summary kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// ---- system-wide ----------------------------------------------------------------------------

std::optional<double> bad_debt(const Summary& s) {
  const Summary& debt = child(child(s, "cascade"), "bad_debt");
  if (debt.is_null()) return std::nullopt;
  // The brokers' bad debt is what entered their waterfalls; its fund and socialised layers are
  // parts of it, not more loss.
  return number(debt, "protocol") + number(debt, "broker");
}

std::optional<double> protocol_liquidations(const Summary& s) {
  const Summary& liq = child(child(s, "cascade"), "liquidations");
  if (liq.is_null()) return std::nullopt;
  double n = 0;
  for (const auto& [name, count] : child(liq, "protocols").items()) n += count.is_number() ? count.get<double>() : 0.0;
  return n;
}

std::optional<double> cross_shard_latency(const Summary& s, const char* pct) {
  const Summary& x = child(s, "cross_shard");
  if (number(x, "messages") <= 0) return std::nullopt;
  return number_at(child(x, "latency_ms"), pct);
}

std::optional<double> throughput(const Summary& s) {
  const double seconds = number(s, "sim_seconds");
  if (seconds <= 0) return std::nullopt;
  double txs = 0;
  for (const auto& shard : child(s, "shards")) txs += number(shard, "txs_included");
  return txs / seconds;
}

// ---- per broker -----------------------------------------------------------------------------

const Summary* find_broker(const Summary& s, const std::string& name) {
  for (const auto& b : child(s, "brokers")) {
    if (b.is_object() && b.value("name", std::string()) == name) return &b;
  }
  return nullptr;
}

using BrokerRead = std::optional<double> (*)(const Summary& broker);

struct BrokerMetric {
  const char* key;    // after `broker.<name>.`
  const char* label;  // after `<name> `
  const char* unit;
  Better better;
  BrokerRead read;
};

std::optional<double> settlement(const Summary& b, const char* pct) {
  const Summary& s = child(b, "settlement_latency_ms");
  if (number(s, "count") <= 0) return std::nullopt;
  return number_at(s, pct);
}

const std::vector<BrokerMetric>& broker_metrics() {
  static const std::vector<BrokerMetric> kMetrics = {
      {"pnl_usd", "P&L", "USD", Better::higher, [](const Summary& b) { return number_at(b, "pnl"); }},
      {"settlement_p50_ms", "settlement latency p50", "ms", Better::lower,
       [](const Summary& b) { return settlement(b, "p50"); }},
      {"settlement_p99_ms", "settlement latency p99", "ms", Better::lower,
       [](const Summary& b) { return settlement(b, "p99"); }},
      {"margin_efficiency", "margin efficiency (gross/net)", "x", Better::higher,
       [](const Summary& b) -> std::optional<double> {
         const double net = number(child(b, "margin"), "net");
         if (net <= 0) return std::nullopt;
         return number(child(b, "margin"), "gross") / net;
       }},
      {"frontrun_loss_usd", "front-run loss", "USD", Better::lower,
       [](const Summary& b) { return number_at(b, "frontrun_loss"); }},  // measured on the chain
      {"latency_loss_usd", "latency loss (hedges in flight)", "USD", Better::lower,
       [](const Summary& b) { return number_at(b, "latency_loss"); }},
      {"failed_sagas", "failed sagas (hedges not committed)", "count", Better::lower,
       [](const Summary& b) -> std::optional<double> {
         const Summary& h = child(b, "hedges");
         if (h.is_null()) return std::nullopt;
         return number(h, "sent") - number(h, "committed") - number(h, "pending");  // aborted, compensated, timed out
       }},
      {"unhedged_exposure_usd_s", "exposure left unhedged x time", "USD*s", Better::lower,
       [](const Summary& b) { return number_at(child(b, "settlement"), "unhedged_exposure_usd_s"); }},
      {"liquidations", "liquidations of its clients", "count", Better::lower,
       [](const Summary& b) { return number_at(b, "liquidations"); }},
      {"insolvent", "insolvent (0/1; mean = rate)", "rate", Better::lower,
       [](const Summary& b) { return number_at(b, "insolvent"); }},
      {"default_fund_used_usd", "default fund used", "USD", Better::lower,
       [](const Summary& b) { return number_at(b, "default_fund_used"); }},
      {"bad_debt_usd", "bad debt (its waterfall)", "USD", Better::lower,
       [](const Summary& b) { return number_at(b, "bad_debt"); }},
  };
  return kMetrics;
}

// ---- user metrics ---------------------------------------------------------------------------

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out(1);
  for (const char c : path) {
    if (c == '.') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `a, b, c, ...`: the first ten.
std::string listing(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 10; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 10) out += ", ...";
  return out.empty() ? "nothing" : out;
}

// The item of list `list` that `segment` names (an index, or an item's id or name), or null;
// `error` says what exists.
const Summary* list_item(const Summary& list, const std::string& segment, const std::string& where, std::string& error) {
  if (all_digits(segment) && segment.size() < 10) {
    const std::size_t i = std::stoul(segment);
    if (i < list.size()) return &list[i];
  }
  std::vector<std::string> ids;
  for (const auto& item : list) {
    for (const char* field : {"id", "name"}) {
      if (item.is_object() && item.contains(field) && item.at(field).is_string()) {
        if (item.at(field).get<std::string>() == segment) return &item;
        ids.push_back(item.at(field).get<std::string>());
        break;
      }
    }
  }
  error = where + " has no item \"" + segment + "\" (" + std::to_string(list.size()) + " items: index 0.." +
          std::to_string(list.empty() ? 0 : list.size() - 1) + (ids.empty() ? "" : ", ids: " + listing(ids)) + ")";
  if (list.empty()) error = where + " is an empty list";
  return nullptr;
}

std::string kind_of(const Summary& j) {
  if (j.is_object()) return "a map";
  if (j.is_array()) return "a list";
  if (j.is_string()) return "a string";
  return "null";
}

[[noreturn]] void user_error(const UserMetricSpec& spec, const std::string& message) {
  if (!spec.file.empty()) {
    throw TopologyError(spec.file, spec.line, spec.column, spec.key_path, message,
                        "a dotted path into summary.json that leads to a number");
  }
  throw ParamError("--metric " + spec.name + "=" + spec.path + ": " + message +
                   " (expected a dotted path into summary.json that leads to a number)");
}

MetricDef user_metric(const UserMetricSpec& spec) {
  MetricDef def{spec.name, spec.name + " (" + spec.path + ")", "", spec.better, nullptr, spec};
  const std::string path = spec.path;
  def.read = [path](const Summary& s) { return read_summary_path(s, path).value; };
  return def;
}

}  // namespace

const char* better_name(Better better) {
  switch (better) {
    case Better::higher: return "higher";
    case Better::lower: return "lower";
    case Better::neutral: break;
  }
  return "neutral";
}

const std::vector<MetricDef>& key_metrics() {
  static const std::vector<MetricDef> kMetrics = {
      {"bad_debt_usd", "bad debt (protocols + brokers' waterfalls)", "USD", Better::lower, bad_debt, {}},
      {"protocol_liquidations", "liquidations on protocols", "count", Better::lower, protocol_liquidations, {}},
      {"cascade_depth", "cascade depth (longest cause chain)", "levels", Better::lower,
       [](const Summary& s) { return number_at(child(s, "cascade"), "depth"); }, {}},
      {"cross_shard_latency_p50_ms", "cross-shard latency p50", "ms", Better::lower,
       [](const Summary& s) { return cross_shard_latency(s, "p50"); }, {}},
      {"cross_shard_latency_p99_ms", "cross-shard latency p99", "ms", Better::lower,
       [](const Summary& s) { return cross_shard_latency(s, "p99"); }, {}},
      // Neutral: retries of failed transactions raise it too.
      {"throughput_tps", "throughput (txs included, retries too)", "tx/s", Better::neutral, throughput, {}},
  };
  return kMetrics;
}

std::vector<MetricDef> batch_metrics(const std::vector<const Topology*>& topologies,
                                     const std::vector<UserMetricSpec>& cli) {
  std::vector<MetricDef> out = key_metrics();
  std::vector<std::string> brokers;
  for (const Topology* t : topologies) {
    for (const auto& b : t->brokers) {
      if (std::find(brokers.begin(), brokers.end(), b.name) == brokers.end()) brokers.push_back(b.name);
    }
  }
  for (const std::string& name : brokers) {
    for (const BrokerMetric& m : broker_metrics()) {
      const BrokerRead read = m.read;
      out.push_back({"broker." + name + "." + m.key, "broker " + name + ": " + m.label, m.unit, m.better,
                     [name, read](const Summary& s) -> std::optional<double> {
                       const Summary* b = find_broker(s, name);
                       return b == nullptr ? std::nullopt : read(*b);
                     },
                     {}});
    }
  }
  auto add = [&](const UserMetricSpec& spec) {
    if (std::none_of(out.begin(), out.end(), [&](const MetricDef& d) { return d.key == spec.name; })) {
      out.push_back(user_metric(spec));
    }
  };
  for (const UserMetricSpec& spec : cli) add(spec);
  for (const Topology* t : topologies) {
    for (const UserMetricSpec& spec : topology_metrics(*t)) add(spec);
  }
  return out;
}

UserMetricSpec parse_metric_option(const std::string& text) {
  constexpr const char* kExpected = "NAME=PATH or NAME=PATH:higher|lower|neutral, e.g. giant_pnl=brokers.giant.pnl:higher";
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw ParamError("--metric " + text + ": expected " + kExpected);
  }
  UserMetricSpec spec;
  spec.name = text.substr(0, eq);
  spec.path = text.substr(eq + 1);
  const std::size_t colon = spec.path.rfind(':');
  if (colon != std::string::npos) {
    const std::string better = spec.path.substr(colon + 1);
    if (better == "higher") spec.better = Better::higher;
    else if (better == "lower") spec.better = Better::lower;
    else if (better == "neutral") spec.better = Better::neutral;
    else throw ParamError("--metric " + text + ": unknown direction \"" + better + "\" (expected one of: higher, lower, neutral)");
    spec.path.resize(colon);
  }
  for (const auto& segment : split_path(spec.path)) {
    if (segment.empty()) throw ParamError("--metric " + text + ": empty segment in path (expected " + kExpected + ")");
  }
  return spec;
}

std::vector<std::optional<double>> metric_values(const std::vector<MetricDef>& defs, const Summary& summary) {
  std::vector<std::optional<double>> out;
  out.reserve(defs.size());
  for (const MetricDef& d : defs) out.push_back(d.read(summary));
  return out;
}

PathValue read_summary_path(const Summary& summary, const std::string& path) {
  const Summary* node = &summary;
  std::string where = "summary.json";
  std::string at;  // the path read so far
  for (const std::string& segment : split_path(path)) {
    std::string error;
    if (node->is_object()) {
      const auto it = node->find(segment);
      if (it == node->end()) {
        std::vector<std::string> keys, similar;
        for (const auto& [key, value] : node->items()) {
          keys.push_back(key);
          if (key.find(segment) != std::string::npos || segment.find(key) != std::string::npos) similar.push_back(key);
        }
        return {std::nullopt, (at.empty() ? std::string("summary.json") : at) + " has no key \"" + segment + "\" (" +
                                  (similar.empty() ? "" : "similar: " + listing(similar) + "; ") + "keys: " + listing(keys) + ")"};
      }
      node = &*it;
    } else if (node->is_array()) {
      node = list_item(*node, segment, at, error);
      if (node == nullptr) return {std::nullopt, error};
    } else {
      return {std::nullopt, at + " is " + kind_of(*node) + ", not a map or list, so it has no \"" + segment + "\""};
    }
    at += (at.empty() ? "" : ".") + segment;
  }
  if (node->is_number()) return {node->get<double>(), ""};
  if (node->is_boolean()) return {node->get<bool>() ? 1.0 : 0.0, ""};
  std::string error = path + " is " + kind_of(*node) + ", not a number";
  if (node->is_object()) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : node->items()) keys.push_back(key);
    error += " (keys: " + listing(keys) + ")";
  }
  return {std::nullopt, error};
}

void check_user_metrics(const std::vector<MetricDef>& defs, const std::vector<Summary>& summaries) {
  for (const MetricDef& d : defs) {
    if (!d.user) continue;
    std::string first_error;
    bool found = false;
    for (const Summary& s : summaries) {
      const PathValue v = read_summary_path(s, d.user->path);
      if (v.value) found = true;
      if (!v.value && first_error.empty()) first_error = v.error;
    }
    if (!found) user_error(*d.user, "path " + d.user->path + ": " + first_error);
  }
}

}  // namespace shardsim::app
