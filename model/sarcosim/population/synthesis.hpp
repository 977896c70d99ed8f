// The starting population: drawn from published age structure and body-size distributions, or
// loaded from a researcher's cohort CSV (missing body measures drawn for their age and sex).
#pragma once

#include <cstdint>

#include "sarcosim/core/day_of_age_table.hpp"
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

// grip_norm(age_years(day, birth_day), sex), read from a table of every whole day of age (0-130
// years, one per sex, 1.5 MB, built once): the same doubles without the search and the divisions.
// It is asked for every person at every period's end, twice (demography, sarcopenia); people
// stored oldest first (make_population) read neighbouring entries. A module keeps one and looks
// up inline.
class GripNorms {
 public:
  GripNorms();
  GripNorm operator()(std::int32_t day, std::int32_t birth_day, std::uint8_t sex) const {
    return (*by_sex_[sex != kMale])(day, birth_day);
  }

 private:
  const BasicDayOfAgeTable<GripNorm>* by_sex_[2];
};

}  // namespace sarcosim
