#include "sarcosim/core/memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/simulation.hpp"

namespace sarcosim {

MemoryEstimate estimate_memory(const Scenario& scenario, bool events_held) {
  // One agent for one day makes every module declare its columns: their sizes are exact.
  Scenario one = scenario;
  one.params.set("run.agents", {1, {}, "estimate"});
  one.params.set("run.years", {1 / 365.25, {}, "estimate"});
  one.params.set("population.source", {0, "synthetic", "estimate"});
  one.params.set("output.trace", {0, {}, "estimate"});
  const RunResult r = run_simulation(one);
  const std::size_t per_agent = r.population.bytes_per_agent();
  const auto agents = static_cast<std::size_t>(scenario.params.integer("run.agents"));
  const double days = scenario.params.real("run.years") * kDaysPerYear;
  const auto traced = static_cast<std::size_t>(scenario.params.integer("output.trace"));
  // The state (the snapshot is written from it in place); the event log (12 bytes an event, about
  // 3 events per person-year; measured 2.5), whole or one period's; the trace (4 bytes a value,
  // ~16 values). Replicates after the first keep only their series, which are small.
  const double held_days =
      events_held ? days : static_cast<double>(scenario.params.integer("output.period_days"));
  const double events = scenario.params.boolean("output.events")
                            ? double{sizeof(Event)} * 3.0 * held_days / kDaysPerYear
                            : 0.0;
  const double bytes = static_cast<double>(agents) * (static_cast<double>(per_agent) + events) +
                       static_cast<double>(traced) * days * 16 * 4 + 64.0 * 1024 * 1024;
  return {per_agent, static_cast<std::size_t>(bytes)};
}

namespace {

// A "Key: N kB" line of a /proc file, in bytes (0 if absent).
std::size_t proc_kilobytes(const char* file, const std::string& wanted) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(wanted, 0) == 0) return std::stoull(line.substr(wanted.size())) * 1024;
  return 0;
}

// Room left under `ulimit -v`: the limit less the address space already mapped (libraries,
// thread stacks), or SIZE_MAX without a limit.
std::size_t address_space_room() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  const std::size_t mapped = proc_kilobytes("/proc/self/status", "VmSize:");
  return limit.rlim_cur > mapped ? static_cast<std::size_t>(limit.rlim_cur) - mapped : 0;
}

}  // namespace

std::size_t available_memory() {
  const std::size_t system = proc_kilobytes("/proc/meminfo", "MemAvailable:");
  const std::size_t room = address_space_room();
  if (system == 0) return room == SIZE_MAX ? 0 : room;
  return std::min(system, room);
}

void check_memory(const Scenario& scenario, bool events_held) {
  const MemoryEstimate e = estimate_memory(scenario, events_held);
  const std::size_t available = available_memory();
  if (available == 0 || e.total_bytes <= available) return;
  std::ostringstream msg;
  msg.precision(3);
  msg << "run.agents = " << scenario.params.integer("run.agents") << " needs about "
      << static_cast<double>(e.total_bytes) / (1u << 30) << " GiB (" << e.bytes_per_agent
      << " bytes of state per person" << (events_held ? ", plus the event log" : "")
      << "), but only " << static_cast<double>(available) / (1u << 30)
      << " GiB is available: use fewer agents"
      << (scenario.params.integer("output.trace") > 0 ? " or a smaller --trace" : "")
      << (events_held ? ", or output.events = false (runs with checkpoints hold the event log)"
                      : "");
  throw InputError(msg.str());
}

}  // namespace sarcosim
