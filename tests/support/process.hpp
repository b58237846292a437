// Test support: runs the shardsim binary as a separate process and captures its exit code,
// stdout and stderr, so tests see exactly what a user sees.
#pragma once

#include <sys/wait.h>

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

}  // namespace shardsim::testing
