// Muscle: appendicular lean mass and grip strength, and their loss with age. Strength is lost
// faster than mass (Goodpaster 2006). Each agent has its own loss-rate multiplier, because
// longitudinal studies show wide differences between people (Mitchell 2012).
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> muscle_params();
std::unique_ptr<Module> make_muscle(const ParamSet& params);
}  // namespace sarcosim
