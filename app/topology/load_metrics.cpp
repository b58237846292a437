// Reads `metrics:`, the user-chosen metrics compare and sweep report beside their own: each NAME
// maps to a dotted path into the run's summary.json, optionally with the direction that is better.
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/topology/loader_sections.hpp"
#include "app/topology/topology_keys.hpp"

namespace shardsim::app::loader {
namespace {

constexpr std::string_view kPathExpected = "a dotted path into summary.json, e.g. brokers.giant.pnl";
constexpr std::string_view kBetterExpected = "one of: higher, lower, neutral";

Better read_better(const Field& field) {
  const std::string text = field.text(kBetterExpected);
  if (text == "higher") return Better::higher;
  if (text == "lower") return Better::lower;
  if (text == "neutral") return Better::neutral;
  field.fail("unknown direction " + quote(text), kBetterExpected);
}

// A path of non-empty segments of letters, digits, '_', '-' or ':' joined by dots.
std::string read_path(const Field& field) {
  const std::string path = field.text(kPathExpected);
  bool segment_empty = true;
  for (const char c : path) {
    const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == ':';
    if (c == '.') {
      if (segment_empty) field.fail("empty segment in path " + quote(path), kPathExpected);
      segment_empty = true;
    } else if (!word) {
      field.fail("invalid character in path " + quote(path), kPathExpected);
    } else {
      segment_empty = false;
    }
  }
  if (segment_empty) field.fail("empty segment in path " + quote(path), kPathExpected);
  return path;
}

}  // namespace

std::vector<UserMetricSpec> read_metrics(const Field& field) {
  std::vector<UserMetricSpec> out;
  MapReader m(field, "a map of metric names to summary paths, e.g. {giant_pnl: brokers.giant.pnl}");
  for (const MapReader::Item& item : m.items()) {
    UserMetricSpec spec;
    spec.name = read_name(item.key_field, "metric name", "_-.", "a metric name of letters, digits, '_', '-' or '.'");
    spec.file = item.value.context().file;
    spec.line = item.value.line();
    spec.column = item.value.mark().column + 1;
    spec.key_path = item.value.path();
    if (item.value.node().IsMap()) {
      MapReader entry(item.value, "a path or a map {path: PATH, better: higher | lower | neutral}", keys::section("metric"));
      const Field path = entry.required("path", kPathExpected);
      spec.path = read_path(path);
      spec.key_path = path.path();
      spec.line = path.line();
      spec.column = path.mark().column + 1;
      if (const auto better = entry.optional("better")) spec.better = read_better(*better);
      entry.finish();
    } else {
      spec.path = read_path(item.value);
    }
    out.push_back(spec);
  }
  return out;
}

}  // namespace shardsim::app::loader

namespace shardsim::app {

std::vector<UserMetricSpec> topology_metrics(const Topology& topology) {
  std::error_code error;
  if (topology.file.empty() || !std::filesystem::is_regular_file(topology.file, error)) return {};
  std::ifstream in(topology.file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const ReadContext ctx{topology.file, std::filesystem::path(topology.file).parent_path().string()};
  const YAML::Node root = YAML::Load(text.str());
  if (!root.IsMap() || !root["metrics"]) return {};
  return loader::read_metrics(Field(root["metrics"], "metrics", YAML::Mark(), ctx));
}

}  // namespace shardsim::app
