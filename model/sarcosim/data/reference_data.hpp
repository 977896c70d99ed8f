// Published tables compiled into the program, each with its source. A scenario can replace the
// life table and the age structure with CSV files of the same shape.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace sarcosim::data {

struct LifeTableRow {
  int age;
  double qx_male;
  double qx_female;
};
// US SSA period life table, calendar year 2019, ages 50-100.
std::span<const LifeTableRow> ssa_2019_life_table();
inline constexpr std::string_view kSsa2019Source =
    "SSA Office of the Chief Actuary, Period Life Tables, 2020 Trustees Report, Alternative 2, "
    "calendar year 2019 (e65 = 18.06 y men, 20.59 y women)";

struct AgeBandCount {
  int age_lower;  // the band is [age_lower, next band's age_lower); the last band is open
  double men;     // thousands
  double women;
};
// US resident population by 5-year age band and sex, 50+, July 2019.
std::span<const AgeBandCount> us_2019_age_structure();
inline constexpr std::string_view kUs2019Source =
    "US Census Bureau, Vintage 2019 national population estimates by age and sex "
    "(NC-EST2019-AGESEX), 1 July 2019; figures rounded to 0.1 million, to be verified against "
    "the table";

struct GripCentiles {
  int age;
  double men_p10, men_p50, men_p90;
  double women_p10, women_p50, women_p90;
};
// Normative grip strength (kg), British population, ages 50-90 in 5-year steps.
std::span<const GripCentiles> dodds_2014_grip_centiles();
inline constexpr std::string_view kDodds2014Source =
    "Dodds RM et al. 2014, PLoS One 9:e113637, Table 2 (12 British studies, n=49,964)";

}  // namespace sarcosim::data
