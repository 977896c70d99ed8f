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
    // Sparse: 0 for most people, and for everyone in a scenario without programmes, where a dense
    // column read at every period would take memory on kernels that give a page to a read.
    pop.add_sparse<std::uint16_t>(
        {state::kEnrolled, "", "bit mask of the interventions the person is in", {}, true, true});
    // Tables by enrolment mask, neutral until programmes add their effects (Programme::attach).
    const auto effect = [&](const char* name, const char* unit, const char* what, float neutral) {
      pop.add_lookup({name, unit, what, {}, false}, state::kEnrolled, state::kProgrammeBits,
                     neutral);
    };
    effect(state::kTrainingStimulus, "", "resistance-training stimulus (0 none, 1 full adherence)",
           0.0f);
    effect(state::kProteinSupplement, "g/kg/day", "protein added by a supplement", 0.0f);
    effect(state::kBedboundMultiplier, "", "multiplier of time bed-bound in hospital", 1.0f);
    effect(state::kDisuseMassMultiplier, "", "multiplier of disuse loss of lean mass", 1.0f);
    effect(state::kFallMultiplier, "", "multiplier of the fall hazard", 1.0f);
    effect(state::kHipFractureMultiplier, "", "multiplier of a hip fracture per fall", 1.0f);
    effect(state::kRecoveryMultiplier, "", "multiplier of the recovery rate after disuse", 1.0f);
  }
  void mark_busy(std::span<const std::uint32_t>, const Period&, BusyMarks&) const override {}
  void step(const Block&, StepContext&) override {}
};
}  // namespace

std::unique_ptr<Module> make_effects(const ParamSet&) {
  return std::make_unique<Effects>();
}

}  // namespace sarcosim
