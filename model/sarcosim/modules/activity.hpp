// Physical activity: an ordered level per person (inactive, low, moderate, meets 150 min/wk).
// Each person has a lasting propensity; the level is the propensity less an age decline and the
// penalties of illness, hospital stays, hip fractures, care homes and fear after a fall.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> activity_params();
std::unique_ptr<Module> make_activity(const ParamSet& params);

namespace physiology {
// The level for a latent activity score, given cut points between the four levels.
inline std::uint8_t activity_level(double score, const double cut[3]) {
  return static_cast<std::uint8_t>((score > cut[0]) + (score > cut[1]) + (score > cut[2]));
}
}  // namespace physiology
}  // namespace sarcosim
