// Models the claim of message kinds: every message type that is encoded claims its kind once, and
// two different types claiming one kind is an invariant breach.
#include "core/codec.hpp"

#include <map>
#include <mutex>
#include <string>

#include "core/assert.hpp"

namespace shardsim::core {

bool claim_message_kind(MsgKind kind, const char* type) {
  static std::mutex mutex;
  static std::map<MsgKind, std::string> owners;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto [it, inserted] = owners.emplace(kind, type);
  if (!inserted && it->second != type) {
    const std::string detail = "message kind " + std::to_string(kind) + " is claimed by " + it->second + " and " + type;
    assertion_failed("unique message kind", __FILE__, __LINE__, detail.c_str());
  }
  return true;
}

}  // namespace shardsim::core
