// The effect columns interventions write and mechanisms read (shared_state.hpp lists them).
// Declared here, before any intervention, with neutral values.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> effects_params();
std::unique_ptr<Module> make_effects(const ParamSet& params);
}  // namespace sarcosim
