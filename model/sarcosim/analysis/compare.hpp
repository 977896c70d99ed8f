// Comparing scenarios: for each outcome, each scenario's mean over replicates and the paired
// difference from the baseline (replicate r against replicate r: common random numbers), with
// a 95 % t-interval over replicates; events averted per 1000 people, number needed to treat, and
// discounted costs, QALYs and the incremental cost per QALY gained.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sarcosim {

// The outcomes of one result file, per replicate.
struct ScenarioOutcomes {
  std::filesystem::path file;
  std::string scenario;
  std::string version;
  std::size_t agents = 0, replicates = 0;
  double years = 0, discount_rate = 0;
  struct Outcome {
    std::string name, unit, description;
    // A count of events ("averted per 1000" and NNT), a share of the living at the end in % (per
    // 1000 of them: points x 10), or another total over the population (per 1000 of its people).
    enum class Kind { Events, Share, Total } kind;
    std::vector<double> value;  // per replicate
  };
  std::vector<Outcome> outcomes;
  std::vector<double> enrolled_people;  // enrolments in any intervention, per replicate
  std::vector<double> seeds;            // per replicate (empty in files that do not keep them)
};

// Reads a result file; throws IoError for files that are not sarcosim results.
ScenarioOutcomes read_outcomes(const std::filesystem::path& file);

struct ComparisonRow {
  std::string outcome, unit;
  double base, other;      // means over replicates
  double difference;       // mean paired difference (other - base)
  double ci_low, ci_high;  // 95 % t-interval of the difference (NaN with one replicate)
  double per_1000;         // difference per 1000 people (prevalences: per 1000 living at the end)
  double nnt;              // enrolled people per event averted (NaN unless events averted)
};

struct Comparison {
  std::string base, other;  // scenario names (or run_labels, where names repeat)
  std::vector<ComparisonRow> rows;
  double icer;  // incremental discounted cost per discounted QALY gained (NaN if none)
  // Whether each pair of replicates shares its seed, so its random numbers: the paired
  // differences then hold only what the scenarios change (false when the files' seeds differ).
  bool common_random_numbers = true;
};

// What to call each file's run in a comparison: its scenario name, unless another file has the
// same name (the same scenario run with another seed or --set); then its file name without the
// extension, or its whole path where even those are the same.
std::vector<std::string> run_labels(const std::vector<ScenarioOutcomes>& runs);

// Throws InputError if the files cannot be compared (population size, years, replicates,
// version).
Comparison compare(const ScenarioOutcomes& base, const ScenarioOutcomes& other);

}  // namespace sarcosim
