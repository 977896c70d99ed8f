// Demography: ageing (implicit in birth_day) and death from the baseline life table.
// Death times are drawn ahead: each agent's unit-exponential budget E is spent against the
// cumulative hazard, so the day of death is found in closed form, with no draw per agent-day.
#pragma once

#include <memory>
#include <span>

#include "sarcosim/core/module.hpp"

namespace sarcosim {
std::span<const ParamSpec> demography_params();
std::unique_ptr<Module> make_demography(const ParamSet& params);
}  // namespace sarcosim
