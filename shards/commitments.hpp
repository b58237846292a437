// Models a shard's commit-reveal book (spec/clearing.md §4): a committed cross-shard call is
// stored here, not run, and its commitment fixes its place in commit order; its reveal runs it no
// earlier than the commitment's `reveal_delay` blocks after the block that recorded it. A reveal
// arriving early is held and runs at the start of its maturity block, ahead of every receipt,
// call and transaction of that block, held reveals in commit order (a reveal arriving mature runs
// on arrival, as any call). A searcher may still trade in the blocks before (if it inferred the
// intent) but can never get between a reveal and its place.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocols/api/tx.hpp"

namespace shardsim::shards {

class Commitments {
 public:
  // A stored call made due by its reveal: what to run, and the reveal's receipt (whose source
  // the result goes back to); the call carries the reveal's notify and tx_id.
  struct Due {
    protocols::Receipt receipt;
    protocols::CrossCall call;
  };

  // Records the commit `call` (its last arg `reveal_delay` stripped) at `height`; the reason
  // when it is malformed.
  std::optional<std::string> commit(const protocols::CrossCall& call, std::uint64_t height);
  // The reveal `call` arriving with `receipt` at `height`: the stored call to run now (mature),
  // or nothing when it is held for later; the reason when no commitment of its sender matches.
  std::optional<std::string> reveal(const protocols::Receipt& receipt, const protocols::CrossCall& call,
                                    std::uint64_t height, std::optional<Due>& run_now);
  // The held reveals whose commitments mature at or before `height`, in commit order (removed).
  std::vector<Due> due(std::uint64_t height);
  std::size_t pending() const { return stored_.size() + held_.size(); }

 private:
  struct Stored {
    protocols::CrossCall call;
    std::uint64_t matures_at = 0;  // height
    std::uint64_t seq = 0;         // commit order
  };
  using Key = std::pair<protocols::AccountId, std::uint64_t>;  // sender, the commit's tx_id
  std::map<Key, Stored> stored_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Due> held_;  // (matures_at, seq) -> due
  std::uint64_t next_seq_ = 0;
};

}  // namespace shardsim::shards
