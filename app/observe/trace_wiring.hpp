// Models how a trace sink is wired to a world: it observes messages, transactions, receipts,
// calls and broker events, and only reads, so a trace never changes the run or its fingerprint.
#pragma once

#include "app/observe/trace_sink.hpp"
#include "app/world/world.hpp"

namespace shardsim::app {

// `sink` sees every message and settlement event of `world` from now on (call before the run;
// it must outlive the run).
void attach_trace(World& world, TraceSink& sink);
// The names that make a trace's ids readable.
TraceNames trace_names(World& world);

}  // namespace shardsim::app
