// A sweep: a base scenario, the parameters to vary and how (an explicit list, a full grid, or a
// Latin-hypercube or Sobol sample over ranges), times a number of replicates. The plan is a plain
// list of runs; where and how they run (threads, MPI ranks, Slurm shards) cannot change them.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sarcosim {

struct SweepRun {
  int index;
  // Parameter key -> value text, in no set order: a list's runs each set keys of their own.
  std::vector<std::pair<std::string, std::string>> values;

  // The value this run gives `key`, or "" where it keeps the base scenario's.
  std::string value_of(const std::string& key) const;
};

struct SweepPlan {
  std::filesystem::path file;
  std::filesystem::path base;  // the base scenario
  std::string name;
  std::string method;  // list, grid, lhs, sobol
  int replicates = 1;
  std::vector<std::string> overrides;   // applied to every run (agents, years, fixed values)
  std::vector<std::string> parameters;  // the varied keys, in order
  std::vector<SweepRun> runs;

  // "section.key=value" assignments of run k: the fixed overrides, then its own values.
  std::vector<std::string> assignments(const SweepRun& run) const;
  double agent_days() const;  // of the whole sweep, for --dry-run
};

struct SweepSizes {
  long long agents = 0;  // 0: as in the plan
  double years = 0;
  int replicates = 0;
};

// Reads and checks a sweep file; throws InputError naming file, line and key.
SweepPlan load_sweep(const std::filesystem::path& file, const SweepSizes& sizes = {});

}  // namespace sarcosim
