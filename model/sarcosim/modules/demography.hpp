// Demography: ageing (implicit in birth_day) and death. The daily hazard is the life table's
// (constant within each year of age) times hazard ratios for low grip strength (Leong 2015), the
// person's conditions and recent fractures. Ratios are normalised by their mean in each sex and
// age band at the start, so the starting population dies at the life table's rates.
// Death is drawn ahead with a hazard budget (no draw per agent-day); the cause is attributed to
// background or to the factor behind the excess hazard, in proportion to the log hazard ratios.
#pragma once

#include <cmath>
#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> demography_params();
std::unique_ptr<Module> make_demography(const ParamSet& params);

namespace physiology {
// Leong 2015 (Lancet 386:266, PURE): all-cause mortality HR 1.16 per 5 kg lower grip. Relative to
// the age-sex norm median, so a person of median strength has ratio 1: hr_per_5kg to the power
// (median - grip) / 5, as exp() of log(hr_per_5kg), which a caller asking for every person and
// period works out once (exp costs half what pow does).
inline double grip_mortality_log_hr(double log_hr_per_5kg, double norm_median_kg, double grip_kg) {
  return log_hr_per_5kg * ((norm_median_kg - grip_kg) / 5.0);
}
inline double grip_mortality_hr_of_log(double log_hr_per_5kg, double norm_median_kg,
                                       double grip_kg) {
  return std::exp(grip_mortality_log_hr(log_hr_per_5kg, norm_median_kg, grip_kg));
}
inline double grip_mortality_hr(double hr_per_5kg, double norm_median_kg, double grip_kg) {
  return grip_mortality_hr_of_log(std::log(hr_per_5kg), norm_median_kg, grip_kg);
}
}  // namespace physiology
}  // namespace sarcosim
