// Tests the progress line: its ETA format, that a long run on a terminal shows simulated time,
// events/s and ETA on stderr, and that with stderr not a terminal nothing of it is printed.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "app/cli/progress.hpp"
#include "tests/support/process.hpp"

namespace shardsim {
namespace {

const char* kLongTopology =
    "name: long\nduration: 100000d\n"
    "shards: [{id: a, slot: 12s, gas_per_block: 1M}, {id: b, slot: 12s, gas_per_block: 1M}]\n"
    "links: {default: {latency: {model: constant, value: 1s}}}\n"
    "workload: {kind: ping, per_shard_per_second: 1000}\n";

std::string write_long_topology(const std::string& tag) {
  const auto path = testing::scratch_dir(tag) / "long.yaml";
  std::ofstream(path) << kLongTopology;
  return path.string();
}

// Runs `command` in its own process group with stdout+stderr on a pipe; reads until `until`
// appears (or the pipe closes), then sends SIGINT to the group and returns all it printed.
std::string run_until(const std::string& command, const std::string& until) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string seen;
  char c;
  while (seen.find(until) == std::string::npos && ::read(fds[0], &c, 1) == 1) seen += c;
  ::kill(-pid, SIGINT);
  while (::read(fds[0], &c, 1) == 1) seen += c;
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  return seen;
}

TEST(Progress, EtaFormat) {
  EXPECT_EQ(app::format_eta(0), "0s");
  EXPECT_EQ(app::format_eta(59.4), "59s");
  EXPECT_EQ(app::format_eta(65), "1m05s");
  EXPECT_EQ(app::format_eta(3 * 3600 + 7 * 60 + 9), "3h07m");
  EXPECT_EQ(app::format_eta(-5), "0s");
}

TEST(Progress, LongRunOnATerminalShowsSimTimeRateAndEta) {
  const std::string topology = write_long_topology("progress-tty");
  const auto out = testing::scratch_dir("progress-tty-out");
  // `script` gives the run a pseudo-terminal, so its stderr is a terminal.
  const std::string seen = run_until("script -qec \"'" + std::string(SHARDSIM_BINARY) + "' run '" + topology +
                                         "' --out '" + out.string() + "'\" /dev/null",
                                     "ETA");
  EXPECT_NE(seen.find("\rsim "), std::string::npos) << seen;
  EXPECT_NE(seen.find("events/s"), std::string::npos) << seen;
  EXPECT_NE(seen.find("ETA"), std::string::npos) << seen;
}

TEST(Progress, NothingWhenStderrIsNotATerminal) {
  const std::string topology = write_long_topology("progress-pipe");
  const auto out = testing::scratch_dir("progress-pipe-out");
  // Wait past the 2 s threshold (the summary's wall time says how long it ran), then interrupt.
  const std::string seen = run_until("'" + std::string(SHARDSIM_BINARY) + "' run '" + topology + "' --out '" +
                                         out.string() + "' & pid=$!; sleep 3; kill -INT $pid; wait $pid",
                                     "\n\n\n");
  EXPECT_NE(seen.find("interrupted"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("ETA"), std::string::npos) << seen;
  EXPECT_EQ(seen.find('\r'), std::string::npos) << seen;
}

}  // namespace
}  // namespace shardsim
