// Reporting side of SHARDSIM_ASSERT: prints the breach with the seed and simulated time.
#include "core/assert.hpp"

#include <cstdio>
#include <cstdlib>

#include "core/time.hpp"

namespace shardsim::core {

RunContext& run_context() {
  thread_local RunContext ctx;
  return ctx;
}

void assertion_failed(const char* expr, const char* file, int line, const char* detail) {
  const RunContext& ctx = run_context();
  const std::string t = SimTime::from_us(ctx.now_us).str();
  std::fprintf(stderr, "shardsim: invariant breached: %s%s%s at %s:%d; seed=%llu sim_time=%s (%lldus)\n",
               expr, detail ? ": " : "", detail ? detail : "", file, line,
               static_cast<unsigned long long>(ctx.seed), t.c_str(), static_cast<long long>(ctx.now_us));
  std::fflush(stderr);
  std::abort();
}

}  // namespace shardsim::core
