// Care during disuse: early mobilisation in hospital (less time bed-bound; Martinez-Velilla
// 2019) and neuromuscular electrical stimulation during bed rest or immobilisation (preserves
// muscle size more than strength; Dirks 2014).
#include "sarcosim/core/shared_state.hpp"
#include "sarcosim/modules/interventions/programme.hpp"
#include "sarcosim/modules/interventions/programmes.hpp"

namespace sarcosim {
namespace {

class EarlyMobilisation final : public Programme {
 public:
  EarlyMobilisation(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p), full_(p.real("early_mobilisation.bedbound_ratio")) {}

 private:
  bool eligible(std::uint32_t i, std::int32_t) const override { return days_left_[i] > 0; }
  void apply(std::uint16_t m) override {
    bedbound_[m] = static_cast<float>(bedbound_[m] * scaled(full_));
  }
  double full_;
};

class ElectricalStimulation final : public Programme {
 public:
  ElectricalStimulation(const ProgrammeDefaults& d, const ParamSet& p)
      : Programme(d, p), full_(p.real("electrical_stimulation.mass_loss_ratio")) {}

 private:
  bool eligible(std::uint32_t i, std::int32_t) const override {
    return disuse_[i] != state::kNoDisuse;
  }
  void apply(std::uint16_t m) override {
    disuse_mass_[m] = static_cast<float>(disuse_mass_[m] * scaled(full_));
  }
  double full_;
};

constexpr ProgrammeDefaults kMobilisation{
    .name = "early_mobilisation",
    .bit = 3,
    .triggered = true,
    .uptake = 1.0,
    .adherence = 0.8,
    .dropout_rate = 0,
    .places_per_year = 0,
    .duration_days = 0,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 36500,
    .cost_per_enrolment = 0,
    .uptake_source = "applies to every stay while the programme runs (ward protocol)",
    .adherence_source = "assumption: 80% of sessions delivered",
    .cost_source = "assumption: physiotherapist time ~USD 100 per patient-day"};
constexpr ProgrammeDefaults kStimulation{
    .name = "electrical_stimulation",
    .bit = 4,
    .triggered = true,
    .uptake = 1.0,
    .adherence = 0.7,
    .dropout_rate = 0,
    .places_per_year = 0,
    .duration_days = 0,
    .age_min = 65,
    .age_max = 121,
    .cost_per_year = 7300,
    .cost_per_enrolment = 0,
    .uptake_source = "applies to every disuse episode while the programme runs",
    .adherence_source = "assumption: 70% of sessions tolerated",
    .cost_source = "assumption: ~USD 20 per day of stimulation"};

}  // namespace

std::span<const ParamSpec> early_mobilisation_params() {
  static const auto s = programme_params(
      kMobilisation,
      {real_param("early_mobilisation.bedbound_ratio", 0.6, 0, 1, "",
                  "time bed-bound relative to usual care, at full adherence",
                  "assumption: twice-daily exercise and walking (Martinez-Velilla 2019, JAMA "
                  "Intern Med: SPPB +2.2 vs usual care) against 83% lying (Brown 2009)")});
  return s;
}
std::span<const ParamSpec> electrical_stimulation_params() {
  static const auto s = programme_params(
      kStimulation,
      {real_param("electrical_stimulation.mass_loss_ratio", 0.3, 0, 1, "",
                  "disuse loss of lean mass relative to none, at full adherence (strength loss "
                  "unchanged)",
                  "Dirks 2014, Acta Physiol: NMES prevented most of the loss of muscle size, not "
                  "of strength; Hansen 2024, Physiol Rep")});
  return s;
}
std::unique_ptr<Module> make_early_mobilisation(const ParamSet& p) {
  return std::make_unique<EarlyMobilisation>(kMobilisation, p);
}
std::unique_ptr<Module> make_electrical_stimulation(const ParamSet& p) {
  return std::make_unique<ElectricalStimulation>(kStimulation, p);
}

}  // namespace sarcosim
