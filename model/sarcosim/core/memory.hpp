// Memory a run will need, estimated before anything large is allocated, so that a run that would
// not fit is refused up front with the estimate instead of being killed by the kernel.
#pragma once

#include <cstddef>

#include "sarcosim/core/scenario.hpp"

namespace sarcosim {

struct MemoryEstimate {
  std::size_t bytes_per_agent;  // state columns, measured by building one agent
  std::size_t total_bytes;      // the run: state, the snapshot copy while writing, traces, events
};

// `events_held`: the run keeps its event log in memory (with checkpoints) rather than writing it
// to the result file as it goes.
MemoryEstimate estimate_memory(const Scenario& scenario, bool events_held = true);

// Bytes the system can still give (MemAvailable), or within this process's address-space limit
// (`ulimit -v`) if that leaves less; 0 if unknown.
std::size_t available_memory();

// Throws InputError naming the estimate and what is available when the run would not fit.
void check_memory(const Scenario& scenario, bool events_held = true);

}  // namespace sarcosim
