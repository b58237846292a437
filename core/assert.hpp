// Models invariant checking: SHARDSIM_ASSERT stays on in Release and, when it fires, prints the
// root seed and the simulated time of the run that breached it, then aborts.
#pragma once

#include <cstdint>

namespace shardsim::core {

// What an assertion reports about the run on this thread. The engine keeps it current.
struct RunContext {
  std::uint64_t seed = 0;
  std::int64_t now_us = 0;
  bool active = false;
};
RunContext& run_context();

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line, const char* detail);

}  // namespace shardsim::core

#define SHARDSIM_ASSERT(cond)                                                        \
  do {                                                                               \
    if (!(cond)) [[unlikely]]                                                        \
      ::shardsim::core::assertion_failed(#cond, __FILE__, __LINE__, nullptr);        \
  } while (0)

#define SHARDSIM_ASSERT_MSG(cond, detail)                                            \
  do {                                                                               \
    if (!(cond)) [[unlikely]]                                                        \
      ::shardsim::core::assertion_failed(#cond, __FILE__, __LINE__, (detail));       \
  } while (0)
