// Runs a scenario: builds the population, runs the daily schedule over blocks of agents in
// parallel, reduces tallies in block order, and returns everything the output writer needs.
#pragma once

#include <atomic>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sarcosim/core/module.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/recording.hpp"
#include "sarcosim/core/scenario.hpp"

namespace sarcosim {

// Everything a run needs to continue from the end of a period: every column, the series, events
// and trace so far, and the modules' extra state. Read by io/checkpoint_file.
struct CheckpointData {
  int next_period = 0;
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> columns;  // raw bytes, by name
  std::vector<double> series;
  std::vector<Event> events;
  std::vector<float> trace;
  std::vector<std::pair<std::string, std::vector<double>>> extras;  // by module name
};

// The same, as views into the running simulation, for io/checkpoint_file to write without
// copying the state (at 10 million people a copy would be 2.7 GB).
struct CheckpointView {
  struct Column {
    std::string_view name;
    std::span<const std::uint8_t> bytes;
  };
  int next_period = 0;
  std::vector<Column> columns;
  std::span<const double> series;
  std::span<const Event> events;
  std::span<const float> trace;
  std::vector<std::pair<std::string, std::vector<double>>> extras;  // by module name
};

struct RunOptions {
  int threads = 0;                                     // 0: all cores
  std::function<void(double done_fraction)> progress;  // called after each period
  const std::atomic<bool>* stop = nullptr;             // set by a signal handler
  bool profile = false;  // time each module's step (CPU seconds summed over threads)
  // Checkpoints, at the end of the period in which a multiple of this many days is reached.
  std::int32_t checkpoint_every_days = 0;
  // Stop (after a checkpoint, throwing Stopped) at the end of the period reaching this day.
  std::int32_t stop_after_days = 0;
  const std::atomic<bool>* checkpoint_now = nullptr;  // SIGTERM: checkpoint and stop
  std::function<void(const CheckpointView&, std::int32_t day)> write_checkpoint;
  const CheckpointData* resume = nullptr;  // continue from here instead of the start
  // Receives the event log period by period, in log order, instead of RunResult::events keeping
  // it: a result file written as the run goes (at 30 years the log is most of a run's memory).
  // Not with checkpoints, which save the log so far.
  std::function<void(std::span<const Event>)> event_sink;
  // The most events handed to the sink at once (a period's come in several calls if need be):
  // the run holds a buffer of this many rather than a period's whole log a second time.
  std::size_t event_sink_batch = std::size_t{1} << 18;  // 3 MB
};

struct RunResult {
  Registry registry;
  Population population{0};
  std::vector<Period> periods;
  std::vector<double> series;  // [period][series][sex][band], sums (means not yet divided)
  std::vector<Event> events;
  // Daily state of traced people: values[(variable * days + day) * agents.size() + k].
  struct Trace {
    std::vector<std::uint32_t> agents;
    std::vector<std::string> variables, units;
    std::vector<float> values;
  } trace;
  std::uint64_t seed = 0;
  std::size_t agents = 0;
  std::int32_t days = 0;
  int threads = 0;
  double wall_seconds = 0;
  double setup_seconds = 0;  // population synthesis, modules' set-up and init
  // With RunOptions::profile: each module's CPU seconds (summed over threads) by phase.
  struct ModuleSeconds {
    std::string module;
    double phase[kPhases] = {};
    double total() const {
      double sum = 0;
      for (const double s : phase)
        sum += s;
      return sum;
    }
  };
  std::vector<ModuleSeconds> module_seconds;
  // Agent-days of living agents stepped daily (busy) and in all, and how many each module marked
  // busy first at period starts (in schedule order, counted to the period's end, with
  // RunOptions::profile; most of those days are given back when people go quiet again).
  double busy_agent_days = 0, agent_days = 0;
  std::vector<std::pair<std::string, double>> module_busy;
  // With RunOptions::profile: busy agent-days followed by another day of the period, and per
  // module how many of them it alone would have left quiet the next day (its mark_busy asked
  // for each busy person each day, apart from the others'): what stepping each module only for
  // the busy people it needs could spare.
  double busy_probed = 0;
  std::vector<std::pair<std::string, double>> module_alone_quiet;
  double probe_seconds = 0;  // CPU seconds the asking took (in wall_seconds, not in modules')

  double at(std::size_t period, SeriesId s, int sex, int band) const;
  double total(std::size_t period, SeriesId s) const;  // over sex and band
};

inline constexpr std::uint32_t kBlockSize = 4096;
// A block's threads touch only its own pages of sparse columns.
static_assert(kBlockSize % SparseColumn<std::uint8_t>::kPage == 0);

RunResult run_simulation(const Scenario& scenario, const RunOptions& options = {});

// R independent replicates with seeds seed, seed + 1, ... (replicate r of two scenarios shares
// its random numbers wherever they do not differ: common random numbers). Only the first keeps
// its population, events (or passes them to options.event_sink) and trace; the others keep their
// series, and their events are never held.
std::vector<RunResult> run_replicates(const Scenario& scenario, int replicates,
                                      const RunOptions& options = {});

// Throws InputError if the last replicate's seed (seed + replicates - 1) is outside run.seed's
// range: past 2^53 a seed cannot be told from its neighbour, and replicates would repeat.
void check_replicate_seeds(const Scenario& scenario, int replicates);

}  // namespace sarcosim
