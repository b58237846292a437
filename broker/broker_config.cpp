// Names of the broker's hedging and settlement choices, as the topology and the summary spell them.
#include "broker/broker_config.hpp"

namespace shardsim::broker {

const char* policy_name(HedgePolicy p) {
  switch (p) {
    case HedgePolicy::immediate: return "immediate";
    case HedgePolicy::threshold: return "threshold";
    case HedgePolicy::batch: return "batch";
    case HedgePolicy::none: return "none";
  }
  return "?";
}

const char* privacy_name(HedgePrivacy p) {
  switch (p) {
    case HedgePrivacy::public_mempool: return "public";
    case HedgePrivacy::private_flow: return "private";
    case HedgePrivacy::commit_reveal: return "commit_reveal";
  }
  return "?";
}

const char* atomicity_name(Atomicity a) {
  switch (a) {
    case Atomicity::optimistic: return "optimistic";
    case Atomicity::two_phase: return "two_phase";
    case Atomicity::yank: return "yank";
  }
  return "?";
}

const char* ordering_name(SettlementOrdering o) {
  switch (o) {
    case SettlementOrdering::fifo: return "fifo";
    case SettlementOrdering::risk_first: return "risk_first";
    case SettlementOrdering::deadline: return "deadline";
    case SettlementOrdering::netted_batch: return "netted_batch";
  }
  return "?";
}

}  // namespace shardsim::broker
