// Muscle physiology: appendicular lean mass, grip strength and knee-extensor (leg) strength as
// separate states. Loss with age (strength faster than mass, Goodpaster 2006), slowed by activity
// and protein and sped by malnutrition and catabolic disease; front-loaded disuse loss in bed rest,
// intensive care and immobilisation; recovery after remobilisation that is slower and less
// complete with age; neurogenic loss after neurological events.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> muscle_params();
std::unique_ptr<Module> make_muscle(const ParamSet& params);
}  // namespace sarcosim
