// `sarcosim validate`: the calibration targets, the model's figures and whether each is inside
// its accepted range. Exit code 4 when one is outside.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "sarcosim/validation/validation.hpp"

namespace sarcosim::cli {

int validate_command(Args& args) {
  ValidationOptions opt;
  std::string value;
  while (!args.done()) {
    if (args.option("--agents", value)) {
      opt.agents = static_cast<std::size_t>(parse_integer("--agents", value, 1000, 100000000));
      continue;
    }
    if (args.option("--seed", value)) {
      opt.seed = static_cast<std::uint64_t>(parse_integer("--seed", value, 0, 9007199254740992LL));
      continue;
    }
    if (args.option("--threads", value)) {
      opt.threads = static_cast<int>(parse_integer("--threads", value, 1, 1024));
      continue;
    }
    if (args.option("--set", value)) {
      opt.overrides.push_back(value);
      continue;
    }
    usage_error("validate: unknown argument '" + args.peek() + "'");
  }
  const auto results = run_validation(opt);
  int failed = 0;
  std::cout << std::left << std::setw(22) << "study" << std::setw(52) << "measure" << std::right
            << std::setw(10) << "model" << std::setw(11) << "published" << std::setw(20)
            << "accepted"
            << "  result\n";
  for (const auto& r : results) {
    std::ostringstream range;
    range << "[" << std::setprecision(3) << r.low << ", " << r.high << "]";
    std::cout << std::left << std::setw(22) << r.study << std::setw(52)
              << (r.measure + " (" + r.unit + ")") << std::right << std::fixed
              << std::setprecision(2) << std::setw(10) << r.model << std::setw(11) << r.published
              << std::defaultfloat << std::setw(20) << range.str() << "  "
              << (r.passed() ? "ok" : "OUTSIDE") << "\n";
    failed += !r.passed();
  }
  std::cout << results.size() - failed << " passed, " << failed << " failed\n";
  return failed ? 4 : 0;
}

}  // namespace sarcosim::cli
