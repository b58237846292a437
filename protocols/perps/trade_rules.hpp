// Small rules shared by the perps operations: reading WAD arguments and telling whether a
// position change opens or increases a position (which then needs initial margin).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocols/api/protocol.hpp"

namespace shardsim::protocols::perps::detail {

inline i128 magnitude(i128 x) { return x < 0 ? -x : x; }

// Does moving a position from `before` to `after` open or increase it (a flip counts)?
inline bool increases(i128 before, i128 after) {
  if (after == 0) return false;
  if (before == 0 || (before > 0) != (after > 0)) return true;
  return magnitude(after) > magnitude(before);
}

// A WAD argument: "missing arg KEY" or "malformed arg KEY" on failure.
inline std::optional<i128> wad_arg(const OpArgs& args, std::string_view key, std::string& why) {
  if (!args.text(key)) {
    why = "missing arg " + std::string(key);
    return std::nullopt;
  }
  const auto v = args.wad(key);
  if (!v) why = "malformed arg " + std::string(key);
  return v;
}

}  // namespace shardsim::protocols::perps::detail
