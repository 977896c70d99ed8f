// The population columns that more than one module reads: their names, types and meaning, in one
// place. Each is declared (added) by exactly one owner module in attach(); others find it by name.
// A module's private columns are not listed here.
#pragma once

#include <cstdint>

#include "sarcosim/core/fixed16.hpp"
#include "sarcosim/core/ratio16.hpp"

namespace sarcosim::state {

// Owner: activity. uint8: 0 inactive (<30 min/wk), 1 low, 2 moderate, 3 meets 150 min/wk.
inline constexpr const char* kActivity = "activity.level";
inline constexpr std::uint8_t kActivityLevels = 4;

// Owner: nutrition. ProteinGPerKg: protein eaten today, g per kg body weight per day.
inline constexpr const char* kProtein = "nutrition.protein_g_per_kg";
// Intakes to 2^-11 g/kg/day in [0, 32) (core/fixed16.hpp): usual intakes have a mean of at most 3
// and an SD of at most 2 (the parameters' ranges), supplements add at most a few g/kg.
using ProteinGPerKg = Fixed16<0, 11>;
// Owner: nutrition. uint8: 1 while malnourished.
inline constexpr const char* kMalnourished = "nutrition.malnourished";

// Owner: disease. uint16 bit mask of conditions (bit = disease::Condition).
inline constexpr const char* kConditions = "disease.conditions";
// Owner: disease. Lookup columns (population.hpp), a function of the condition mask.
// float: extra relative loss of lean mass per year from catabolic conditions.
inline constexpr const char* kCatabolicRate = "disease.catabolic_rate";
// Owner: disease. float: hazard ratio of falling from conditions.
inline constexpr const char* kConditionFallHr = "disease.fall_hr";
// Owner: disease. float: hazard ratio of hospital admission from conditions.
inline constexpr const char* kConditionAdmissionHr = "disease.admission_hr";
// Owner: disease. float: hazard ratio of death from conditions (demography applies it).
inline constexpr const char* kConditionMortalityHr = "disease.mortality_hr";
// Owner: fractures. Ratio16 (core/ratio16.hpp): hazard ratio of death in the months after a
// fracture.
inline constexpr const char* kFractureMortalityHr = "fractures.mortality_hr";
// Owner: disease. float: how far conditions lower the activity propensity (SD units).
inline constexpr const char* kConditionActivityPenalty = "disease.activity_penalty";

// Owner: hospital. int16: days left in the current hospital stay (0: not in hospital).
inline constexpr const char* kHospitalDaysLeft = "hospital.days_left";
// Owner: hospital. int16: days since the last discharge (32767 if none or long ago).
inline constexpr const char* kDaysSinceDischarge = "hospital.days_since_discharge";
// Owner: hospital. uint8: reason of an admission requested by another module (0: none);
// the hospital admits at the start of the next day.
inline constexpr const char* kAdmissionRequest = "hospital.admission_request";
// Owner: hospital. uint8: 1 while living in a care home.
inline constexpr const char* kCareHome = "hospital.care_home";

// Owner: hospital. The disuse state that muscle physiology responds to; hospital stays, bed rest
// at home and in-silico exposures (cohort) set it.
// uint8 kind (Disuse), and uint16 day count within the current episode (1 on its first day).
inline constexpr const char* kDisuse = "disuse.kind";
inline constexpr const char* kDisuseDay = "disuse.day";
// DisuseDose: how much of the day is spent unloaded (1 = all day in bed; Brown 2009: 0.83 in
// hospital), to 2^-14 in [0, 4) (core/fixed16.hpp): doses are shares of a day, at most 1, times a
// programme's multiplier of time bed-bound.
inline constexpr const char* kDisuseDose = "disuse.dose";
using DisuseDose = Fixed16<0, 14>;
enum Disuse : std::uint8_t {
  kNoDisuse = 0,
  kBedRest = 1,         // whole-body unloading (bed rest, hospital bed)
  kIntensiveCare = 2,   // critical illness: faster loss (Fazzini 2023)
  kLegImmobilised = 3,  // one leg in a cast or brace
};

// Owner: muscle. float: knee-extensor strength relative to the person's own level at the start
// (1.0). An output, checked by the validation against bed-rest studies; no module reads it (falls
// depend on strength through sarcopenia's status, gait speed on grip).
inline constexpr const char* kLegStrength = "muscle.leg_strength";
// Owner: muscle. float: lean mass still to be lost from a neurological event (kg ALM), applied by
// muscle physiology over the following weeks; disease adds to it at onset.
inline constexpr const char* kPendingNeurogenicLoss = "muscle.pending_neurogenic_loss_kg";

// Owner: sarcopenia. uint8: 0 none, 1 probable (low strength), 2 confirmed, 3 severe.
inline constexpr const char* kSarcopenia = "sarcopenia.status";
// Owner: sarcopenia. 16-bit fixed point (core/fixed16.hpp), read as a float: usual gait speed, m/s.
inline constexpr const char* kGaitSpeed = "sarcopenia.gait_speed";

// Owner: falls. Day16 (core/day16.hpp): day of the most recent fall (kNever if none).
inline constexpr const char* kLastFallDay = "falls.last_fall_day";
inline constexpr std::int32_t kNever = -1000000;

// Owner: fractures. Day16: day of the most recent hip fracture (kNever if none).
inline constexpr const char* kLastHipFractureDay = "fractures.last_hip_fracture_day";
// Owner: fractures. Day16: day of the most recent fracture other than a hip fracture (kNever if
// none).
inline constexpr const char* kLastOtherFractureDay = "fractures.last_other_fracture_day";

// Owner: effects (modules/interventions/effects.cpp). What interventions change, as modifiers the
// mechanisms read; neutral values leave a mechanism exactly as without interventions. The effects
// are lookup columns (population.hpp): a function of the programmes a person is in, one table
// entry per set of programmes, to which each programme adds its own effect.
inline constexpr const char* kEnrolled = "interventions.enrolled";   // uint16 bit per programme
inline constexpr int kProgrammeBits = 9;                             // programmes' bits: 0..8
inline constexpr const char* kTrainingStimulus = "effect.training";  // float, 0 = none, 1 = full
inline constexpr const char* kProteinSupplement = "effect.protein_supplement";  // g/kg/day added
inline constexpr const char* kBedboundMultiplier = "effect.bedbound";           // x hospital dose
inline constexpr const char* kDisuseMassMultiplier = "effect.disuse_mass";    // x disuse mass loss
inline constexpr const char* kFallMultiplier = "effect.fall";                 // x fall hazard
inline constexpr const char* kHipFractureMultiplier = "effect.hip_fracture";  // x hip per fall
inline constexpr const char* kRecoveryMultiplier = "effect.recovery";         // x recovery rate

// Admission reasons (hospital.admission_request and the admission event's detail).
enum AdmissionReason : std::uint8_t {
  kNoAdmission = 0,
  kAdmitIllness = 1,
  kAdmitHipFracture = 2,
  kAdmitOtherFracture = 3,
  kAdmitStroke = 4,
  kAdmitNeurological = 5,  // Guillain-Barre, spinal cord injury
};

}  // namespace sarcosim::state
