// Disease: chronic conditions that cut activity or drive catabolism, neurological events that
// cause neurogenic atrophy, and exposures with myopathy. One table row per condition holds its
// incidence by age and sex and its effects; every number is a parameter with a source.
// Onsets are drawn ahead (one hazard budget for all conditions, split by their shares at that age).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> disease_params();
std::unique_ptr<Module> make_disease(const ParamSet& params);

namespace disease {
enum Condition : int {
  kOsteoarthritis,
  kRheumatoidArthritis,
  kHeartFailure,
  kCopd,
  kDiabetes,
  kCancerCachexia,
  kStroke,
  kAls,
  kMultipleSclerosis,
  kSpinalCordInjury,
  kGuillainBarre,
  kCorticosteroids,
  kHeavyAlcohol,
  kConditionCount
};
constexpr std::uint16_t bit(Condition c) {
  return static_cast<std::uint16_t>(1u << c);
}
const char* condition_name(Condition c);

// Incidence per person-year at an age: per-1000 rate at 70 times exp(slope * (age - 70)).
inline double incidence(double per_1000_at_70, double slope, double age) {
  return per_1000_at_70 / 1000.0 * std::exp(slope * (age - 70));
}
}  // namespace disease
}  // namespace sarcosim
