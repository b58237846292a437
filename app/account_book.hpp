// Models account naming: every account the world will ever touch gets a dense id, assigned in a
// fixed order (topology accounts, then names the script sends to, then per-shard system
// accounts), so ids never depend on run-time order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocols/api/ids.hpp"

namespace shardsim::app {

class AccountBook {
 public:
  protocols::AccountId intern(const std::string& name);
  std::optional<protocols::AccountId> find(const std::string& name) const;
  const std::string& name(protocols::AccountId id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::map<std::string, protocols::AccountId> ids_;
};

}  // namespace shardsim::app
