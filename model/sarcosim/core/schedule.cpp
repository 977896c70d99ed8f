// The daily step, written once. A new mechanism is a new file plus one line here.
#include "sarcosim/core/module.hpp"
#include "sarcosim/modules/demography.hpp"
#include "sarcosim/modules/muscle.hpp"
#include "sarcosim/population/population_params.hpp"

namespace sarcosim {

std::span<const ModuleInfo> module_schedule() {
  static const ModuleInfo kSchedule[] = {
      {"demography", demography_params, make_demography},  // ageing, background deaths
      {"muscle", muscle_params, make_muscle},              // lean mass and strength
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
