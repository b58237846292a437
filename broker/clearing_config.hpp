// Models the settings of the clearing cycles between brokers (topology `clearing:`): how often a
// cycle closes and whether it settles each obligation (gross) or only the nets (multilateral).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.hpp"

namespace shardsim::broker {

enum class ClearingMode : std::uint8_t { gross, multilateral };
constexpr std::string_view clearing_mode_name(ClearingMode m) {
  return m == ClearingMode::gross ? "gross" : "multilateral";
}

struct ClearingConfig {
  core::Duration cycle = core::Duration::min(1);  // > 0
  ClearingMode mode = ClearingMode::multilateral;
};

}  // namespace shardsim::broker
