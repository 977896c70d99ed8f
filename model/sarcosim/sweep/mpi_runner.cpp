#include "sarcosim/sweep/mpi_runner.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

#include "sarcosim/core/errors.hpp"

#ifdef SARCOSIM_WITH_MPI
// The C API only: Open MPI's deprecated C++ bindings would need their own library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace sarcosim {

#ifdef SARCOSIM_WITH_MPI
namespace {

bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS"})
    if (std::getenv(v)) return true;
  return false;
}

int g_rank = 0, g_size = 1;

void start_mpi() {
  static bool started = false;
  if (started) return;
  started = true;
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  std::atexit([] {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  });
}

constexpr int kTagRequest = 1, kTagWork = 2;

}  // namespace

int mpi_world_size() {
  start_mpi();
  return g_size;
}

bool is_mpi_worker() {
  start_mpi();
  return g_rank > 0;
}

SweepReport run_sweep_mpi(const SweepPlan& plan, const std::filesystem::path& dir,
                          const SweepOptions& options) {
  start_mpi();
  SweepReport report;
  if (g_rank == 0) {
    prepare_sweep_dir(plan, dir);
    std::vector<int> todo;
    for (const SweepRun& run : plan.runs) {
      if (run_finished(dir, run.index))
        ++report.skipped;
      else
        todo.push_back(run.index);
    }
    std::size_t next = 0;
    int stopped = 0;
    while (stopped < g_size - 1) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &st);
      if (!flag) {  // poll gently: rank 0 shares a core with a worker
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      int last[2];  // {run index or -1, 1 done / 0 failed}
      MPI_Recv(last, 2, MPI_INT, st.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (last[0] >= 0) {
        (last[1] ? report.done : report.failed) += 1;
        if (!options.quiet)
          std::cerr << "  run " << last[0] << (last[1] ? " done" : " FAILED") << " on rank "
                    << st.MPI_SOURCE << " (" << report.done + report.failed << "/" << todo.size()
                    << ")\n";
      }
      const int work = next < todo.size() ? todo[next++] : -1;
      if (work < 0) ++stopped;
      MPI_Send(&work, 1, MPI_INT, st.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
    }
  } else {
    int last[2] = {-1, 0};
    while (true) {
      MPI_Send(last, 2, MPI_INT, 0, kTagRequest, MPI_COMM_WORLD);
      int work = -1;
      MPI_Recv(&work, 1, MPI_INT, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (work < 0) break;
      const std::string error =
          run_one(plan, plan.runs[static_cast<std::size_t>(work)], dir, options.threads);
      last[0] = work;
      last[1] = error.empty();
      (error.empty() ? report.done : report.failed) += 1;
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return report;
}

#else  // built without MPI: sweeps run on this machine only

int mpi_world_size() {
  return 1;
}
bool is_mpi_worker() {
  return false;
}
SweepReport run_sweep_mpi(const SweepPlan& plan, const std::filesystem::path& dir,
                          const SweepOptions& options) {
  return run_sweep(plan, dir, options);
}

#endif

}  // namespace sarcosim
