// DayOfAgeTable (core/day_of_age_table.hpp) must change no result: the same bits as computing.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "sarcosim/core/day_of_age_table.hpp"
#include "sarcosim/core/recording.hpp"

using namespace sarcosim;

namespace {
double rate(double age) {
  return 0.0004 * std::exp(0.07 * (age - 70));
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}
}  // namespace

TEST_CASE("a day-of-age table gives exactly the computed value, at every day and beyond",
          "[core]") {
  const DayOfAgeTable table(rate);
  const std::int32_t birth = -30000;
  for (std::int32_t day = birth; day < birth + DayOfAgeTable::kDays + 400; ++day)
    REQUIRE(same_bits(table(day, birth), rate(age_years(day, birth))));
  // Negative ages (a birth after the day) are computed, not clamped.
  REQUIRE(same_bits(table(0, 10), rate(age_years(0, 10))));
}

TEST_CASE("AgeBands::at gives the band of the computed age, at every day of age and beyond",
          "[core]") {
  const std::int32_t birth = -20000;
  for (std::int32_t day = birth - 10; day < birth + DayOfAgeTable::kDays + 400; ++day)
    REQUIRE(AgeBands::at(day, birth) == AgeBands::of(age_years(day, birth)));
  // Band edges, where a table built from another age formula would be a day off.
  for (const int years : {50, 55, 95, 100})
    for (std::int32_t d = -2; d <= 2; ++d) {
      const auto day = static_cast<std::int32_t>(std::ceil(years * kDaysPerYear)) + d;
      REQUIRE(AgeBands::at(day, 0) == AgeBands::of(age_years(day, 0)));
    }
  REQUIRE(AgeBands::at(18263, 0) == 1);  // 50.0014 years: 50-54
  REQUIRE(AgeBands::at(18262, 0) == 0);  // 49.9986 years: <50
}
