// Running a sweep: on one machine (runs in parallel), over MPI ranks (dynamic hand-out), or as
// one Slurm array task's shard. Every run writes its own result file (atomically), so a sweep
// can be resumed: finished runs are skipped, failed or missing ones are run again. A failed run
// is recorded with its error and the sweep goes on.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

#include "sarcosim/sweep/plan.hpp"

namespace sarcosim {

struct SweepOptions {
  int jobs = 0;               // runs at once on this machine (0: one per core)
  int threads = 1;            // threads per run
  int shard = 0, shards = 1;  // run only runs with index % shards == shard
  bool quiet = false;
  // Set by a signal: runs in progress stop at their next period and leave no file, no new run
  // starts, and run_sweep throws Interrupted (the same command later finishes the sweep).
  const std::atomic<bool>* stop = nullptr;
};

struct SweepReport {
  int done = 0, skipped = 0, failed = 0;
};

std::filesystem::path run_file(const std::filesystem::path& dir, int index);
std::filesystem::path error_file(const std::filesystem::path& dir, int index);

// Creates DIR and DIR/runs and writes DIR/plan.csv, the run list.
void prepare_sweep_dir(const SweepPlan& plan, const std::filesystem::path& dir);

// Prepares DIR (shard 0 only), then runs this process's share of the runs.
SweepReport run_sweep(const SweepPlan& plan, const std::filesystem::path& dir,
                      const SweepOptions& options);

// Runs one run of the plan into its file; returns the error message ("" when it succeeded). A run
// stopped by `stop` returns its message but records no error: it is not a failure, only undone.
std::string run_one(const SweepPlan& plan, const SweepRun& run, const std::filesystem::path& dir,
                    int threads, const std::atomic<bool>* stop = nullptr);

// Whether run `index` finished before: its file exists and reads. One that exists but does not
// read (damaged since) is removed, so that the run is done again.
bool run_finished(const std::filesystem::path& dir, int index);

// Writes DIR/index.h5 and DIR/index.csv from DIR/plan.csv and the run files found: each run's
// parameters, status (done, failed, missing), error, headline outcomes (means over replicates)
// and the path of (and an HDF5 external link to) its result file.
void write_sweep_index(const std::filesystem::path& dir);

}  // namespace sarcosim
