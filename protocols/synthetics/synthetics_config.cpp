// Validation and default exchange fee rates of the synthetics parameters.
#include "protocols/synthetics/synthetics_config.hpp"

#include <array>

namespace shardsim::protocols::synthetics {

std::optional<std::string> Config::validate() const {
  if (synths.empty()) return "at least one synth (sUSD) is required";
  if (susd >= synths.size()) return "sUSD is not among the synths";
  for (std::size_t i = 0; i < synths.size(); ++i) {
    if (synths[i].asset == collateral) return "the collateral cannot be a synth";
    for (std::size_t j = 0; j < i; ++j) {
      if (synths[j].asset == synths[i].asset) return "a synth is listed twice";
    }
    if (reserve && synths[i].asset == *reserve) return "the reserve cannot be a synth";
    if (synths[i].fee_rate_wad < 0 || synths[i].fee_rate_wad > kWadUnit / 2) {
      return "an exchange fee rate is outside [0, 50%]";
    }
  }
  if (reserve && *reserve == collateral) return "the reserve cannot be the collateral";
  const auto in_unit = [](i128 r) { return r > 0 && r < kWadUnit; };
  if (!in_unit(issuance_ratio_wad)) return "issuance_ratio must lie strictly between 0 and 1";
  if (!in_unit(liquidation_ratio_wad)) return "liquidation_ratio must lie strictly between 0 and 1";
  if (issuance_ratio_wad >= liquidation_ratio_wad) return "issuance_ratio must be below liquidation_ratio";
  if (liquidation_penalty_wad < 0 || liquidation_penalty_wad >= kWadUnit) {
    return "liquidation_penalty must lie in [0, 1)";
  }
  if (wad_mul(kWadUnit + liquidation_penalty_wad, issuance_ratio_wad, Round::up) >= kWadUnit) {
    return "(1 + liquidation_penalty) * issuance_ratio must be below 1";
  }
  if (liquidation_delay < core::Duration{}) return "liquidation_delay must be >= 0";
  return std::nullopt;
}

i128 default_fee_rate_wad(std::optional<std::string_view> tracked_symbol) {
  if (!tracked_symbol) return 0;
  static constexpr std::array<std::string_view, 9> kForex = {"EUR", "JPY", "GBP", "CHF", "AUD",
                                                             "KRW", "CAD", "CNY", "INR"};
  for (const std::string_view code : kForex) {
    if (*tracked_symbol == code) return 3 * kPercentWad / 10;
  }
  return kPercentWad;
}

}  // namespace shardsim::protocols::synthetics
