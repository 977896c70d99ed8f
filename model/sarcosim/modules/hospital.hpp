// Hospital stays and bed rest: admissions by age and condition, and on request of other modules
// (fractures, strokes); length of stay; time bed-bound; intensive care; pressure ulcers and venous
// thrombosis that lengthen a stay; bed rest at home after illness; moves into care homes.
// It owns the disuse state that muscle physiology responds to.
#pragma once

#include <cmath>
#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> hospital_params();
std::unique_ptr<Module> make_hospital(const ParamSet& params);

namespace physiology {
// Lognormal length of stay (days, at least 1) from its median, log-SD and a standard normal.
inline int length_of_stay(double median, double sigma, double z) {
  const double d = median * std::exp(sigma * z);
  return d < 1 ? 1 : d > 365 ? 365 : static_cast<int>(std::lround(d));
}
}  // namespace physiology
}  // namespace sarcosim
