// `sarcosim compare base.h5 other.h5 [more.h5 ...] [--csv | --json]`: each outcome in each
// scenario and the paired difference from the first file, with 95 % intervals over replicates.
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "sarcosim/analysis/compare.hpp"
#include "sarcosim/core/errors.hpp"

namespace sarcosim::cli {
namespace {

std::string num(double x, int precision = 4) {
  if (std::isnan(x)) return "";
  std::ostringstream s;
  s << std::setprecision(precision) << x;
  return s.str();
}

std::string json_num(double x) {
  return std::isnan(x) ? "null" : num(x, 10);
}

std::string json_text(const std::string& s) {
  std::string out = "\"";
  for (char c : s)
    out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

}  // namespace

int compare_command(Args& args) {
  std::vector<std::string> files;
  bool csv = false, json = false;
  while (!args.done()) {
    if (args.flag("--csv"))
      csv = true;
    else if (args.flag("--json"))
      json = true;
    else if (args.peek().rfind("-", 0) == 0)
      usage_error("compare: unknown option '" + args.peek() + "'");
    else
      files.push_back(args.next());
  }
  if (files.size() < 2)
    usage_error(
        "compare: give a baseline file and at least one other (sarcosim compare base.h5 other.h5)");
  if (csv && json) usage_error("compare: choose one of --csv and --json");
  std::vector<ScenarioOutcomes> outcomes;
  for (const auto& f : files) {
    if (!std::filesystem::exists(f)) throw InputError(f + ": result file not found");
    outcomes.push_back(read_outcomes(f));
  }
  const std::vector<std::string> labels = run_labels(outcomes);
  std::vector<Comparison> comparisons;
  for (std::size_t k = 1; k < outcomes.size(); ++k) {
    comparisons.push_back(compare(outcomes[0], outcomes[k]));
    comparisons.back().base = labels[0];
    comparisons.back().other = labels[k];
  }

  if (csv) {
    std::cout << "baseline,scenario,outcome,unit,baseline_value,scenario_value,difference,ci95_low,"
                 "ci95_high,difference_per_1000_people,nnt\n";
    for (const auto& c : comparisons)
      for (const auto& r : c.rows)
        std::cout << c.base << "," << c.other << "," << r.outcome << "," << r.unit << ","
                  << num(r.base, 10) << "," << num(r.other, 10) << "," << num(r.difference, 10)
                  << "," << num(r.ci_low, 10) << "," << num(r.ci_high, 10) << ","
                  << num(r.per_1000, 10) << "," << num(r.nnt, 10) << "\n";
    return 0;
  }
  if (json) {
    std::cout << "{\"baseline\": " << json_text(labels[0])
              << ", \"replicates\": " << outcomes[0].replicates
              << ", \"agents\": " << outcomes[0].agents << ", \"comparisons\": [";
    for (std::size_t k = 0; k < comparisons.size(); ++k) {
      const auto& c = comparisons[k];
      std::cout << (k ? ", " : "") << "{\"scenario\": " << json_text(c.other)
                << ", \"icer_per_qaly\": " << json_num(c.icer)
                << ", \"common_random_numbers\": " << (c.common_random_numbers ? "true" : "false")
                << ", \"outcomes\": [";
      for (std::size_t j = 0; j < c.rows.size(); ++j) {
        const auto& r = c.rows[j];
        std::cout << (j ? ", " : "") << "{\"outcome\": " << json_text(r.outcome)
                  << ", \"unit\": " << json_text(r.unit) << ", \"baseline\": " << json_num(r.base)
                  << ", \"scenario\": " << json_num(r.other)
                  << ", \"difference\": " << json_num(r.difference) << ", \"ci95\": ["
                  << json_num(r.ci_low) << ", " << json_num(r.ci_high)
                  << "], \"per_1000_people\": " << json_num(r.per_1000)
                  << ", \"nnt\": " << json_num(r.nnt) << "}";
      }
      std::cout << "]}";
    }
    std::cout << "]}\n";
    return 0;
  }
  const auto& base = outcomes[0];
  std::cout << "Baseline: " << base.scenario << " (" << base.file.string() << "), " << base.agents
            << " people, " << num(base.years, 3) << " years, " << base.replicates
            << " replicate(s); costs and QALYs discounted at " << num(100 * base.discount_rate, 3)
            << " %/yr\n";
  if (base.replicates < 2)
    std::cout << "(one replicate: no confidence intervals; use --replicates R in `sarcosim run`)\n";
  for (const auto& c : comparisons) {
    std::cout << "\n" << c.other << " vs " << c.base << "\n";
    if (!c.common_random_numbers)
      std::cout << "(their seeds differ: the pairs share no random numbers, so the intervals hold "
                   "chance as well as the scenarios' difference; run both with the same --seed)\n";
    std::cout << std::left << std::setw(34) << "outcome" << std::right << std::setw(13)
              << "baseline" << std::setw(13) << "scenario" << std::setw(13) << "difference"
              << std::setw(26) << "95% interval" << std::setw(12) << "per 1000" << std::setw(10)
              << "NNT"
              << "\n";
    for (const auto& r : c.rows) {
      const std::string ci =
          std::isnan(r.ci_low) ? "" : "[" + num(r.ci_low) + ", " + num(r.ci_high) + "]";
      std::cout << std::left << std::setw(34) << (r.outcome + " (" + r.unit + ")") << std::right
                << std::setw(13) << num(r.base, 6) << std::setw(13) << num(r.other, 6)
                << std::setw(13) << num(r.difference) << std::setw(26) << ci << std::setw(12)
                << num(r.per_1000) << std::setw(10) << num(r.nnt, 3) << "\n";
    }
    std::cout << "incremental cost per QALY gained: "
              << (std::isnan(c.icer) ? std::string("n/a (no QALY gained)")
                                     : num(c.icer, 6) + " USD2020")
              << "\n";
  }
  return 0;
}

}  // namespace sarcosim::cli
