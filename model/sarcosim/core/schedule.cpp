// The daily step, written once. A new mechanism is a new file plus one line here.
#include "sarcosim/core/module.hpp"
#include "sarcosim/modules/activity.hpp"
#include "sarcosim/modules/cohort.hpp"
#include "sarcosim/modules/demography.hpp"
#include "sarcosim/modules/disease.hpp"
#include "sarcosim/modules/economics.hpp"
#include "sarcosim/modules/falls.hpp"
#include "sarcosim/modules/fractures.hpp"
#include "sarcosim/modules/hospital.hpp"
#include "sarcosim/modules/interventions/effects.hpp"
#include "sarcosim/modules/interventions/programmes.hpp"
#include "sarcosim/modules/muscle.hpp"
#include "sarcosim/modules/nutrition.hpp"
#include "sarcosim/modules/sarcopenia.hpp"
#include "sarcosim/population/population_params.hpp"

namespace sarcosim {

// Each day, for every living person, in this order; then the day's deaths are resolved. At the
// end of a recording period each module records, in the same order.
std::span<const ModuleInfo> module_schedule() {
  static const ModuleInfo kSchedule[] = {
      {"demography", demography_params, make_demography},  // ageing, death (hazard ratios)
      {"activity", activity_params, make_activity},        // activity level from age and events
      {"nutrition", nutrition_params, make_nutrition},     // protein eaten, malnutrition
      {"disease", disease_params, make_disease},           // onsets of conditions
      {"hospital", hospital_params, make_hospital},        // admissions, stays, bed rest, ICU
      {"cohort", cohort_params, make_cohort},              // in-silico exposures of a cohort
      {"effects", effects_params, make_effects},           // what interventions change (columns)
      // Interventions: each acts on physiology or hazards through the effect columns.
      {"resistance_training", resistance_training_params, make_resistance_training},
      {"protein_supplement", protein_supplement_params, make_protein_supplement},
      {"training_and_protein", training_and_protein_params, make_training_and_protein},
      {"early_mobilisation", early_mobilisation_params, make_early_mobilisation},
      {"electrical_stimulation", electrical_stimulation_params, make_electrical_stimulation},
      {"fall_prevention_exercise", fall_prevention_exercise_params, make_fall_prevention_exercise},
      {"hip_protectors", hip_protectors_params, make_hip_protectors},
      {"vitamin_d", vitamin_d_params, make_vitamin_d},
      {"hip_fracture_rehabilitation", hip_fracture_rehabilitation_params,
       make_hip_fracture_rehabilitation},
      {"muscle", muscle_params, make_muscle},              // lean mass and strength
      {"sarcopenia", sarcopenia_params, make_sarcopenia},  // status and gait speed
      {"falls", falls_params, make_falls},                 // falls
      {"fractures", fractures_params, make_fractures},     // fractures, post-fracture mortality
      {"economics", economics_params, make_economics},     // QALYs and costs of the day
  };
  return kSchedule;
}

const ParamDictionary& dictionary() {
  static const ParamDictionary dict = [] {
    ParamDictionary d;
    d.add(run_params());
    d.add(population_params());
    d.add(output_params());
    for (const ModuleInfo& m : module_schedule())
      d.add(m.params());
    return d;
  }();
  return dict;
}

}  // namespace sarcosim
