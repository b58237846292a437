// Test support: runs the shardsim binary as a separate process and captures its exit code,
// stdout and stderr, so tests see exactly what a user sees.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace shardsim::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> out_lines() const {
    std::vector<std::string> lines;
    std::istringstream is(out);
    for (std::string l; std::getline(is, l);) lines.push_back(l);
    return lines;
  }
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("shardsim-test-" + std::to_string(::getpid())) / name;
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `SHARDSIM_BINARY args` through the shell, from the source tree.
inline ProcessResult run_shardsim(const std::string& args, const std::string& tag) {
  const auto dir = scratch_dir(tag);
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  const std::string cmd = std::string("cd '") + SHARDSIM_SOURCE_DIR + "' && '" + SHARDSIM_BINARY + "' " + args +
                          " > '" + out.string() + "' 2> '" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

struct InterruptedRun {
  bool exited = false;  // ended by exit(), not by a signal
  int exit_code = -1;
  std::string out;      // everything it printed on stdout
};

// Starts SHARDSIM_BINARY with `args` (no shell; stdout on a pipe, stderr to /dev/null), reads
// its stdout until `marker` has appeared, sends SIGINT (as Ctrl-C would), reads the rest and
// waits for it.
inline InterruptedRun interrupt_shardsim_after(const std::vector<std::string>& args, const std::string& marker) {
  InterruptedRun r;
  int fds[2];
  if (::pipe(fds) != 0) return r;
  const pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    ::close(fds[0]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(SHARDSIM_BINARY));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(SHARDSIM_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  char c;
  while (r.out.find(marker) == std::string::npos && ::read(fds[0], &c, 1) == 1) r.out += c;
  ::kill(pid, SIGINT);
  while (::read(fds[0], &c, 1) == 1) r.out += c;
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  r.exited = WIFEXITED(status);
  r.exit_code = r.exited ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace shardsim::testing
