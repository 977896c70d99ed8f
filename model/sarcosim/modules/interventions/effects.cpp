#include "sarcosim/modules/interventions/effects.hpp"

#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> effects_params() {
  return {};
}

namespace {
class Effects final : public Module {
 public:
  std::string_view name() const override { return "effects"; }
  void attach(Population& pop, Registry&) override {
    pop.add<std::uint16_t>(
        {state::kEnrolled, "", "bit mask of the interventions the person is in", {}, true, true});
    pop.add<float>({state::kTrainingStimulus,
                    "",
                    "resistance-training stimulus (0 none, 1 full adherence)",
                    {},
                    false});
    pop.add<float>(
        {state::kProteinSupplement, "g/kg/day", "protein added by a supplement", {}, false});
    pop.add<float>(
        {state::kBedboundMultiplier, "", "multiplier of time bed-bound in hospital", {}, false},
        1.0f);
    pop.add<float>(
        {state::kDisuseMassMultiplier, "", "multiplier of disuse loss of lean mass", {}, false},
        1.0f);
    pop.add<float>({state::kFallMultiplier, "", "multiplier of the fall hazard", {}, false}, 1.0f);
    pop.add<float>(
        {state::kHipFractureMultiplier, "", "multiplier of a hip fracture per fall", {}, false},
        1.0f);
    pop.add<float>(
        {state::kRecoveryMultiplier, "", "multiplier of the recovery rate after disuse", {}, false},
        1.0f);
  }
  void mark_busy(std::span<const std::uint32_t>, const Period&, BusyMarks&) const override {}
  void step(const Block&, StepContext&) override {}
};
}  // namespace

std::unique_ptr<Module> make_effects(const ParamSet&) {
  return std::make_unique<Effects>();
}

}  // namespace sarcosim
