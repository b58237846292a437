// Loads a topology: guards the YAML parse (depth, documents, syntax), then has each section read
// in dependency order (app/load_*.cpp) and reads the small ones itself (workload, limits,
// outputs).
#include "app/topology/topology_loader.hpp"
#include "app/topology/topology_keys.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/topology/loader_sections.hpp"
#include "app/topology/yaml_reader.hpp"

namespace shardsim::app {
namespace {

constexpr int kNestingMax = 64;                     // maps and lists inside each other
constexpr std::uintmax_t kFileBytesMax = 16u << 20;  // 16 MiB
constexpr std::size_t kMessagePartMax = 300;        // chars of one part of an error line

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

// ---- workload, limits, outputs --------------------------------------------------------------

WorkloadSpec read_workload(const Field& field) {
  constexpr std::string_view kinds = "one of: none, ping";
  MapReader m(field, "a workload map such as {kind: ping, per_shard_per_second: 50}", keys::section("workload"));
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
  MapReader m(field, "a limits map such as {max_pending_events: 1M}", keys::section("limits"));
  LimitsSpec limits;
  limits.max_pending_events = m.optional_count("max_pending_events", limits.max_pending_events, 1);
  limits.max_events = m.optional_count("max_events", limits.max_events);
  limits.max_inflight_calls = static_cast<std::uint32_t>(
      m.optional_count("max_inflight_calls", limits.max_inflight_calls, 1, kCount32Max));
  m.finish();
  return limits;
}

OutputsSpec read_outputs(const Field& field) {
  MapReader m(field, "an outputs map such as {timeseries_every: 1m, trace: false}", keys::section("outputs"));
  OutputsSpec outputs;
  outputs.timeseries_every = m.optional_duration("timeseries_every", outputs.timeseries_every);
  outputs.trace = m.optional_bool("trace", outputs.trace);
  m.finish();
  return outputs;
}

// ---- the document ---------------------------------------------------------------------------

// A script entry or fault at or after the run's end never happens: one warning each, at its `at`.
void warn_about_times(const Field& root, Topology& t) {
  auto warn = [&](const char* section, std::size_t i, core::SimTime at) {
    if (at.since_start() < t.duration) return;
    const YAML::Node node = root.node()[section][i]["at"];
    const Field field(node, child_path(item_path(section, i), "at"), root.mark(), root.context());
    t.warnings.push_back(field.warning("at " + at.str() + " is not before the end of the run (duration " + t.duration.str() +
                                           "): it never happens",
                                       "a time below " + t.duration.str()));
  };
  for (std::size_t i = 0; i < t.script.size(); ++i) warn("script", i, t.script[i].at);
  for (std::size_t i = 0; i < t.faults.size(); ++i) warn("faults", i, t.faults[i].at);
}

// Sections are read in dependency order (see loader_sections.hpp), whatever their order in
// the file: amounts need their asset's decimals, references need what they name.
Topology read_topology(const Field& root) {
  constexpr std::string_view expected = "a topology map";
  if (root.node().IsNull() || !root.node().IsDefined()) root.fail("empty topology", expected);
  MapReader m(root, expected, keys::section("topology"));
  Topology t;
  t.file = root.context().file;
  t.name = m.required_string("name");
  t.seed = m.optional_count("seed", t.seed);
  t.duration = m.required_duration("duration");
  if (const auto field = m.optional("assets")) t.assets = loader::read_assets(*field);
  const auto prices = m.optional("prices");
  if (prices) t.prices = loader::read_prices(*prices, t);
  if (t.prices.model == PriceModelKind::replay && t.prices.present) t.price_replay = loader::read_replay_rows(t.prices.replay_file);
  t.shards = loader::read_shards(m.required("shards", "a non-empty list of shards"), t);
  t.links = loader::read_links(m.required("links", "a links map with a default latency"), t);
  if (const auto field = m.optional("accounts")) t.accounts = loader::read_accounts(*field, t);
  const auto brokers = m.optional("brokers");
  if (brokers) t.brokers = loader::read_brokers(*brokers, t);
  if (const auto field = m.optional("clearing")) t.clearing = loader::read_clearing(*field, t);  // before the script's payments
  if (brokers) loader::check_counterparties(*brokers, t);
  if (const auto field = m.optional("faults")) t.faults = loader::read_faults(*field, t);  // may name brokers
  // The script before the agents: the instruments agents trade include those its operations add
  // (a market created at 1m lists its outcome shares: protocol_offer.hpp).
  if (const auto field = m.optional("script")) t.script = loader::read_script(*field, t);
  if (const auto field = m.optional("agents")) t.agents = loader::read_agents(*field, t);
  if (const auto field = m.optional("workload")) t.workload = read_workload(*field);
  if (const auto field = m.optional("limits")) t.limits = read_limits(*field);
  if (const auto field = m.optional("outputs")) t.outputs = read_outputs(*field);
  if (const auto field = m.optional("metrics")) loader::read_metrics(*field);  // checked here, read by topology_metrics()
  m.finish();
  // Checks that span sections: the price process with the script's moves and the faults.
  if (prices) loader::check_price_process(*prices, t);
  if (prices) loader::warn_about_prices(*prices, t);
  warn_about_times(root, t);
  return t;
}

Topology load_text(std::string_view yaml_text, const std::string& file_name,
                   const std::string& base_dir) {
  const ReadContext ctx{file_name, base_dir};
  const std::string text(yaml_text);
  try {
    check_structure(text, ctx);
    const YAML::Node root = YAML::Load(text);
    return read_topology(Field(root, "", YAML::Mark(), ctx));
  } catch (const YAML::Exception& error) {
    fail_yaml(ctx, error);
  }
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

Topology load_topology_string(std::string_view yaml_text, const std::string& file_name, const std::string& base_dir) {
  return load_text(yaml_text, file_name, base_dir);
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
  return load_text(text.str(), path, std::filesystem::path(path).parent_path().string());
}

}  // namespace shardsim::app
