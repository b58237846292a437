// Replays the fuzz seed corpus through the fuzz target: every seed must load or raise
// TopologyError, and the seeds named valid_* must load.
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

namespace shardsim::app {
namespace {

const std::filesystem::path kCorpusDir =
    std::filesystem::path(SHARDSIM_SOURCE_DIR) / "tests/fuzz/corpus";

std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpusDir)) {
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

}  // namespace
}  // namespace shardsim::app
