#include <catch2/catch.hpp>

#include <cmath>

#include "sarcosim/data/reference_data.hpp"
#include "sarcosim/physiology/mortality_curve.hpp"

using namespace sarcosim;

namespace {
// Period life expectancy at `age`: the integral of survival, by the midpoint rule in days.
double life_expectancy(const MortalityCurve& c, double age) {
  double e = 0;
  const double h0 = c.cumulative(age);
  for (double t = 0; t < MortalityCurve::kMaxAge - age; t += 1.0 / 365.25)
    e += std::exp(-(c.cumulative(age + t + 0.5 / 365.25) - h0)) / 365.25;
  return e;
}
}  // namespace

TEST_CASE("the life-table curve reproduces the table's qx", "[physiology][mortality]") {
  const auto men = MortalityCurve::from_life_table(data::ssa_2019_life_table(), false);
  const auto women = MortalityCurve::from_life_table(data::ssa_2019_life_table(), true);
  for (const auto& row : data::ssa_2019_life_table()) {
    CHECK(men.qx(row.age) == Approx(row.qx_male).epsilon(1e-9));
    CHECK(women.qx(row.age) == Approx(row.qx_female).epsilon(1e-9));
  }
}

TEST_CASE("life expectancy at 65 matches the SSA 2019 table (18.06 men, 20.59 women)",
          "[physiology][mortality]") {
  const auto men = MortalityCurve::from_life_table(data::ssa_2019_life_table(), false);
  const auto women = MortalityCurve::from_life_table(data::ssa_2019_life_table(), true);
  // The table stops at 100 (its last qx is held beyond), so allow 0.1 years.
  CHECK(life_expectancy(men, 65) == Approx(18.06).margin(0.1));
  CHECK(life_expectancy(women, 65) == Approx(20.59).margin(0.1));
}

TEST_CASE("the Gompertz refit gives e65 close to the table", "[physiology][mortality]") {
  CHECK(life_expectancy(MortalityCurve::gompertz(0.0130, 0.1011), 65) ==
        Approx(17.99).margin(0.15));
  CHECK(life_expectancy(MortalityCurve::gompertz(0.0082, 0.1101), 65) ==
        Approx(20.49).margin(0.15));
  // Hazard at 65 is mu65 and grows by exp(b) per year.
  const auto g = MortalityCurve::gompertz(0.0130, 0.1011);
  CHECK(g.cumulative(66) - g.cumulative(65) ==
        Approx(0.0130 / 0.1011 * (std::exp(0.1011) - 1)).epsilon(1e-12));
}

TEST_CASE("age_at_cumulative inverts cumulative", "[physiology][mortality]") {
  const auto c = MortalityCurve::from_life_table(data::ssa_2019_life_table(), true);
  for (double age : {50.0, 63.25, 77.5, 91.01, 104.7})
    CHECK(c.age_at_cumulative(c.cumulative(age)) == Approx(age).epsilon(1e-12));
}
