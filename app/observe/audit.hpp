// Models the swarm's state audits of a finished world.
#pragma once

#include <optional>
#include <string>

#include "app/world/world.hpp"

namespace shardsim::app {

// The first negative balance on any shard's ledger, described; nothing when there is none.
std::optional<std::string> negative_balance(const World& world);

}  // namespace shardsim::app
