// Checkpoint files: everything a run needs to continue (docs/reliability.md). Written under a
// temporary name and renamed, like result files, so a checkpoint on disk is always complete.
#pragma once

#include <filesystem>
#include <string>

#include "sarcosim/core/scenario.hpp"
#include "sarcosim/core/simulation.hpp"

namespace sarcosim {

void write_checkpoint_file(const std::filesystem::path& file, const Scenario& scenario,
                           const CheckpointView& data, std::int32_t day);

struct LoadedCheckpoint {
  Scenario scenario;  // the resolved scenario the run was started with
  CheckpointData data;
  std::int32_t day = 0;
};

// Throws IoError for files that are not sarcosim checkpoints (or of another version).
LoadedCheckpoint read_checkpoint_file(const std::filesystem::path& file);

}  // namespace sarcosim
