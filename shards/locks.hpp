// Models the locks a two-phase prepare takes on a shard (spec/clearing.md §4, S-BAC style): a
// successful prepare vote locks the protocol object its commit will touch (an AMM pool, a perps
// market) for its holder until the commit consumes it, the holder releases it (abort), or it
// expires (the saga timed out). Other transactions touching a locked object revert or wait, as
// the holder asked; hold times and blocked transactions are counted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/histogram.hpp"
#include "core/time.hpp"
#include "protocols/api/ids.hpp"

namespace shardsim::shards {

struct LockStats {
  std::uint64_t taken = 0, committed = 0, released = 0, expired = 0;
  std::uint64_t refused = 0;          // prepares that found the object locked by another holder
  std::uint64_t blocked_reverted = 0;  // third-party transactions reverted by a lock
  std::uint64_t blocked_waits = 0;     // third-party transactions held back a block by a lock
  core::Histogram hold_us;             // taken -> committed, released or expired
  std::int64_t hold_us_total = 0;      // summed over locks: the time objects were locked
  void merge(const LockStats& o);      // adds another shard's
};

class LockTable {
 public:
  // The object of protocol `protocol` an op touches ("" = the whole protocol).
  using Object = std::pair<std::uint32_t, std::string>;
  struct Lock {
    protocols::AccountId holder = 0;
    core::SimTime taken_at, until;
    bool wait = false;  // others wait (stay in the mempool) rather than revert
  };

  // Locks `object` for `holder` until `until`; false if another holder has it. A holder taking
  // its own lock again extends it.
  bool take(const Object& object, protocols::AccountId holder, core::SimTime now, core::SimTime until, bool wait);
  // The lock that stops `from` touching `object` now, if any (expired locks are dropped here).
  const Lock* blocking(const Object& object, protocols::AccountId from, core::SimTime now);
  // The holder's commit ran (consumed) or it aborted (released): the lock goes.
  void end(const Object& object, protocols::AccountId holder, core::SimTime now, bool committed);
  bool any() const { return !locks_.empty(); }
  LockStats& stats() { return stats_; }
  const LockStats& stats() const { return stats_; }

 private:
  void expire(core::SimTime now);
  void held(const Lock& lock, core::SimTime end);
  std::map<Object, Lock> locks_;
  LockStats stats_;
};

}  // namespace shardsim::shards
