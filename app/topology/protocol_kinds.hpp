// Models the catalogue of protocol kinds the topology can deploy: for each kind, how to read its
// `params:` (with the loader's one-line errors), which operations and argument keys a script may
// use, and how to build an instance. The composition root is the only place that knows them all.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/api/protocol.hpp"
#include "protocols/api/registry.hpp"

namespace shardsim::app {

class Field;
struct Topology;

// A kind's parsed parameters; each kind derives its own.
struct ProtocolParams {
  virtual ~ProtocolParams() = default;
};

struct ProtocolOp {
  std::string name;
  std::vector<std::string> args;  // argument keys the op accepts
};

struct ProtocolKind {
  std::string kind;
  // Reads `params:`; `params` is null when the entry has none (all defaults). `topology` gives
  // the assets declared so far. Bad input: Field::fail (one TopologyError line).
  std::function<std::shared_ptr<const ProtocolParams>(const Field* params, const Topology& topology)> read_params;
  // Builds the instance; `account` is the protocol's own account on the shard.
  std::function<std::unique_ptr<protocols::Protocol>(const ProtocolParams& params, const std::string& name,
                                                     protocols::AccountId account, const protocols::Registry& registry)>
      make;
  std::vector<ProtocolOp> ops;
};

const std::vector<ProtocolKind>& protocol_kinds();

// The assets of a synthetics protocol's parameters (for a broker that issues its synths), or
// nothing when `params` are another kind's.
struct SyntheticsAssets {
  std::uint32_t collateral = 0;
  std::uint32_t susd = 0;
  std::optional<std::uint32_t> reserve;
  protocols::i128 issuance_ratio_wad = 0;
};
std::optional<SyntheticsAssets> synthetics_assets(const ProtocolParams& params);
const ProtocolKind* find_protocol_kind(std::string_view kind);

}  // namespace shardsim::app
