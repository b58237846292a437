// Replays the fuzz seed corpora through the fuzz targets: every loader seed must load or raise
// TopologyError, and the seeds named valid_* must load; every world seed must go through the world
// target (load, build, a short capped run) without an exception or a conservation breach.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/topology/topology_loader.hpp"

#ifndef SHARDSIM_SOURCE_DIR
#define SHARDSIM_SOURCE_DIR "."
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
int shardsim_fuzz_world_one_input(const std::uint8_t* data, std::size_t size);  // tests/fuzz/fuzz_world.cpp

namespace shardsim::app {
namespace {

const std::filesystem::path kCorpusDir =
    std::filesystem::path(SHARDSIM_SOURCE_DIR) / "tests/fuzz/corpus";
const std::filesystem::path kWorldCorpusDir =
    std::filesystem::path(SHARDSIM_SOURCE_DIR) / "tests/fuzz/corpus_world";

std::vector<std::filesystem::path> corpus_files(const std::filesystem::path& dir = kCorpusDir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(FuzzCorpus, HasSeeds) {
  ASSERT_TRUE(std::filesystem::is_directory(kCorpusDir)) << kCorpusDir;
  EXPECT_GE(corpus_files().size(), 10u);
}

TEST(FuzzCorpus, EverySeedLoadsOrRaisesTopologyError) {
  for (const auto& path : corpus_files()) {
    SCOPED_TRACE(path.string());
    const std::string bytes = read_bytes(path);
    EXPECT_NO_THROW(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                           bytes.size()));
  }
}

TEST(FuzzCorpus, ValidSeedsLoad) {
  int valid = 0;
  for (const auto& path : corpus_files()) {
    if (path.filename().string().rfind("valid_", 0) != 0) continue;
    ++valid;
    try {
      (void)load_topology_file(path.string());
    } catch (const TopologyError& error) {
      ADD_FAILURE() << error.what();
    }
  }
  EXPECT_GE(valid, 3);
}

TEST(FuzzWorldCorpus, EverySeedBuildsAndRunsOrRaisesTopologyError) {
  const auto files = corpus_files(kWorldCorpusDir);
  EXPECT_GE(files.size(), 10u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const std::string bytes = read_bytes(path);
    EXPECT_NO_THROW(shardsim_fuzz_world_one_input(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  }
}

TEST(FuzzWorldCorpus, ValidSeedsLoad) {
  int valid = 0;
  for (const auto& path : corpus_files(kWorldCorpusDir)) {
    const std::string name = path.filename().string();
    if (name.rfind("valid_", 0) != 0 && name.rfind("topology_", 0) != 0) continue;
    ++valid;
    try {
      (void)load_topology_string(read_bytes(path), path.string());
    } catch (const TopologyError& error) {
      ADD_FAILURE() << error.what();
    }
  }
  EXPECT_GE(valid, 10);
}

}  // namespace
}  // namespace shardsim::app
