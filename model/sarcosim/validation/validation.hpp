// Calibration, shown: small in-silico studies whose results are compared with published figures.
// `sarcosim validate` prints them; CTest runs them at a smaller size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sarcosim {

struct ValidationResult {
  std::string study;    // "Kortebein 2007"
  std::string measure;  // "leg lean mass change, 10 days bed rest, ~67 y"
  std::string unit;
  double model;
  double published;  // the source's figure
  double low, high;  // accepted range
  std::string source;
  bool passed() const { return model >= low && model <= high; }
};

struct ValidationOptions {
  std::size_t agents = 20000;  // population of each study (cohorts are its eligible members)
  std::uint64_t seed = 1;
  int threads = 0;
  std::vector<std::string> overrides;  // "section.key=value", applied to every study
};

std::vector<ValidationResult> run_validation(const ValidationOptions& options);

// Mean yearly relative loss (log scale, positive = loss) of lean mass and leg strength among the
// survivors of a run who were 70-79 at its start: Goodpaster 2006's measure.
struct YearlyLoss {
  double alm, leg;
};
struct RunResult;
YearlyLoss yearly_loss_70_79(const RunResult& run);

}  // namespace sarcosim
