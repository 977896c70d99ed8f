// The intervention programmes, in schedule order. Each is a module in its own file; its
// parameters are the common ones (programme.hpp) plus its effect, with sources.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
#define SARCOSIM_PROGRAMME(name)              \
  std::span<const ParamSpec> name##_params(); \
  std::unique_ptr<Module> make_##name(const ParamSet& params);
SARCOSIM_PROGRAMME(resistance_training)
SARCOSIM_PROGRAMME(protein_supplement)
SARCOSIM_PROGRAMME(training_and_protein)
SARCOSIM_PROGRAMME(early_mobilisation)
SARCOSIM_PROGRAMME(electrical_stimulation)
SARCOSIM_PROGRAMME(fall_prevention_exercise)
SARCOSIM_PROGRAMME(hip_protectors)
SARCOSIM_PROGRAMME(vitamin_d)
SARCOSIM_PROGRAMME(hip_fracture_rehabilitation)
#undef SARCOSIM_PROGRAMME
}  // namespace sarcosim
