// Version and build provenance written into every result file.
#pragma once

#include <string_view>

namespace sarcosim {

std::string_view version();     // the project version, e.g. "0.1.0"
std::string_view git_commit();  // the commit built from, "-dirty" if the tree had changes

// Result files carry this; `compare` and `info` refuse files of another format version.
inline constexpr int kResultFormatVersion = 1;
inline constexpr std::string_view kResultFormatName = "sarcosim-result";

}  // namespace sarcosim
