// Tests that `validate` and `run` agree: every shipped topology and every topology fixture of the
// suite (the fuzz corpora, the full section fixture) either fails to load with a TopologyError,
// or loads and builds a World without any error. A check of user input made only while building
// would show up here as a file that validates but does not build.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/topology/topology_loader.hpp"
#include "app/world/world.hpp"
#include "tests/unit/topology_sections_fixture.hpp"

namespace shardsim::app {
namespace {

std::vector<std::filesystem::path> fixture_files() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path root(SHARDSIM_SOURCE_DIR);
  for (const char* dir : {"topologies", "tests/fuzz/corpus", "tests/fuzz/corpus_world"}) {
    for (const auto& e : std::filesystem::directory_iterator(root / dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "": loads and builds; otherwise what went wrong, prefixed by the stage.
std::string validate_then_build(const std::string& text, const std::string& name, const std::string& base_dir) {
  Topology t;
  try {
    t = load_topology_string(text, name, base_dir);
  } catch (const TopologyError&) {
    return "";  // rejected by validate: run rejects it the same way
  }
  try {
    World world(t, t.seed);
  } catch (const std::exception& e) {
    return std::string("validates but does not build: ") + e.what();
  }
  return "";
}

TEST(ValidateIffBuilds, EveryTopologyAndFixture) {
  const auto files = fixture_files();
  ASSERT_GE(files.size(), 60u);
  int loaded = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(validate_then_build(text, path.string(), path.parent_path().string()), "");
    try {
      (void)load_topology_string(text, path.string(), path.parent_path().string());
      ++loaded;
    } catch (const TopologyError&) {
    }
  }
  EXPECT_GE(loaded, 30);  // most fixtures are valid: the sweep builds them, not only rejects them
}

TEST(ValidateIffBuilds, TheFullSectionFixture) {
  EXPECT_EQ(validate_then_build(std::string(sections_test::kFull), "full.yaml", ""), "");
}

}  // namespace
}  // namespace shardsim::app
