// Preventing falls and fractures: multicomponent fall-prevention exercise (Sherrington 2019),
// hip protectors in care homes (Santesso 2014), vitamin D alone as a negative control (Bolland
// 2018), and rehabilitation after a hip fracture.
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/modules/interventions/programme.hpp"
#include "sarcosim/modules/interventions/programmes.hpp"

namespace sarcosim {
namespace {

class FallPreventionExercise final : public Programme {
 public:
  FallPreventionExercise(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p),
        full_(p.real("fall_prevention_exercise.fall_rate_ratio")),
        stimulus_(p.real("fall_prevention_exercise.strength_stimulus")) {}

 private:
  bool eligible(std::uint32_t i, std::int32_t) const override { return days_left_[i] == 0; }
  void apply(std::uint16_t m) override {
    fall_[m] = static_cast<float>(fall_[m] * scaled(full_));
    training_[m] = static_cast<float>(training_[m] + stimulus_ * adherence_);
  }
  double full_, stimulus_;
};

class HipProtectors final : public Programme {
 public:
  HipProtectors(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p), full_(p.real("hip_protectors.hip_fracture_ratio")) {}

 private:
  bool eligible(std::uint32_t i, std::int32_t) const override { return care_home_[i] != 0; }
  void apply(std::uint16_t m) override { hip_[m] = static_cast<float>(hip_[m] * scaled(full_)); }
  double full_;
};

class VitaminD final : public Programme {
 public:
  VitaminD(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p),
        fall_ratio_(p.real("vitamin_d.fall_rate_ratio")),
        hip_ratio_(p.real("vitamin_d.hip_fracture_ratio")) {}

 private:
  bool eligible(std::uint32_t, std::int32_t) const override { return true; }
  void apply(std::uint16_t m) override {
    fall_[m] = static_cast<float>(fall_[m] * scaled(fall_ratio_));
    hip_[m] = static_cast<float>(hip_[m] * scaled(hip_ratio_));
  }
  double fall_ratio_, hip_ratio_;
};

class HipFractureRehabilitation final : public Programme {
 public:
  HipFractureRehabilitation(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p),
        recovery_ratio_(p.real("hip_fracture_rehabilitation.recovery_ratio")),
        stimulus_(p.real("hip_fracture_rehabilitation.strength_stimulus")) {}

 private:
  // Home from hospital within 30 days of a hip fracture.
  bool eligible(std::uint32_t i, std::int32_t day) const override {
    return !last_hip_[i].never() && day - last_hip_[i] < 30 && days_left_[i] == 0 &&
           since_discharge_[i] < 30;
  }
  void apply(std::uint16_t m) override {
    recovery_[m] = static_cast<float>(recovery_[m] * (1 + adherence_ * (recovery_ratio_ - 1)));
    training_[m] = static_cast<float>(training_[m] + stimulus_ * adherence_);
  }
  double recovery_ratio_, stimulus_;
};

constexpr ProgrammeDefaults kFallExercise{
    .name = "fall_prevention_exercise",
    .bit = 5,
    .triggered = false,
    .uptake = 0.3,
    .adherence = 0.78,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 365,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 500,
    .cost_per_enrolment = 100,
    .uptake_source = "assumption",
    .adherence_source = "median attendance 78% (Cochrane secondary analysis)",
    .cost_source = "assumption: group balance and strength classes"};
constexpr ProgrammeDefaults kHipProtectors{
    .name = "hip_protectors",
    .bit = 6,
    .triggered = false,
    .uptake = 0.8,
    .adherence = 0.5,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 0,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 150,
    .cost_per_enrolment = 100,
    .uptake_source = "assumption: offered to every care-home resident",
    .adherence_source = "Santesso 2014, Cochrane: poor adherence (assumption 50%)",
    .cost_source = "assumption: two pairs a year"};
constexpr ProgrammeDefaults kVitaminD{.name = "vitamin_d",
                                      .bit = 7,
                                      .triggered = false,
                                      .uptake = 0.5,
                                      .adherence = 0.8,
                                      .dropout_rate = 0.2,
                                      .places_per_year = 0,
                                      .duration_days = 0,
                                      .age_min = 65,
                                      .age_max = 121,
                                      .cost_per_year = 30,
                                      .cost_per_enrolment = 0,
                                      .uptake_source = "assumption",
                                      .adherence_source = "assumption",
                                      .cost_source = "assumption: ~USD 30 per person-year"};
constexpr ProgrammeDefaults kRehab{
    .name = "hip_fracture_rehabilitation",
    .bit = 8,
    .triggered = true,
    .uptake = 0.7,
    .adherence = 0.7,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 84,
    .age_min = 50,
    .age_max = 121,
    .cost_per_year = 12000,
    .cost_per_enrolment = 0,
    .uptake_source = "assumption: 70% of hip-fracture patients reach rehabilitation",
    .adherence_source = "assumption",
    .cost_source = "assumption: 12 weeks of outpatient physiotherapy ~USD 2,800 (per-year rate)"};

}  // namespace

std::span<const ParamSpec> fall_prevention_exercise_params() {
  static const auto s = programme_params(
      kFallExercise,
      {real_param("fall_prevention_exercise.fall_rate_ratio", 0.70, 0, 2, "",
                  "fall rate relative to none, at full adherence",
                  "derived: Sherrington 2019 (Cochrane CD012424) rate ratio 0.77 for balance and "
                  "functional exercise at ~78% attendance"),
       real_param("fall_prevention_exercise.strength_stimulus", 0.3, 0, 1, "",
                  "resistance-training stimulus of the classes at full adherence",
                  "assumption (strength and balance content)")});
  return s;
}
std::span<const ParamSpec> hip_protectors_params() {
  static const auto s = programme_params(
      kHipProtectors,
      {real_param("hip_protectors.hip_fracture_ratio", 0.64, 0, 2, "",
                  "hip fractures per fall relative to none, at full adherence (care homes only)",
                  "derived: Santesso 2014 (Cochrane) RR 0.82 in nursing homes at ~50% adherence; "
                  "no effect in the community")});
  return s;
}
std::span<const ParamSpec> vitamin_d_params() {
  static const auto s = programme_params(
      kVitaminD,
      {real_param("vitamin_d.fall_rate_ratio", 1.0, 0, 2, "", "fall rate relative to none",
                  "Bolland 2018, Lancet Diabetes Endocrinol (81 trials, 53,537 people): "
                  "vitamin D does not prevent falls; a negative control"),
       real_param("vitamin_d.hip_fracture_ratio", 1.0, 0, 2, "",
                  "hip fractures per fall relative to none",
                  "Bolland 2018 (as above): nor fractures or hip fractures")});
  return s;
}
std::span<const ParamSpec> hip_fracture_rehabilitation_params() {
  static const auto s = programme_params(
      kRehab, {real_param("hip_fracture_rehabilitation.recovery_ratio", 2.0, 1, 10, "",
                          "recovery rate of disuse deficits relative to none, at full adherence",
                          "assumption"),
               real_param("hip_fracture_rehabilitation.strength_stimulus", 0.5, 0, 1, "",
                          "resistance-training stimulus at full adherence", "assumption")});
  return s;
}
std::unique_ptr<Module> make_fall_prevention_exercise(const ParamSet& p) {
  return std::make_unique<FallPreventionExercise>(kFallExercise, p);
}
std::unique_ptr<Module> make_hip_protectors(const ParamSet& p) {
  return std::make_unique<HipProtectors>(kHipProtectors, p);
}
std::unique_ptr<Module> make_vitamin_d(const ParamSet& p) {
  return std::make_unique<VitaminD>(kVitaminD, p);
}
std::unique_ptr<Module> make_hip_fracture_rehabilitation(const ParamSet& p) {
  return std::make_unique<HipFractureRehabilitation>(kRehab, p);
}

}  // namespace sarcosim
