// libFuzzer target: any text given as a scenario file is either accepted or refused with an
// InputError (one line naming file, line and key); never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sarcosim/core/errors.hpp"
#include "sarcosim/core/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sarcosim::Scenario sc = sarcosim::parse_scenario_text(text, "fuzz.toml");
    (void)sc.resolved_toml();
  } catch (const sarcosim::InputError&) {
  }
  return 0;
}
