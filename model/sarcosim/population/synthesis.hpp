// The starting population: drawn from published age structure and body-size distributions, or
// loaded from a researcher's cohort CSV (missing body measures drawn for their age and sex).
#pragma once

#include <cstdint>

#include "sarcosim/core/params.hpp"
#include "sarcosim/core/population.hpp"
#include "sarcosim/core/rng.hpp"

namespace sarcosim {

// Makes the core columns for `agents` people (or for the CSV's rows) and fills them.
Population make_population(const ParamSet& params, const Rng& rng, std::size_t agents);

// Expected grip (kg) at an age, and its SD: Dodds 2014 P50 and (P90 - P10) / 2.563.
struct GripNorm {
  double median;
  double sd;
};
GripNorm grip_norm(double age, std::uint8_t sex);

}  // namespace sarcosim
