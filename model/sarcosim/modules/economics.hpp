// Health economics: quality-adjusted life-years from an age-specific utility less decrements for
// recent fractures and falls, sarcopenia and care-home residence; and costs of hospital days,
// intensive care, fractures and care homes. Intervention modules tally their own costs into
// series named cost_<intervention>; `sarcosim compare` sums every cost_* series and discounts.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> economics_params();
std::unique_ptr<Module> make_economics(const ParamSet& params);
}  // namespace sarcosim
