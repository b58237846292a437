// The catalogue of protocol kinds.
#include "app/topology/protocol_kinds.hpp"

namespace shardsim::app {

// Each kind's descriptor lives beside its parameter reader in app/topology/protocol_<kind>.cpp.
ProtocolKind amm_kind();
ProtocolKind lending_kind();
ProtocolKind synthetics_kind();
ProtocolKind perps_kind();
ProtocolKind prediction_kind();
ProtocolKind options_kind();
ProtocolKind darkpool_kind();

const std::vector<ProtocolKind>& protocol_kinds() {
  static const std::vector<ProtocolKind> kinds = [] {
    return std::vector<ProtocolKind>{amm_kind(), lending_kind(), synthetics_kind(), perps_kind(), prediction_kind(),
                                     options_kind(), darkpool_kind()};
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
