// Parameters of the starting population ([population] in a scenario).
#pragma once

#include <span>

#include "sarcosim/core/params.hpp"

namespace sarcosim {
std::span<const ParamSpec> population_params();
std::span<const ParamSpec> run_params();     // [run]: agents, years, seed
std::span<const ParamSpec> output_params();  // [output]: what a result file holds
}  // namespace sarcosim
