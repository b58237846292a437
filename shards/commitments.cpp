// The commit-reveal book: commitments by sender and id, held reveals by maturity and commit order.
#include "shards/commitments.hpp"

#include <charconv>

namespace shardsim::shards {
namespace {

std::optional<std::uint64_t> number(const std::string& text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::string> Commitments::commit(const protocols::CrossCall& call, std::uint64_t height) {
  if (call.args.empty() || call.args.back().key != "reveal_delay") return "commit without reveal_delay";
  const std::optional<std::uint64_t> delay = number(call.args.back().value);
  if (!delay) return "commit with a bad reveal_delay";
  Stored s{call, height + *delay, next_seq_++};
  s.call.args.pop_back();
  s.call.flags = static_cast<std::uint8_t>(s.call.flags & ~(protocols::TxRequest::kCommit | protocols::TxRequest::kLeaked));
  if (!stored_.emplace(Key{call.from, call.tx_id}, std::move(s)).second) return "commitment already recorded";
  return std::nullopt;
}

std::optional<std::string> Commitments::reveal(const protocols::Receipt& receipt, const protocols::CrossCall& call,
                                               std::uint64_t height, std::optional<Due>& run_now) {
  run_now.reset();
  std::optional<std::uint64_t> id;
  for (const protocols::TxArg& a : call.args) {
    if (a.key == "commitment") id = number(a.value);
  }
  if (!id) return "reveal without a commitment";
  const auto it = stored_.find(Key{call.from, *id});
  if (it == stored_.end()) return "unknown commitment";
  Due d{receipt, std::move(it->second.call)};
  d.call.notify = call.notify;
  d.call.tx_id = call.tx_id;
  d.call.submitted_at_us = call.submitted_at_us;
  const std::uint64_t matures_at = it->second.matures_at, seq = it->second.seq;
  stored_.erase(it);
  if (matures_at <= height) {
    run_now = std::move(d);
  } else {
    held_.emplace(std::make_pair(matures_at, seq), std::move(d));
  }
  return std::nullopt;
}

std::vector<Commitments::Due> Commitments::due(std::uint64_t height) {
  std::vector<Due> out;
  while (!held_.empty() && held_.begin()->first.first <= height) {
    out.push_back(std::move(held_.begin()->second));
    held_.erase(held_.begin());
  }
  return out;
}

}  // namespace shardsim::shards
