// The catalogue of protocol kinds.
#include "app/protocol_kinds.hpp"

namespace shardsim::app {

// Each kind's descriptor lives beside its parameter reader in app/protocol_<kind>.cpp.
ProtocolKind amm_kind();
ProtocolKind lending_kind();
ProtocolKind synthetics_kind();
ProtocolKind perps_kind();
ProtocolKind prediction_kind();

const std::vector<ProtocolKind>& protocol_kinds() {
  static const std::vector<ProtocolKind> kinds = [] {
    std::vector<ProtocolKind> k;
#ifdef SHARDSIM_HAS_AMM
    k.push_back(amm_kind());
#endif
#ifdef SHARDSIM_HAS_LENDING
    k.push_back(lending_kind());
#endif
#ifdef SHARDSIM_HAS_SYNTHETICS
    k.push_back(synthetics_kind());
#endif
#ifdef SHARDSIM_HAS_PERPS
    k.push_back(perps_kind());
#endif
#ifdef SHARDSIM_HAS_PREDICTION
    k.push_back(prediction_kind());
#endif
    return k;
  }();
  return kinds;
}

const ProtocolKind* find_protocol_kind(std::string_view kind) {
  for (const ProtocolKind& k : protocol_kinds()) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

}  // namespace shardsim::app
