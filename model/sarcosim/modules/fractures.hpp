// Fractures: given a fall, a fracture by site (hip, wrist, vertebral, humerus, other) whose chance
// rises with age and with osteoporosis; vertebral fractures also without a fall. A hip fracture
// always brings a hospital stay; other fractures sometimes. After a fracture mortality is raised
// for a while (Haentjens 2010; Bliuc 2009).
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> fractures_params();
std::unique_ptr<Module> make_fractures(const ParamSet& params);

namespace fracture {
enum Site : std::uint8_t {
  kNone = 0,
  kHip = 1,
  kWrist = 2,
  kVertebral = 3,
  kHumerus = 4,
  kOther = 5
};
inline constexpr int kSites = 6;
inline constexpr const char* kSiteNames[kSites] = {"none",      "hip",     "wrist",
                                                   "vertebral", "humerus", "other"};

// Mortality hazard ratio after a hip fracture (Haentjens 2010, Ann Intern Med 152:380: 5.75 in
// women and 7.95 in men in the first 3 months, then declining), by days since the fracture.
inline double hip_fracture_mortality_hr(double first_3_months, double months_3_12, double year_2,
                                        int days_since) {
  if (days_since < 91) return first_3_months;
  if (days_since < 365) return months_3_12;
  if (days_since < 730) return year_2;
  return 1.0;
}
}  // namespace fracture
}  // namespace sarcosim
