// Models the command line: `shardsim run`, `shardsim validate`, `--help`, `--version`. Every
// user error is one line on stderr and exit code 2.
#pragma once

namespace shardsim::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;     // bad topology or bad arguments
inline constexpr int kExitFailure = 3;   // the run hit a limit or could not write its results
inline constexpr int kExitInterrupted = 130;

int run_cli(int argc, char** argv);

}  // namespace shardsim::app
