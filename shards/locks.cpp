// Two-phase prepare locks on a shard: taking, checking, ending and expiring them.
#include "shards/locks.hpp"

#include <algorithm>

namespace shardsim::shards {

void LockStats::merge(const LockStats& o) {
  taken += o.taken;
  committed += o.committed;
  released += o.released;
  expired += o.expired;
  refused += o.refused;
  blocked_reverted += o.blocked_reverted;
  blocked_waits += o.blocked_waits;
  hold_us_total += o.hold_us_total;
  hold_us.merge(o.hold_us);
}

void LockTable::held(const Lock& lock, core::SimTime end) {
  stats_.hold_us.add((end - lock.taken_at).count_us());
  stats_.hold_us_total += (end - lock.taken_at).count_us();
}

void LockTable::expire(core::SimTime now) {
  for (auto it = locks_.begin(); it != locks_.end();) {
    if (it->second.until > now) {
      ++it;
      continue;
    }
    ++stats_.expired;
    held(it->second, it->second.until);
    it = locks_.erase(it);
  }
}

bool LockTable::take(const Object& object, protocols::AccountId holder, core::SimTime now, core::SimTime until,
                     bool wait) {
  expire(now);
  const auto it = locks_.find(object);
  if (it != locks_.end()) {
    if (it->second.holder != holder) {
      ++stats_.refused;
      return false;
    }
    it->second.until = std::max(it->second.until, until);
    return true;
  }
  locks_.emplace(object, Lock{holder, now, until, wait});
  ++stats_.taken;
  return true;
}

const LockTable::Lock* LockTable::blocking(const Object& object, protocols::AccountId from, core::SimTime now) {
  if (locks_.empty()) return nullptr;
  expire(now);
  const auto it = locks_.find(object);
  if (it == locks_.end() || it->second.holder == from) return nullptr;
  return &it->second;
}

void LockTable::end(const Object& object, protocols::AccountId holder, core::SimTime now, bool committed) {
  const auto it = locks_.find(object);
  if (it == locks_.end() || it->second.holder != holder) return;
  if (it->second.until <= now) {
    expire(now);  // it had lapsed before the commit or release arrived
    return;
  }
  ++(committed ? stats_.committed : stats_.released);
  held(it->second, now);
  locks_.erase(it);
}

}  // namespace shardsim::shards
