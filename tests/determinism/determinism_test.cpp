// Tests determinism: the same topology and seed give the same fingerprint in-process and across
// separate processes; another seed gives another fingerprint.
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>

#include "app/topology_loader.hpp"
#include "app/world.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

std::uint64_t fingerprint_of(const std::string& file, std::uint64_t seed) {
  const app::Topology t = app::load_topology_file(std::string(SHARDSIM_SOURCE_DIR) + "/" + file);
  app::World world(t, seed);
  world.run();
  return world.fingerprint();
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

TEST(Determinism, SameSeedSameFingerprint) {
  EXPECT_EQ(fingerprint_of("topologies/default.yaml", 1), fingerprint_of("topologies/default.yaml", 1));
  EXPECT_EQ(fingerprint_of("topologies/latency-models.yaml", 9), fingerprint_of("topologies/latency-models.yaml", 9));
}

TEST(Determinism, OtherSeedOtherFingerprint) {
  EXPECT_NE(fingerprint_of("topologies/default.yaml", 1), fingerprint_of("topologies/default.yaml", 2));
}

// Separate processes have different address layouts, so anything address-dependent that reaches
// the fingerprint (uninitialised padding copied into a payload, pointer-keyed maps) shows here.
class SeparateProcesses : public ::testing::TestWithParam<const char*> {};

TEST_P(SeparateProcesses, AgreeWithEachOtherAndInProcess) {
  const std::string file = GetParam();
  const auto a = testing::run_shardsim("run " + file + " --seed 5 --quiet --out " +
                                           testing::scratch_dir("det-a").string(), "det-a");
  const auto b = testing::run_shardsim("run " + file + " --seed 5 --quiet --out " +
                                           testing::scratch_dir("det-b").string(), "det-b");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto la = a.out_lines();
  const auto lb = b.out_lines();
  ASSERT_EQ(la.size(), 2u) << a.out;  // --quiet keeps exactly the seed= and fingerprint= lines
  EXPECT_EQ(la.front(), "seed=5");
  EXPECT_EQ(la.back(), lb.back());
  EXPECT_EQ(la.back(), "fingerprint=" + hex16(fingerprint_of(file, 5)));
}

INSTANTIATE_TEST_SUITE_P(Topologies, SeparateProcesses,
                         ::testing::Values("topologies/default.yaml", "topologies/chain.yaml",
                                           "topologies/replay.yaml"));

}  // namespace
}  // namespace shardsim
