#include <catch2/catch.hpp>

#include "sarcosim/validation/validation.hpp"

using namespace sarcosim;

TEST_CASE("every calibration target of `sarcosim validate` is met", "[validation][calibration]") {
  ValidationOptions opt;
  opt.agents = 20000;
  for (const ValidationResult& r : run_validation(opt)) {
    INFO(r.study << ": " << r.measure << " = " << r.model << " " << r.unit << ", accepted ["
                 << r.low << ", " << r.high << "] (published " << r.published << ")");
    CHECK(r.passed());
  }
}
