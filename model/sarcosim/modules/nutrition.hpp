// Nutrition: each person's usual protein intake (g/kg/day), eaten less during hospital stays,
// cachexia and malnutrition; and a malnutrition state entered in the community and, more often,
// in hospital. Protein intake feeds muscle physiology (Houston 2008 gradient).
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> nutrition_params();
std::unique_ptr<Module> make_nutrition(const ParamSet& params);
}  // namespace sarcosim
