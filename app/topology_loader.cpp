// Loads a topology: guards the YAML parse (depth, documents, syntax), then reads each section
// with MapReader and checks what the types alone cannot (references, ranges, duplicates).
#include "app/topology_loader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/yaml_reader.hpp"

namespace shardsim::app {
namespace {

using core::LatencyKind;
using core::LatencySpec;

constexpr int kNestingMax = 64;                     // maps and lists inside each other
constexpr std::uintmax_t kFileBytesMax = 16u << 20;  // 16 MiB
constexpr std::size_t kShardsMax = 65'536;
constexpr std::size_t kMessagePartMax = 300;        // chars of one part of an error line
constexpr std::size_t kShardIdCharsMax = 64;
constexpr std::size_t kListedShardsMax = 10;

constexpr std::string_view kLatencyExpected =
    "a latency map such as {model: constant, value: 24s}";
constexpr std::string_view kShardIdExpected =
    "a shard id of letters, digits, '_' or '-', e.g. lend";

// ---- error text -----------------------------------------------------------------------------

// One line, bounded: control characters escaped, long parts cut.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMessagePartMax)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
      continue;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += c == '\n' ? std::string("\\n")
                     : std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xF];
  }
  if (text.size() > kMessagePartMax) out += "...";
  return out;
}

std::string error_line(const std::string& file, int line, int column, const std::string& path,
                       const std::string& message, const std::string& expected) {
  std::ostringstream out;
  out << file << ':' << line << ':' << column << ": " << path << ": " << message;
  if (!expected.empty()) out << " (expected " << expected << ')';
  return out.str();
}

// ---- parsing guards -------------------------------------------------------------------------

// Raised from inside the yaml-cpp parser to stop it early; converted to TopologyError.
struct StructureError {
  YAML::Mark mark;
  std::string message;
  std::string expected;
};

// Counts nesting and documents from parser events, before any tree is built: deep input
// would otherwise recurse through yaml-cpp (and anything walking the tree) until the stack
// runs out.
class StructureCheck final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw StructureError{mark, "a second YAML document", "a single topology document"};
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    enter(mark);
  }
  void OnMapEnd() override { --depth_; }

 private:
  void enter(const YAML::Mark& mark) {
    if (++depth_ > kNestingMax) {
      throw StructureError{mark, "nested deeper than " + std::to_string(kNestingMax) + " levels",
                           "at most " + std::to_string(kNestingMax) + " nested maps and lists"};
    }
  }
  int depth_ = 0;
  int documents_ = 0;
};

[[noreturn]] void fail_structure(const ReadContext& ctx, const StructureError& error) {
  fail_at(ctx, error.mark, "(syntax)", error.message, error.expected);
}

void check_structure(const std::string& text, const ReadContext& ctx) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  StructureCheck check;
  try {
    while (parser.HandleNextDocument(check)) {
    }
  } catch (const StructureError& error) {
    fail_structure(ctx, error);
  }
}

[[noreturn]] void fail_yaml(const ReadContext& ctx, const YAML::Exception& error) {
  const bool syntax = dynamic_cast<const YAML::ParserException*>(&error) != nullptr;
  fail_at(ctx, error.mark, syntax ? "(syntax)" : "(root)",
          (syntax ? "invalid YAML: " : "unreadable YAML: ") + error.msg,
          "valid YAML");
}

// ---- latency --------------------------------------------------------------------------------

void read_constant(MapReader& m, LatencySpec& spec) {
  spec.value = m.required_duration("value");
}

void read_uniform(MapReader& m, LatencySpec& spec) {
  spec.low = m.required_duration("low");
  const Field high = m.required("high", "a duration with a unit, e.g. 12s");
  spec.high = high.duration();
  if (spec.high < spec.low) {
    high.fail("high " + spec.high.str() + " is below low " + spec.low.str(),
              "high >= low");
  }
}

void read_lognormal(MapReader& m, LatencySpec& spec) {
  spec.median = m.required_duration("median");
  spec.sigma = m.required_decimal("sigma", Sign::positive);
}

void read_normal(MapReader& m, LatencySpec& spec) {
  spec.mean = m.required_duration("mean");
  spec.stddev = m.required_duration("stddev");
}

core::EmpiricalPoint read_empirical_point(const Field& item) {
  if (item.node().IsScalar()) return {item.duration(), 1.0};
  MapReader m(item, "a duration such as 2s or a map such as {value: 2s, weight: 3}");
  core::EmpiricalPoint point;
  point.value = m.required_duration("value");
  point.weight = m.optional_decimal("weight", 1.0, Sign::positive);
  m.finish();
  return point;
}

void read_empirical(MapReader& m, LatencySpec& spec) {
  const Field table = m.required("table", "a list such as [2s, 3s] or [{value: 2s, weight: 3}]");
  for (const Field& item : table.items("a list such as [2s, 3s] or [{value: 2s, weight: 3}]")) {
    spec.table.push_back(read_empirical_point(item));
  }
  if (spec.table.empty()) {
    table.fail("empty table", "at least one entry, e.g. [2s, 3s] or [{value: 2s, weight: 3}]");
  }
  double weight_sum = 0;
  for (const core::EmpiricalPoint& point : spec.table) weight_sum += point.weight;
  if (!std::isfinite(weight_sum)) table.fail("the weights add up to infinity", "a finite sum");
}

struct LatencyModel {
  std::string_view name;
  LatencyKind kind;
  void (*read)(MapReader&, LatencySpec&);
};

constexpr std::array<LatencyModel, 5> kLatencyModels{{
    {"constant", LatencyKind::constant, read_constant},
    {"uniform", LatencyKind::uniform, read_uniform},
    {"lognormal", LatencyKind::lognormal, read_lognormal},
    {"normal", LatencyKind::normal, read_normal},
    {"empirical", LatencyKind::empirical, read_empirical},
}};
constexpr std::string_view kLatencyModelsExpected =
    "one of: constant, uniform, lognormal, normal, empirical";

const LatencyModel& find_latency_model(const Field& field) {
  const std::string name = field.text(kLatencyModelsExpected);
  for (const LatencyModel& model : kLatencyModels) {
    if (model.name == name) return model;
  }
  field.fail("unknown latency model " + quote(name), kLatencyModelsExpected);
}

LatencySpec read_latency(const Field& field) {
  MapReader m(field, kLatencyExpected);
  const LatencyModel& model = find_latency_model(m.required("model", kLatencyModelsExpected));
  LatencySpec spec;
  spec.kind = model.kind;
  model.read(m, spec);
  if (auto min = m.optional("min")) spec.min = min->duration();
  m.finish();
  return spec;
}

// ---- shards ---------------------------------------------------------------------------------

bool is_shard_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

std::string read_shard_id(const Field& field) {
  std::string id = field.text(kShardIdExpected);
  const bool valid = id.size() <= kShardIdCharsMax &&
                     std::all_of(id.begin(), id.end(), is_shard_id_char);
  if (!valid) field.fail("invalid shard id " + quote(id), kShardIdExpected);
  return id;
}

// Shard id -> the line it was first defined on.
using ShardLines = std::map<std::string, std::size_t, std::less<>>;

ShardSpec read_shard(const Field& item, ShardLines& seen) {
  MapReader m(item, "a shard map such as {id: a, slot: 12s, gas_per_block: 30M}");
  ShardSpec shard;
  shard.line = static_cast<std::size_t>(item.line());
  const Field id = m.required("id", kShardIdExpected);
  shard.id = read_shard_id(id);
  const auto [first, inserted] = seen.emplace(shard.id, shard.line);
  if (!inserted) {
    id.fail("duplicate shard id " + quote(shard.id) + ", first defined on line " +
                std::to_string(first->second),
            "a unique shard id");
  }
  shard.slot = m.required_duration("slot");
  if (const auto offset = m.optional("slot_offset")) {
    shard.slot_offset = offset->duration(Sign::non_negative);
    if (shard.slot_offset >= shard.slot) {
      offset->fail("slot_offset " + shard.slot_offset.str() + " is not below the slot " +
                       shard.slot.str(),
                   "0 <= slot_offset < slot");
    }
  }
  shard.gas_per_block = m.required_count("gas_per_block", 1);
  m.finish();
  return shard;
}

std::vector<ShardSpec> read_shards(const Field& field) {
  constexpr std::string_view expected = "a non-empty list of shards";
  std::vector<ShardSpec> shards;
  const std::vector<Field> items = field.items(expected);
  if (items.empty()) field.fail("no shards", expected);
  if (items.size() > kShardsMax) {
    field.fail(std::to_string(items.size()) + " shards", "at most " + std::to_string(kShardsMax));
  }
  ShardLines seen;
  for (const Field& item : items) shards.push_back(read_shard(item, seen));
  return shards;
}

// ---- links ----------------------------------------------------------------------------------

std::string shard_list(const std::vector<ShardSpec>& shards) {
  std::string out;
  for (std::size_t i = 0; i < shards.size() && i < kListedShardsMax; ++i) {
    out += (i == 0 ? "" : ", ") + shards[i].id;
  }
  if (shards.size() > kListedShardsMax) out += ", ...";
  return out;
}

// Shard id -> index into Topology::shards, for resolving references.
using ShardIndex = std::map<std::string, std::uint32_t, std::less<>>;

ShardIndex index_shards(const std::vector<ShardSpec>& shards) {
  ShardIndex index;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    index.emplace(shards[i].id, static_cast<std::uint32_t>(i));
  }
  return index;
}

std::uint32_t read_shard_ref(const Field& field, const Topology& topology,
                             const ShardIndex& index) {
  const std::string id = field.text(kShardIdExpected);
  const auto found = index.find(id);
  if (found == index.end()) {
    field.fail("unknown shard " + quote(id), "one of: " + shard_list(topology.shards));
  }
  return found->second;
}

// (from, to) -> the line the pair was first given on.
using PairLines = std::map<std::pair<std::uint32_t, std::uint32_t>, int>;

LinkPair read_pair(const Field& item, const Topology& topology, const ShardIndex& index,
                   PairLines& seen) {
  MapReader m(item, "a link map such as {from: a, to: b, latency: {...}}");
  LinkPair pair;
  pair.from = read_shard_ref(m.required("from", kShardIdExpected), topology, index);
  const Field to = m.required("to", kShardIdExpected);
  pair.to = read_shard_ref(to, topology, index);
  if (pair.to == pair.from) {
    to.fail("link from " + quote(topology.shards[pair.from].id) + " to itself",
            "two different shards");
  }
  const auto [first, inserted] = seen.emplace(std::pair(pair.from, pair.to), item.line());
  if (!inserted) {
    item.fail("duplicate link from " + quote(topology.shards[pair.from].id) + " to " +
                  quote(topology.shards[pair.to].id) + ", first given on line " +
                  std::to_string(first->second),
              "each from/to pair once");
  }
  pair.latency = read_latency(m.required("latency", kLatencyExpected));
  m.finish();
  return pair;
}

LinksSpec read_links(const Field& field, const Topology& topology) {
  MapReader m(field, "a links map such as {default: {latency: {...}}, pairs: [...]}");
  LinksSpec links;
  constexpr std::string_view default_expected =
      "a map such as {latency: {model: constant, value: 24s}}";
  MapReader defaults(m.required("default", default_expected), default_expected);
  links.default_latency = read_latency(defaults.required("latency", kLatencyExpected));
  defaults.finish();
  if (const auto pairs = m.optional("pairs")) {
    const ShardIndex index = index_shards(topology.shards);
    PairLines seen;
    for (const Field& item : pairs->items("a list of {from, to, latency} maps")) {
      links.pairs.push_back(read_pair(item, topology, index, seen));
    }
  }
  m.finish();
  return links;
}

// ---- workload, limits, outputs --------------------------------------------------------------

WorkloadSpec read_workload(const Field& field) {
  constexpr std::string_view kinds = "one of: none, ping";
  MapReader m(field, "a workload map such as {kind: ping, per_shard_per_second: 50}");
  WorkloadSpec workload;
  const Field kind = m.required("kind", kinds);
  workload.kind = kind.text(kinds);
  if (workload.kind != "none" && workload.kind != "ping") {
    kind.fail("unknown workload kind " + quote(workload.kind), kinds);
  }
  workload.per_shard_per_second =
      m.optional_decimal("per_shard_per_second", workload.per_shard_per_second, Sign::non_negative);
  workload.payload_bytes = static_cast<std::uint32_t>(
      m.optional_count("payload_bytes", workload.payload_bytes, 0, kCount32Max));
  m.finish();
  return workload;
}

LimitsSpec read_limits(const Field& field) {
  MapReader m(field, "a limits map such as {max_pending_events: 1M}");
  LimitsSpec limits;
  limits.max_pending_events = m.optional_count("max_pending_events", limits.max_pending_events, 1);
  limits.max_events = m.optional_count("max_events", limits.max_events);
  limits.max_inflight_calls = static_cast<std::uint32_t>(
      m.optional_count("max_inflight_calls", limits.max_inflight_calls, 1, kCount32Max));
  m.finish();
  return limits;
}

OutputsSpec read_outputs(const Field& field) {
  MapReader m(field, "an outputs map such as {timeseries_every: 1m, trace: false}");
  OutputsSpec outputs;
  outputs.timeseries_every = m.optional_duration("timeseries_every", outputs.timeseries_every);
  outputs.trace = m.optional_bool("trace", outputs.trace);
  m.finish();
  return outputs;
}

// ---- the document ---------------------------------------------------------------------------

Topology read_topology(const Field& root) {
  constexpr std::string_view expected = "a topology map";
  if (root.node().IsNull() || !root.node().IsDefined()) root.fail("empty topology", expected);
  MapReader m(root, expected);
  Topology topology;
  topology.file = root.context().file;
  topology.name = m.required_string("name");
  topology.seed = m.optional_count("seed", topology.seed);
  topology.duration = m.required_duration("duration");
  topology.shards = read_shards(m.required("shards", "a non-empty list of shards"));
  topology.links = read_links(m.required("links", "a links map with a default latency"), topology);
  if (const auto field = m.optional("workload")) topology.workload = read_workload(*field);
  if (const auto field = m.optional("limits")) topology.limits = read_limits(*field);
  if (const auto field = m.optional("outputs")) topology.outputs = read_outputs(*field);
  m.finish();
  return topology;
}

}  // namespace

TopologyError::TopologyError(std::string file, int line, int column, std::string key_path,
                             std::string message, std::string expected)
    : std::runtime_error(error_line(one_line(file), line, column, one_line(key_path),
                                    one_line(message), one_line(expected))),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(one_line(key_path)),
      message_(one_line(message)),
      expected_(one_line(expected)) {}

Topology load_topology_string(std::string_view yaml_text, const std::string& file_name) {
  const ReadContext ctx{file_name};
  const std::string text(yaml_text);
  try {
    check_structure(text, ctx);
    const YAML::Node root = YAML::Load(text);
    return read_topology(Field(root, "", YAML::Mark(), ctx));
  } catch (const YAML::Exception& error) {
    fail_yaml(ctx, error);
  }
}

[[noreturn]] void fail_file(const std::string& path, const std::string& message) {
  throw TopologyError(path, 0, 0, "(file)", message, "a readable YAML topology file");
}

Topology load_topology_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) fail_file(path, "cannot open file: no such file");
  if (!std::filesystem::is_regular_file(path, error)) fail_file(path, "not a regular file");
  const std::uintmax_t bytes = std::filesystem::file_size(path, error);
  if (error) fail_file(path, "cannot open file: " + error.message());
  if (bytes > kFileBytesMax) fail_file(path, "file is larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_file(path, "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail_file(path, "cannot read file");
  return load_topology_string(text.str(), path);
}

}  // namespace shardsim::app
