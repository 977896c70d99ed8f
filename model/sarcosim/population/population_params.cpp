#include "sarcosim/population/population_params.hpp"

#include "sarcosim/core/recording.hpp"

namespace sarcosim {

std::span<const ParamSpec> run_params() {
  static constexpr ParamSpec k[] = {
      int_param("run.agents", 20000, 1, 2e9, "people",
                "number of agents (ignored when a CSV "
                "population is loaded without resampling)",
                "run setting"),
      real_param("run.years", 10, 1.0 / 365.25, kMaxRunYears, "years",
                 "simulated time (at most 150 years: longer than any life)", "run setting"),
      int_param("run.seed", 1, 0, 9007199254740992.0, "", "random seed: same seed, same numbers",
                "run setting"),
      bool_param("run.quiet_periods", true,
                 "move people through the days before their next possible event at once (about "
                 "4 times faster); false steps everyone daily, for checking: the results are "
                 "the same, bit for bit",
                 "run setting; docs/performance.md"),
  };
  return k;
}

std::span<const ParamSpec> output_params() {
  static constexpr ParamSpec k[] = {
      int_param("output.period_days", 30, 1, 30, "days",
                "length of one period: results are recorded, and slowly varying rates (age, "
                "activity level) refreshed, once per period; at most 30 days so that they stay "
                "fresh (docs/model.md)",
                "output setting"),
      int_param("output.compression", 0, 0, 9, "",
                "deflate level of the result file's datasets: 0 none (writing costs ~2 % of a "
                "run); 1 gives files ~3 times smaller but writing 1 million people then takes "
                "~1.2 s instead of 0.1 s",
                "output setting; docs/performance.md"),
      bool_param("output.snapshot", true, "write every agent column at the end of the run",
                 "output setting"),
      bool_param("output.events", true, "write the event log (agent, day, event, detail)",
                 "output setting"),
      int_param("output.trace", 0, 0, 2000, "people",
                "number of people whose daily state is written to /trace (--trace N): spread "
                "evenly over the people, stepped every day",
                "output setting"),
      bool_param(
          "output.trace_cohort", true,
          "trace members of the in-silico cohort first, spread over them (when there is one)",
          "output setting"),
  };
  return k;
}

std::span<const ParamSpec> population_params() {
  static constexpr ParamSpec k[] = {
      choice_param("population.source", "synthetic", "synthetic|csv",
                   "draw a synthetic population, or load one from population.csv", "run setting"),
      path_param("population.csv", "",
                 "cohort file: columns age, sex (M/F) and optionally height_m, alm_kg, grip_kg "
                 "(docs/population.md)",
                 "user data"),
      bool_param(
          "population.csv_resample", false,
          "draw run.agents rows with replacement from the CSV instead of using each row once",
          "run setting"),
      path_param("population.age_structure_csv", "",
                 "CSV with columns age_lower, men, women (counts by age band; the last band open). "
                 "Empty: the built-in US 2019 estimates",
                 "US Census Bureau Vintage 2019 (NC-EST2019-AGESEX), values to verify"),
      int_param("population.age_min", 60, 50, 99, "years",
                "youngest age in the synthetic population", "run setting"),
      real_param("population.height_men_cm", 174, 140, 200, "cm", "mean height of men at 65",
                 "NHANES III adults 175.6 cm (IOM DRI App. H, Table H-1), lowered for age"),
      real_param("population.height_women_cm", 160, 130, 190, "cm", "mean height of women at 65",
                 "NHANES III adults 161.8 cm (IOM DRI App. H, Table H-1), lowered for age"),
      real_param("population.height_sd_men_cm", 7.2, 0, 20, "cm", "SD of height, men",
                 "NCHS Vital Health Stat Series 11 No. 8 (1965)"),
      real_param("population.height_sd_women_cm", 6.6, 0, 20, "cm", "SD of height, women",
                 "NCHS Vital Health Stat Series 11 No. 8 (1965)"),
      real_param("population.height_loss_cm_per_year", 0.2, 0, 1, "cm/yr",
                 "cross-sectional fall in mean height per year of age above 65",
                 "assumption (NHANES 2015-18, Fryar 2021, recalled: about 2 cm per decade)"),
      real_param("population.bmi_men", 28.5, 15, 50, "kg/m2", "mean body-mass index, men",
                 "NHANES 2015-18, adults 60+ (Fryar 2021, Vital Health Stat 3(46)), recalled"),
      real_param("population.bmi_women", 28.8, 15, 50, "kg/m2", "mean body-mass index, women",
                 "NHANES 2015-18, adults 60+ (Fryar 2021), recalled"),
      real_param("population.bmi_sd", 5.5, 0, 15, "kg/m2", "SD of body-mass index",
                 "NHANES 2015-18 (Fryar 2021), recalled"),
      real_param("population.almi_men_70", 8.2, 4, 12, "kg/m2",
                 "mean appendicular lean mass / height^2 of men at 70",
                 "calibrated: 16% of men 80+ below 7.0 kg/m2 (Gould 2014, Calcif Tissue Int, "
                 "Geelong); NHANES 70-79 ~8.0 (Kelly 2009 PLoS One 4:e7038, recalled)"),
      real_param("population.almi_women_70", 6.6, 3, 10, "kg/m2",
                 "mean appendicular lean mass / height^2 of women at 70",
                 "calibrated: 6% of women 80+ below 5.5 kg/m2 (Gould 2014); NHANES 70-79 "
                 "~6.3-6.5 (Kelly 2009, recalled)"),
      real_param("population.almi_slope_men", -0.025, -0.2, 0.1, "kg/m2/yr",
                 "cross-sectional change in mean ALMI per year of age above 70, men",
                 "Kirk 2021, J Cachexia Sarcopenia Muscle 12:880: -0.86 kg/m2 from 50 to 70; "
                 "flattened above 70 to match Gould 2014 at 80+ (survivor selection)"),
      real_param("population.almi_slope_women", -0.01, -0.2, 0.1, "kg/m2/yr",
                 "cross-sectional change in mean ALMI per year of age, women",
                 "Kirk 2021: -0.10 kg/m2 from 50 to 70; steeper after 70 (assumption)"),
      real_param("population.almi_sd_men", 0.93, 0.1, 3, "kg/m2", "SD of ALMI, men",
                 "derived from Gould 2014 T-score cut-points (7.87 / 6.94 kg/m2)"),
      real_param("population.almi_sd_women", 0.77, 0.1, 3, "kg/m2", "SD of ALMI, women",
                 "derived from Gould 2014 T-score cut-points (6.07 / 5.30 kg/m2)"),
      real_param("population.grip_alm_correlation_men", 0.5, -1, 1, "",
                 "within-sex correlation of grip strength and ALMI, men",
                 "Barbat-Artigas 2013 (r=0.43); Chan 2022 BMC Geriatr (r=0.53-0.58)"),
      real_param("population.grip_alm_correlation_women", 0.3, -1, 1, "",
                 "within-sex correlation of grip strength and ALMI, women",
                 "Barbat-Artigas 2013 (r=0.14); Chan 2022 (r=0.26-0.36)"),
  };
  return k;
}

}  // namespace sarcosim
