// In-silico studies: impose an exposure (bed rest, one-leg immobilisation, intensive care) on a
// defined cohort on given days, the way a clinical study would, and mark its members so their
// trajectories can be traced and compared. This is how sarcosim reproduces Kortebein 2007 or
// Wall 2014, and how a teacher shows one hospital stay.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> cohort_params();
std::unique_ptr<Module> make_cohort(const ParamSet& params);
inline constexpr const char* kCohortMemberColumn = "cohort.member";
}  // namespace sarcosim
