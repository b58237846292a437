// Lookups with defaults and the range checks of the portfolio-margin parameters.
#include "broker/margin_config.hpp"

#include <cmath>

namespace shardsim::broker {
namespace {

bool in_unit_interval(double x) { return std::isfinite(x) && x >= 0 && x <= 1; }
bool non_negative(double x) { return std::isfinite(x) && x >= 0; }

}  // namespace

double MarginConfig::scan_range_of(protocols::AssetId underlying) const {
  const auto it = scan_range.find(underlying);
  return it == scan_range.end() ? scan_range_default : it->second;
}

double MarginConfig::vol_annual_of(protocols::AssetId underlying) const {
  const auto it = vol_annual.find(underlying);
  return it == vol_annual.end() ? 0.0 : it->second;
}

double MarginConfig::haircut_of(std::string_view protocol) const {
  const auto it = haircuts.find(protocol);
  return it == haircuts.end() ? 0.0 : it->second;
}

std::optional<std::string> MarginConfig::invalid_reason() const {
  for (const auto& [asset, range] : scan_range) {
    if (!non_negative(range)) return "scan_range of asset " + std::to_string(asset) + " must be >= 0";
  }
  if (!non_negative(scan_range_default)) return "default scan range must be >= 0";
  if (!std::isfinite(extreme_multiplier) || extreme_multiplier < 1) return "extreme.multiplier must be >= 1";
  if (!in_unit_interval(extreme_fraction)) return "extreme.fraction must be within 0%..100%";
  if (!non_negative(basis_charge)) return "basis_charge must be >= 0";
  for (std::size_t i = 0; i < credits.size(); ++i) {
    const CreditPair& c = credits[i];
    const std::string at = "credits[" + std::to_string(i) + "]";
    if (c.a == c.b) return at + ".pair must name two different assets";
    if (!in_unit_interval(c.rate)) return at + ".rate must be within 0%..100%";
    if (!std::isfinite(c.ratio_a) || !std::isfinite(c.ratio_b) || c.ratio_a <= 0 || c.ratio_b <= 0) {
      return at + ".ratio must be > 0 on both legs";
    }
  }
  for (const auto& [protocol, haircut] : haircuts) {
    if (!in_unit_interval(haircut)) return "haircuts." + protocol + " must be within 0%..100%";
  }
  if (!non_negative(latency_z)) return "latency_z must be >= 0";
  if (!in_unit_interval(maintenance)) return "maintenance must be within 0%..100%";
  if (!in_unit_interval(resolution_charge)) return "resolution_charge must be within 0%..100%";
  for (const auto& [asset, vol] : vol_annual) {
    if (!non_negative(vol)) return "vol_annual of asset " + std::to_string(asset) + " must be >= 0";
  }
  return std::nullopt;
}

}  // namespace shardsim::broker
