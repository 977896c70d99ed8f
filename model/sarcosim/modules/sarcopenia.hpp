// Sarcopenia status by the scenario's definition (EWGSOP2 by default; FNIH and AWGS 2019 too),
// with severe sarcopenia through a gait speed derived from strength. Updated at the end of each
// period (and at the start), recorded for all three definitions.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> sarcopenia_params();
std::unique_ptr<Module> make_sarcopenia(const ParamSet& params);
}  // namespace sarcosim
