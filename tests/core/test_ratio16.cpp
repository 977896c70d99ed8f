// Ratio16: positive multipliers in 16 bits (IEEE half precision), read as floats and written as
// float32.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>

#include "sarcosim/core/population.hpp"
#include "sarcosim/core/ratio16.hpp"
#include "sarcosim/core/simulation.hpp"
#include "sarcosim/io/h5.hpp"
#include "sarcosim/io/result_file.hpp"
#include "support.hpp"

using namespace sarcosim;

namespace {
// The spacing of halves around x (normal halves: 11 significant bits).
double half_step(double x) {
  return std::ldexp(1.0, std::ilogb(x) - 10);
}
}  // namespace

TEST_CASE("every half from 2^-14 to 65,504 reads back as itself", "[ratio16]") {
  const Coding coding = Ratio16::kCoding;
  int codes = 0;
  for (std::uint32_t code = 0x0400; code <= 0x7BFF; ++code, ++codes) {
    const double v = coding.value(static_cast<std::uint16_t>(code));
    REQUIRE(static_cast<float>(Ratio16(v)) == static_cast<float>(v));
    if (code > 0x0400) REQUIRE(v > coding.value(static_cast<std::uint16_t>(code - 1)));
  }
  CHECK(codes == 30 * 1024);  // 30 exponents of 1,024 significands
  CHECK(coding.value(0x3C00) == 1.0);
  CHECK(coding.value(0x7BFF) == 65504.0);
  CHECK(coding.value(0x0400) == std::ldexp(1.0, -14));
}

TEST_CASE("a ratio is the nearest half, ties to even, held to the range", "[ratio16]") {
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> log2x(-13.9, 15.9);
  for (int k = 0; k < 200000; ++k) {
    const double x = std::exp2(log2x(gen));
    const double r = Ratio16(x);
    REQUIRE(std::abs(r - x) <= half_step(x) / 2);
  }
  CHECK(Ratio16() == 1.0f);
  CHECK(Ratio16(1 + std::ldexp(1.0, -11)) == 1.0f);  // a tie: to the even significand
  CHECK(Ratio16(1 + 3 * std::ldexp(1.0, -11)) == static_cast<float>(1 + std::ldexp(1.0, -9)));
  CHECK(Ratio16(2047.9) == 2048.0f);  // rounding up into the next exponent
  CHECK(Ratio16(0.0) == Ratio16::kMin);
  CHECK(Ratio16(-3.0) == Ratio16::kMin);
  CHECK(Ratio16(std::nan("")) == Ratio16::kMin);
  CHECK(Ratio16(1e9) == Ratio16::kMax);
  CHECK(Ratio16(65519.0) == Ratio16::kMax);
  CHECK(sizeof(Ratio16) == 2);
}

TEST_CASE("ratios go to the snapshot as float32, the values the model reads", "[ratio16][io]") {
  test::TempDir dir;
  const Scenario sc = test::small_scenario({"run.seed=9"});
  const RunResult run = run_simulation(sc);
  const auto [file, snapshot] = test::write_and_open(dir, sc, run);
  for (const char* name : {"falls.proneness", "muscle.loss_multiplier", "demography.grip_hr",
                           "fractures.mortality_hr"}) {
    const auto written = snapshot.read<float>(name);
    const auto column = run.population.column(name);
    REQUIRE(written.size() == run.population.size());
    for (std::size_t i = 0; i < written.size(); ++i) {
      REQUIRE(written[i] == column_value(column, i));
      REQUIRE(written[i] >= Ratio16::kMin);
    }
  }
}
