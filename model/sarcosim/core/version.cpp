#include "sarcosim/core/version.hpp"

namespace sarcosim {
std::string_view version() {
  return SARCOSIM_VERSION;
}
}  // namespace sarcosim
