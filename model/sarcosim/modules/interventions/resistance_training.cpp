// Progressive resistance training, with or without a protein supplement; and a protein
// supplement alone. The training stimulus drives muscle physiology's anabolic response
// (Peterson 2010/2011; Morton 2018 for the extra gain with protein).
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/modules/interventions/programme.hpp"
#include "sarcosim/modules/interventions/programmes.hpp"

namespace sarcosim {
namespace {

class TrainingProgramme final : public Programme {
 public:
  TrainingProgramme(const ProgrammeDefaults& d, const ParamSet& p, bool trains, bool supplements)
      : Programme(d, p),
        trains_(trains),
        dose_(supplements ? p.real(name_ + ".protein_dose") : 0.0),
        min_status_(trains ? static_cast<int>(p.integer(name_ + ".min_sarcopenia_status")) : 0) {}

 private:
  // Living at home, not in hospital, and (if asked) at least this sarcopenia status.
  bool eligible(std::uint32_t i, std::int32_t) const override {
    return days_left_[i] == 0 && !care_home_[i] && sarcopenia_[i] >= min_status_;
  }
  void apply(std::uint16_t m) override {
    if (trains_) training_[m] = static_cast<float>(training_[m] + adherence_);
    if (dose_ > 0) protein_[m] = static_cast<float>(protein_[m] + dose_ * adherence_);
  }
  bool trains_;
  double dose_;
  int min_status_;
};

constexpr ProgrammeDefaults kTraining{
    .name = "resistance_training",
    .bit = 0,
    .triggered = false,
    .uptake = 0.3,
    .adherence = 0.78,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 180,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 600,
    .cost_per_enrolment = 100,
    .uptake_source = "assumption: 30% accept a community exercise offer",
    .adherence_source =
        "median attendance 78% in supervised programmes (Cochrane secondary analysis); dropout "
        "assumption",
    .cost_source = "assumption: group sessions twice a week, USD 600 per person-year"};
constexpr ProgrammeDefaults kProtein{
    .name = "protein_supplement",
    .bit = 1,
    .triggered = false,
    .uptake = 0.4,
    .adherence = 0.7,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 180,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 250,
    .cost_per_enrolment = 0,
    .uptake_source = "assumption",
    .adherence_source = "assumption (compliance with oral supplements ~70%)",
    .cost_source = "assumption: 25 g/day of protein powder, ~USD 250 per person-year"};
constexpr ProgrammeDefaults kCombined{
    .name = "training_and_protein",
    .bit = 2,
    .triggered = false,
    .uptake = 0.3,
    .adherence = 0.78,
    .dropout_rate = 0.5,
    .places_per_year = 0,
    .duration_days = 180,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 850,
    .cost_per_enrolment = 100,
    .uptake_source = "assumption (as resistance_training)",
    .adherence_source = "as resistance_training",
    .cost_source = "sum of resistance_training and protein_supplement"};

ParamSpec min_status(std::string_view key) {
  return int_param(key, 0, 0, 3, "",
                   "lowest sarcopenia status eligible (0 anyone, 1 probable, 2 confirmed)",
                   "scenario choice");
}
ParamSpec dose(std::string_view key) {
  return real_param(key, 0.3, 0, 2, "g/kg/day", "protein added per day at full adherence",
                    "assumption: 20-25 g/day for ~75 kg; Morton 2018: no gain above ~1.6 g/kg/day");
}

}  // namespace

std::span<const ParamSpec> resistance_training_params() {
  static const auto s =
      programme_params(kTraining, {min_status("resistance_training.min_sarcopenia_status")});
  return s;
}
std::span<const ParamSpec> protein_supplement_params() {
  static const auto s = programme_params(kProtein, {dose("protein_supplement.protein_dose")});
  return s;
}
std::span<const ParamSpec> training_and_protein_params() {
  static const auto s =
      programme_params(kCombined, {min_status("training_and_protein.min_sarcopenia_status"),
                                   dose("training_and_protein.protein_dose")});
  return s;
}
std::unique_ptr<Module> make_resistance_training(const ParamSet& p) {
  return std::make_unique<TrainingProgramme>(kTraining, p, true, false);
}
std::unique_ptr<Module> make_protein_supplement(const ParamSet& p) {
  return std::make_unique<TrainingProgramme>(kProtein, p, false, true);
}
std::unique_ptr<Module> make_training_and_protein(const ParamSet& p) {
  return std::make_unique<TrainingProgramme>(kCombined, p, true, true);
}

}  // namespace sarcosim
