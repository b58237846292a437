// Dense account ids by first mention.
#include "app/account_book.hpp"

namespace shardsim::app {

protocols::AccountId AccountBook::intern(const std::string& name) {
  const auto [it, added] = ids_.try_emplace(name, static_cast<protocols::AccountId>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

std::optional<protocols::AccountId> AccountBook::find(const std::string& name) const {
  const auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace shardsim::app
