// Falls: a fall hazard from age, sarcopenia (Yeung 2019), inactivity, conditions, living in a care
// home and the weeks after a hospital stay, with lasting differences between people (some fall
// again and again). No falls while bed-bound in hospital or in bed at home.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> falls_params();
std::unique_ptr<Module> make_falls(const ParamSet& params);

namespace physiology {
// Hazard ratio of falling in the days after discharge (Mahoney 2000: 8.0 falls per 1000
// person-days in the first 2 weeks vs 1.7 at 3 months): hr in days 0-13, then a linear return
// to 1 by day `until`.
inline double post_discharge_fall_hr(double hr, int until, int days_since_discharge) {
  if (days_since_discharge < 14) return hr;
  if (days_since_discharge >= until) return 1.0;
  return hr + (1.0 - hr) * (days_since_discharge - 14) / static_cast<double>(until - 14);
}
}  // namespace physiology
}  // namespace sarcosim
