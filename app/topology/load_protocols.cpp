// Reads `shards[].protocols`: each entry names a protocol kind, gives the instance a unique name,
// and hands its `params:` to that kind's own reader (app/protocol_<kind>.cpp).
#include <algorithm>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/loader_sections.hpp"
#include "app/topology/protocol_kinds.hpp"
#include "app/topology/topology_loader.hpp"

namespace shardsim::app::loader {
namespace {

constexpr std::string_view kEntryExpected = "a protocol map such as {kind: amm, name: uni, params: {...}}";
constexpr std::string_view kNameExpected = "a protocol name of letters, digits, '_' or '-', e.g. uni";

std::string kind_names() {
  std::string out;
  for (const ProtocolKind& k : protocol_kinds()) out += (out.empty() ? "" : ", ") + k.kind;
  return out.empty() ? "none: no protocol kind is built into this shardsim" : "one of: " + out;
}

ProtocolSpec read_protocol(const Field& item, const Refs& refs, ProtocolNames& seen) {
  MapReader m(item, kEntryExpected, keys::section("protocol"));
  ProtocolSpec spec;
  spec.line = static_cast<std::size_t>(item.line());
  const Field kind = m.required("kind", kind_names());
  spec.kind = kind.text(kind_names());
  const ProtocolKind* k = find_protocol_kind(spec.kind);
  if (k == nullptr) kind.fail("unknown protocol kind " + quote(spec.kind), kind_names());
  const Field name = m.required("name", kNameExpected);
  spec.name = read_name(name, "protocol name", "_-", kNameExpected);
  const auto [first, inserted] = seen.emplace(spec.name, spec.line);
  if (!inserted) {
    name.fail("duplicate protocol name " + quote(spec.name) + ", first defined on line " +
                  std::to_string(first->second),
              "a protocol name unique in the topology");
  }
  const std::optional<Field> params = m.optional("params");
  try {
    spec.params = k->read_params(params ? &*params : nullptr, refs.topology());
  } catch (const TopologyError& e) {
    // Without params the kind's defaults are wrong, and there is no params to point at: point at
    // the entry, under the key that would fix it.
    if (params) throw;
    Field(YAML::Node(), child_path(item.path(), "params"), item.mark(), item.context()).fail(e.message(), e.expected());
  }
  m.finish();
  check_protocol_builds(params ? *params : item, spec, refs.topology());
  return spec;
}

}  // namespace

std::vector<ProtocolSpec> read_protocols(const Field& field, const Refs& refs, ProtocolNames& seen) {
  std::vector<ProtocolSpec> out;
  for (const Field& item : field.items("a list of protocols, e.g. [{kind: amm, name: uni}]")) {
    out.push_back(read_protocol(item, refs, seen));
  }
  return out;
}

}  // namespace shardsim::app::loader
