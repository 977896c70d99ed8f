// Sweeps over MPI ranks (Open MPI through the MPI C API): rank 0 hands out runs one at a time as
// ranks ask for work, so slow runs do not idle the rest; each rank writes the result files of the
// runs it did (never the same file from two ranks); rank 0 writes the index. MPI is started only
// when the program was launched by mpirun (or srun), so a plain `sarcosim sweep` needs no MPI.
#pragma once

#include <filesystem>

#include "sarcosim/sweep/runner.hpp"

namespace sarcosim {

int mpi_world_size();  // 1 when not launched by an MPI launcher (or built without MPI)
bool is_mpi_worker();  // rank > 0
SweepReport run_sweep_mpi(const SweepPlan& plan, const std::filesystem::path& dir,
                          const SweepOptions& options);

}  // namespace sarcosim
