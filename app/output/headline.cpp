// The run headline from a summary, and its terminal text.
#include "app/output/headline.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace shardsim::app {
namespace {

using nlohmann::ordered_json;

double number_at(const ordered_json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : 0.0;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms >= 10'000 ? "%.0f s" : "%.1f s", ms / 1000.0);
  return buf;
}

}  // namespace

std::string format_usd(double usd) {
  if (usd == 0) return "0";
  const bool negative = usd < 0;
  const double a = std::fabs(usd);
  char buf[64];
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : "%.2f", a);
  std::string digits(buf);
  const std::size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot), out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string::npos) out += digits.substr(dot);
  return (negative && out != "0" && out != "0.00" ? "-" : "") + out;
}

ordered_json run_headline(const ordered_json& summary) {
  ordered_json h;
  if (summary.contains("fingerprint")) h["fingerprint"] = summary.at("fingerprint");
  h["complete"] = summary.value("complete", true);
  if (summary.contains("cascade")) {
    const ordered_json& c = summary.at("cascade");
    ordered_json layers = ordered_json::object();
    if (c.contains("bad_debt")) {
      for (const auto& [layer, usd] : c.at("bad_debt").items()) {
        if (usd.is_number()) layers[layer] = usd;
      }
    }
    h["bad_debt_usd"] = layers;
    std::uint64_t liquidations = 0;
    if (c.contains("liquidations")) {
      for (const auto& [who, per] : c.at("liquidations").items()) {
        for (const auto& [name, n] : per.items()) liquidations += n.is_number_unsigned() ? n.get<std::uint64_t>() : 0;
      }
    }
    h["liquidations"] = liquidations;
    h["cascade_depth"] = c.value("depth", 0);
  }
  if (summary.contains("brokers")) {
    h["brokers"] = ordered_json::array();
    for (const ordered_json& b : summary.at("brokers")) {
      const ordered_json& hedges = b.at("hedges");
      const ordered_json& latency = b.at("settlement_latency_ms");
      h["brokers"].push_back({{"name", b.at("name")},
                              {"pnl_usd", number_at(b, "pnl")},
                              {"margin_efficiency", number_at(b.at("margin"), "efficiency")},
                              {"hedges_settled", hedges.value("committed", 0)},
                              {"hedges_failed", hedges.value("compensated", 0)},
                              {"settlement_p50_s", number_at(latency, "p50") / 1000.0},
                              {"settlement_p99_s", number_at(latency, "p99") / 1000.0},
                              {"frontrun_loss_usd", number_at(b, "frontrun_loss")},
                              {"latency_loss_usd", number_at(b, "latency_loss")},
                              {"insolvent", b.value("insolvent", false)}});
    }
  }
  return h;
}

std::string headline_text(const ordered_json& h) {
  std::ostringstream out;
  out << "outcome" << (h.value("complete", true) ? "" : " (incomplete run)") << ":\n";
  if (h.contains("bad_debt_usd")) {
    out << "  bad debt (USD):";
    const char* sep = " ";
    for (const auto& [layer, usd] : h.at("bad_debt_usd").items()) {
      out << sep << layer << " " << format_usd(usd.get<double>());
      sep = " | ";
    }
    out << "\n  liquidations: " << h.value("liquidations", 0) << " | cascade depth: " << h.value("cascade_depth", 0) << "\n";
  }
  if (h.contains("brokers")) {
    for (const ordered_json& b : h.at("brokers")) {
      char eff[32];
      std::snprintf(eff, sizeof eff, "%.2fx", b.at("margin_efficiency").get<double>());
      out << "  broker " << b.at("name").get<std::string>() << ": P&L " << format_usd(b.at("pnl_usd").get<double>())
          << " USD | margin efficiency " << eff << " | hedges " << b.at("hedges_settled") << " settled, "
          << b.at("hedges_failed") << " failed | settlement p50 " << seconds(1000 * b.at("settlement_p50_s").get<double>())
          << ", p99 " << seconds(1000 * b.at("settlement_p99_s").get<double>()) << " | front-run loss "
          << format_usd(b.at("frontrun_loss_usd").get<double>()) << " USD | latency loss "
          << format_usd(b.at("latency_loss_usd").get<double>()) << " USD"
          << (b.at("insolvent").get<bool>() ? " | INSOLVENT" : "") << "\n";
    }
  }
  return out.str();
}

}  // namespace shardsim::app
